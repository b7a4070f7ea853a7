"""`manage.py transcribe PATH` works on any file ffmpeg reads: the transcript goes to
standard output, progress to standard error. Real Whisper on real espeak-ng speech."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import webvtt

from tests.transcription.conftest import SENTENCES, speech
from transcription.accuracy import word_error_rate as wer

pytestmark = pytest.mark.slow
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def transcribe(path, *args):
    done = subprocess.run(
        [sys.executable, str(MANAGE), "transcribe", str(path), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_vtt_on_stdout_progress_on_stderr(whisper_models):
    done = transcribe(speech(SENTENCES), "--model", "tiny.en")
    captions = webvtt.from_string(done.stdout)  # stdout is nothing but the caption file
    text = " ".join(c.text for c in captions)
    assert wer(" ".join(SENTENCES), text) <= 0.25, text
    assert "100.0%" in done.stderr and "tiny.en" in done.stderr
    assert all(len(line) <= 42 for c in captions for line in c.lines)


def test_json_words_have_plausible_times(whisper_models):
    path = speech(SENTENCES, gap=1.5)
    data = json.loads(transcribe(path, "--model", "tiny.en", "--format", "json").stdout)
    words = [w for s in data["segments"] for w in s["words"]]
    assert len(words) >= 15
    starts = [w["start"] for w in words]
    assert starts == sorted(starts)
    assert all(0 <= w["start"] <= w["end"] <= data["segments"][-1]["end"] + 0.01 for w in words)
    # The second sentence begins after the first one and the 1.5 s pause.
    people = next(w for w in words if w["word"].lower().startswith("people"))
    assert people["start"] > 4.0


def test_video_files_and_the_base_model(whisper_models):
    done = transcribe(speech(SENTENCES[0], suffix=".mp4", video=True), "--format", "txt")
    assert wer(SENTENCES[0], done.stdout) <= 0.3, done.stdout
    assert "base: language en" in done.stderr


def test_a_file_ffmpeg_cannot_read_is_a_clear_error(tmp_path):
    junk = tmp_path / "notes.mp3"
    junk.write_text("not audio")
    done = subprocess.run(
        [sys.executable, str(MANAGE), "transcribe", str(junk)], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "ffmpeg cannot read" in done.stderr and not done.stdout


def test_long_files_are_processed_in_chunks_cut_at_pauses(whisper_models, monkeypatch):
    from transcription import audio
    from transcription.engines import get_engine

    monkeypatch.setattr(audio, "CHUNK_SECONDS", 6)  # an hour's worth of chunking, in 12 s
    path = speech(SENTENCES, gap=1.0)
    chunks = list(audio.decode_chunks(path))
    assert len(chunks) >= 2 and all(len(c.samples) <= 6 * audio.SAMPLE_RATE for c in chunks)
    result = get_engine("default", MODEL="tiny.en").transcribe(path)
    assert wer(" ".join(SENTENCES), result.text) <= 0.3, result.text
