"""Exporting a reel (reuse.exporting): one MP4 checked with ffprobe, as long as its clips
plus its cards, its WebVTT's cues inside the clips' times in the reel, and the captions
visible in the picture when burned in."""

import subprocess

import pytest

from reuse import exporting
from reuse.models import JobStatus
from tests.reuse.conftest import make_export_reel, make_transcribed_story, probe

pytestmark = pytest.mark.django_db


def frame(path, at, width=320, height=180):
    """One frame's grey levels at `at` seconds, fitted into width x height like the reel."""
    fit = (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2"
    )
    return subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{at:.3f}", "-i", str(path), "-vf", fit,
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        check=True,
        capture_output=True,
    ).stdout  # fmt: skip


def changed(a, b, rows, width=320):
    """How many pixels of a band of rows differ starkly between two grey frames (letters
    drawn over the picture, not the small changes of encoding it twice)."""
    first, last = rows
    band = slice(first * width, last * width)
    return sum(abs(x - y) > 64 for x, y in zip(a[band], b[band], strict=True))


def cues(vtt):
    """(start, end, text) of each cue of a WebVTT file."""
    found = []
    for block in vtt.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if lines and "-->" in lines[0]:
            start, end = (seconds(stamp) for stamp in lines[0].split(" --> "))
            found.append((start, end, " ".join(lines[1:])))
    return found


def seconds(stamp):
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def exported(owner, stories, burn=True, **reel_options):
    reel = make_export_reel(owner, stories, **reel_options)
    export, created = exporting.request_export(reel, owner, burn)
    assert created
    exporting.export_reel(export)
    export.refresh_from_db()
    return reel, export


def test_an_exported_reel_is_its_cards_and_clips_with_captions_burned_in_and_beside_it(
    media_root, export_settings, export_trainer
):
    stories = [make_transcribed_story(), make_transcribed_story(kind="audio")]
    reel, export = exported(export_trainer, stories, burn=True)

    assert export.status == JobStatus.DONE
    assert export.progress == 1.0
    assert export.story_ids == sorted(story.pk for story in stories)
    info = probe(export.video.path)
    kinds = sorted((s["codec_type"], s["codec_name"]) for s in info["streams"])
    assert kinds == [("audio", "aac"), ("video", "h264")]
    assert {s["pix_fmt"] for s in info["streams"] if s["codec_type"] == "video"} == {"yuv420p"}
    assert "title" not in info["format"].get("tags", {})
    clips = [item.clip for item in reel.items.filter(kind="clip")]
    cards = [p["seconds"] for p in export.manifest["parts"] if p["kind"] != "clip"]
    # A title card, the slide and the end card: each a few seconds.
    assert len(cards) == 3 and all(3 <= card <= 15 for card in cards)
    expected = sum(clip.duration for clip in clips) + sum(cards)
    assert float(info["format"]["duration"]) == pytest.approx(expected, abs=0.1)

    vtt = export.captions.read().decode()
    timed = cues(vtt)
    assert timed[0][2] == reel.title  # the title card
    assert "What did you notice?" in [text for _s, _e, text in timed]
    assert "told by Anonymous" in timed[-1][2]  # the end card credits each storyteller
    spans = [(c["in_reel"]["start"], c["in_reel"]["end"]) for c in export.manifest["clips"]]
    words = [cue for cue in timed if cue[2].startswith("w")]
    assert " ".join(text for _s, _e, text in words).split() == ["w2", "w3", "w4", "w5", "w6"] * 2
    for start, end, _text in words:
        assert any(a - 0.001 <= start < end <= b + 0.001 for a, b in spans)
    assert spans[0][0] == pytest.approx(4.0)  # after the title card

    # The words are in the picture: where the captions go the reel differs from the clip
    # it was made from; above them it is the same picture.
    first_clip_at, during_a_cue = spans[0][0], 1.6  # "w4 w5 w6" is on screen from 1.0 s
    reel_frame = frame(export.video.path, first_clip_at + during_a_cue)
    clip_frame = frame(clips[0].file.path, during_a_cue)
    captions_band = changed(reel_frame, clip_frame, (140, 175))
    picture_band = changed(reel_frame, clip_frame, (20, 100))
    assert captions_band > 60 and captions_band > 10 * picture_band, (captions_band, picture_band)
