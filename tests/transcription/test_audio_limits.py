"""Whisper's decoder is an ffmpeg run on an upload like any other: it runs under the media
memory limit (MEDIA_TOOL_MEMORY_MB, issue 10), so a hostile file cannot exhaust the worker."""

import pytest

from tests.transcription.conftest import SENTENCES, speech
from transcription import audio


def test_the_decoder_reads_a_recording_under_the_default_limit():
    chunks = list(audio.decode_chunks(speech(SENTENCES[0], suffix=".mp3")))
    seconds = sum(len(chunk.samples) for chunk in chunks) / audio.SAMPLE_RATE
    assert 2 < seconds < 10
    assert 2 < audio.probe_duration(speech(SENTENCES[0], suffix=".mp3")) < 10


def test_the_decoder_is_held_to_the_memory_limit(settings):
    # 4 MB of address space is too little for ffmpeg even to start: the limit is really applied.
    settings.MEDIA_TOOL_MEMORY_MB = 4
    with pytest.raises(audio.AudioError):
        list(audio.decode_chunks(speech(SENTENCES[0], suffix=".mp3")))
    with pytest.raises(audio.AudioError):
        audio.probe_duration(speech(SENTENCES[0], suffix=".mp3"))
