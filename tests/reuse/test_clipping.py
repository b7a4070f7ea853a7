"""Cutting a clip (reuse.clipping): exactly its stretch of the public file, with captions
timed from the clip's start, and a redacted word silent and hidden in it."""

import pytest
from django.contrib.auth import get_user_model

from reuse import clipping
from reuse.models import Clip, JobStatus
from tests.reuse.conftest import probe
from transcription.models import Redaction, Segment
from transcription.redaction import make_redacted_rendition

pytestmark = pytest.mark.django_db


def cue_words(vtt):
    lines = vtt.splitlines()[1:]
    return " ".join(line for line in lines if line and "-->" not in line).split()


def clip_of(story, start, end):
    owner = get_user_model().objects.create_user("trainer-clipping")
    recording = story.story_recordings.first().recording
    return Clip.objects.create(owner=owner, story=story, recording=recording, start=start, end=end)


def test_a_video_clip_is_exactly_its_stretch_with_captions_from_zero(transcribed_story):
    clip = clip_of(transcribed_story, 1.0, 3.4)  # words w2 to w6

    clipping.cut(clip)

    clip.refresh_from_db()
    assert clip.status == JobStatus.DONE
    info = probe(clip.file.path)
    kinds = {s["codec_type"]: s["codec_name"] for s in info["streams"]}
    assert kinds == {"video": "h264", "audio": "aac"}
    assert float(info["format"]["duration"]) == pytest.approx(2.4, abs=0.1)
    assert "tags" not in info["format"] or "title" not in info["format"]["tags"]
    vtt = clip.captions.read().decode()
    assert vtt.startswith("WEBVTT")
    assert cue_words(vtt) == ["w2", "w3", "w4", "w5", "w6"]
    assert "00:00:00.000 -->" in vtt


def test_a_redacted_word_is_hidden_in_the_clip_captions(transcribed_story, ffmpeg):
    recording = transcribed_story.story_recordings.first().recording
    segment = Segment.objects.get(transcript__recording=recording, text__startswith="w4")
    Redaction.objects.create(segment=segment, phrase="w5", start=2.5, end=2.9)
    make_redacted_rendition(recording)

    clip = clip_of(transcribed_story, 1.0, 3.4)
    clipping.cut(clip)

    vtt = clip.captions.read().decode()
    assert cue_words(vtt) == ["w2", "w3", "w4", "[redacted]", "w6"]
    assert clipping.excerpt(recording, 1.0, 3.4) == "w2 w3 w4 [redacted] w6"


def test_a_clip_whose_public_file_is_missing_fails_plainly_and_leaves_no_file(
    transcribed_story, media_root
):
    clip = clip_of(transcribed_story, 0.0, 2.0)
    recording = clip.recording
    recording.rendition.storage.delete(recording.rendition.name)

    with pytest.raises(clipping.ClipFailed):
        clipping.cut(clip)

    clip.refresh_from_db()
    assert clip.status == JobStatus.FAILED
    assert "still being made" in clip.error
    assert not list(media_root.rglob("reuse/clips/*"))
