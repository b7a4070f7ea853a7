"""Cutting a clip (reuse.clipping): exactly its stretch of the public file, with captions
timed from the clip's start, and a redacted word silent and hidden in it."""

import math
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from reuse import clipping
from reuse.models import Clip, JobStatus
from tests.reuse.conftest import make_transcribed_story, probe
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


def frame_by_frame(clip_file, source, start, seconds):
    """How like the source's own frames from `start` each of the clip's frames is (PSNR in
    dB, frame n against frame n; inf when identical). One frame early or late scores about
    20 dB on ffmpeg's counting test pattern."""
    stats = clip_file.with_suffix(".psnr")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(clip_file), "-ss", f"{start}", "-t", f"{seconds}",
         "-i", str(source), "-lavfi",
         f"[0:v]setpts=N/25/TB[a];[1:v]setpts=N/25/TB[b];[a][b]psnr=stats_file={stats}",
         "-f", "null", "-"],
        check=True,
    )  # fmt: skip
    values = [line.split()[5].partition(":")[2] for line in stats.read_text().splitlines()]
    stats.unlink()
    return [math.inf if value == "inf" else float(value) for value in values]


def decoding_errors(path):
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True
    )
    return done.returncode, done.stderr.decode()


def test_a_long_video_clip_copies_between_keyframes_with_every_frame_in_place(media_root):
    story = make_transcribed_story(seconds=12)
    clip = clip_of(story, 1.3, 8.7)  # the web version has keyframes at 0, 2, 4, 6, 8, 10 s

    clipping.cut(clip)

    clip.refresh_from_db()
    path = Path(clip.file.path)
    scores = frame_by_frame(path, clip.recording.rendition.path, 1.3, 7.4)
    assert len(scores) == 185  # the frames shown from 1.32 s to 8.68 s, none missing or added
    assert min(scores) > 35  # each one the source's frame at that moment
    # From the keyframe at 2 s to the one at 8 s, the web version's own frames, not re-encoded.
    assert scores.count(math.inf) == 150
    assert decoding_errors(path) == (0, "")
    streams = {s["codec_type"]: float(s["duration"]) for s in probe(path)["streams"]}
    assert streams == {"video": pytest.approx(7.4, abs=0.05), "audio": pytest.approx(7.4, abs=0.05)}
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".partial")]


def test_a_web_version_made_with_other_settings_is_re_encoded_whole_and_still_exact(
    media_root, tmp_path
):
    story = make_transcribed_story(seconds=12)
    recording = story.story_recordings.first().recording
    # Another encoder's settings (ultrafast has no CABAC): its frames cannot be joined to ours.
    other = tmp_path / "other.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", recording.rendition.path, "-c:v", "libx264",
         "-preset", "ultrafast", "-g", "25", "-c:a", "copy", str(other)],
        check=True,
    )  # fmt: skip
    other.replace(recording.rendition.path)
    clip = clip_of(story, 1.3, 8.7)

    clipping.cut(clip)

    clip.refresh_from_db()
    scores = frame_by_frame(Path(clip.file.path), recording.rendition.path, 1.3, 7.4)
    assert len(scores) == 185
    assert min(scores) > 35
    assert math.inf not in scores  # nothing copied
    assert decoding_errors(clip.file.path) == (0, "")
