"""Fixtures for reuse: trainers, report writers and what they make.

`make_transcribed_story` gives a published story with a real recording (ffmpeg) and a
finished transcript whose words have known times, without running Whisper."""

import json
import subprocess

import pytest

from tests.factories import make_recording, make_story


def probe(path):
    """ffprobe's view of a file: its format and streams."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)


# One word every half second: "w0" spans 0.0–0.4 s, "w1" 0.5–0.9 s, and so on.
WORD_GAP = 0.5


def make_transcribed_story(
    words=None, *, kind="video", seconds=6, per_segment=4, recording=None, **story_fields
):
    """A live story whose recording has a done transcript: `words` (default "w0".."wN")
    spoken one every WORD_GAP seconds, `per_segment` words to a segment."""
    from transcription.models import Segment, Status, Transcript, Word

    recording = recording or make_recording(kind, seconds=seconds)
    story = make_story(recording=recording, **story_fields)
    words = list(words or (f"w{i}" for i in range(int(seconds / WORD_GAP) - 1)))
    transcript = Transcript.objects.create(
        recording=recording, status=Status.DONE, language="en", progress=1.0
    )
    for first in range(0, len(words), per_segment):
        chunk = words[first : first + per_segment]
        start = first * WORD_GAP
        segment = Segment.objects.create(
            transcript=transcript,
            start=start,
            end=start + (len(chunk) - 1) * WORD_GAP + 0.4,
            text=" ".join(chunk),
        )
        for i, word in enumerate(chunk):
            at = start + i * WORD_GAP
            Word.objects.create(segment=segment, start=at, end=at + 0.4, word=word, probability=1)
    return story


@pytest.fixture
def transcribed_story(media_root):
    return make_transcribed_story()


# --- reports


@pytest.fixture
def report_writer(django_user_model):
    """A member of the "Report writers" group (consent migration 0002)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("writer", password="x")
    user.groups.add(Group.objects.get(name="Report writers"))
    return user


# --- trainers


def make_trainer(username="trainer"):
    """A user in the Trainers group (consent.clip_for_training, admin access)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username, password="trainer-password")
    user.groups.add(Group.objects.get(name="Trainers"))
    return user


@pytest.fixture
def trainer(db):
    return make_trainer()


# --- exports


@pytest.fixture
def export_settings(settings):
    """Small, quick exports for tests: the pipeline is the same at any size."""
    settings.REUSE_EXPORT_SIZE = (320, 180)
    settings.REUSE_EXPORT_PRESET = "ultrafast"
    return settings


@pytest.fixture
def export_trainer(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("export-trainer", password="pw")
    user.groups.add(Group.objects.get(name="Trainers"))
    return user


def make_export_reel(owner, stories, *, slides=("What did you notice?",), spans=None):
    """A reel of one clip from each story (1.0 s to 3.4 s unless `spans` says), with the
    slides between the clips, each clip cut."""
    from reuse import clipping
    from reuse.models import Clip, Reel, ReelItem

    reel = Reel.objects.create(owner=owner, title="Listening to Wirral")
    spans = spans or [(1.0, 3.4)] * len(stories)
    slides = list(slides)
    position = 0
    for story, (start, end) in zip(stories, spans, strict=True):
        recording = story.story_recordings.first().recording
        clip = Clip.objects.create(
            owner=owner, story=story, recording=recording, start=start, end=end
        )
        clipping.cut(clip)
        ReelItem.objects.create(reel=reel, position=position, kind="clip", clip=clip)
        position += 1
        if slides:
            ReelItem.objects.create(reel=reel, position=position, kind="slide", text=slides.pop(0))
            position += 1
    return reel
