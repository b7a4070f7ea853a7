"""A clip's part for reels (reuse.exporting): made in the background right after the clip is
cut, used by an export made the same way (which then only joins parts), never used once
stale, and gone with the clip."""

from pathlib import Path

import pytest

from archive import mediatools
from reuse import clipping, exporting, tasks
from reuse.models import Clip, Reel, ReelItem
from tests.reuse.conftest import make_transcribed_story, probe
from transcription.models import Segment

pytestmark = pytest.mark.django_db


def cut_in_the_background(owner, story, start=1.0, end=3.4):
    recording = story.story_recordings.first().recording
    clip = Clip.objects.create(owner=owner, story=story, recording=recording, start=start, end=end)
    assert tasks.cut_clip.call(clip.pk) == "ready"  # the test backend runs what it queues
    clip.refresh_from_db()
    return clip


def reel_of(clip):
    reel = Reel.objects.create(owner=clip.owner, title="Session")
    ReelItem.objects.create(reel=reel, position=0, kind="clip", clip=clip)
    return reel


def export_runs(reel, owner):
    """Export the reel; return it and the labels of the ffmpeg runs it took."""
    export, _created = exporting.request_export(reel, owner, burn_captions=True)
    with mediatools.measure_peaks() as runs:
        exporting.export_reel(export)
    export.refresh_from_db()
    return export, [label for label, _peak in runs]


def test_a_clip_gets_its_reel_part_after_its_cut_and_an_export_only_joins_it(
    media_root, export_settings, export_trainer
):
    clip = cut_in_the_background(export_trainer, make_transcribed_story())
    assert clip.reel_part_key
    kept = Path(clip.reel_part.path)
    assert kept.exists()
    assert {s["codec_type"] for s in probe(kept)["streams"]} == {"video", "audio"}

    export, runs = export_runs(reel_of(clip), export_trainer)

    assert f"ffmpeg export clip {clip.pk}" not in runs  # the clip was not encoded again
    assert [label for label in runs if label.startswith("ffmpeg export card")]  # the cards were
    parts = sum(part["seconds"] for part in export.manifest["parts"])
    assert float(probe(export.video.path)["format"]["duration"]) == pytest.approx(parts, abs=0.1)
    assert kept.exists()  # the export linked it, and left it kept


def test_a_part_made_from_other_captions_is_made_again_and_replaced(
    media_root, export_settings, export_trainer
):
    clip = cut_in_the_background(export_trainer, make_transcribed_story())
    stale = Path(clip.reel_part.path)
    # An editor corrects a word: the captions burned into the part would be wrong.
    segment = Segment.objects.get(transcript__recording=clip.recording, text__contains="w3")
    segment.text = segment.text.replace("w3", "corrected")
    segment.corrected = True
    segment.save()

    _export, runs = export_runs(reel_of(clip), export_trainer)

    assert f"ffmpeg export clip {clip.pk}" in runs
    clip.refresh_from_db()
    assert not stale.exists()
    assert Path(clip.reel_part.path).exists()
    assert clip.reel_part_key != ""


def test_other_export_settings_make_the_part_again(media_root, export_settings, export_trainer):
    clip = cut_in_the_background(export_trainer, make_transcribed_story())
    export_settings.REUSE_EXPORT_SIZE = (256, 144)

    _export, runs = export_runs(reel_of(clip), export_trainer)

    assert f"ffmpeg export clip {clip.pk}" in runs


def test_cutting_a_clip_again_drops_its_part(media_root, export_settings, export_trainer):
    clip = cut_in_the_background(export_trainer, make_transcribed_story())
    old = Path(clip.reel_part.path)

    clipping.cut(clip)

    clip.refresh_from_db()
    assert not old.exists()
    assert not clip.reel_part and clip.reel_part_key == ""
    assert tasks.make_reel_part.call(clip.pk) == "ready"
    assert tasks.make_reel_part.call(clip.pk) == "ready"  # made once: the second finds it kept
    clip.refresh_from_db()
    assert len(list(Path(clip.reel_part.path).parent.glob("*.mkv"))) == 1


def test_deleting_a_clip_deletes_its_part(client, media_root, export_settings, export_trainer):
    clip = cut_in_the_background(export_trainer, make_transcribed_story())
    files = [Path(f.path) for f in clip.files()]
    assert all(path.exists() for path in files)

    from reuse.clips import delete_clip

    delete_clip(clip)

    assert not [path for path in files if path.exists()]
