"""The web rendition: what a browser gets for video and audio, a poster or waveform,
plain failure reasons, and that reruns are safe."""

import os

import ffmpeg as ffmpeg_python
import pytest

from archive.models import RenditionStatus
from archive.tasks import KEYFRAME_SECONDS, RenditionFailed, make_rendition
from tests.factories import make_recording

pytestmark = pytest.mark.django_db


def streams_of(path):
    info = ffmpeg_python.probe(path)
    return {s["codec_type"]: s["codec_name"] for s in info["streams"]}, info["format"]


def index_comes_first(path):
    data = open(path, "rb").read()
    return data.find(b"moov") < data.find(b"mdat")


def leftovers(root):
    return [name for _dir, _subdirs, names in os.walk(root) for name in names if "partial" in name]


def test_video_becomes_h264_aac_mp4_that_plays_while_loading_with_a_poster(media_root, ffmpeg):
    recording = make_recording("video", suffix=".webm")
    assert recording.rendition_status == RenditionStatus.READY
    assert recording.rendition.name.startswith("renditions/")
    assert recording.rendition_mime == "video/mp4"
    codecs, fmt = streams_of(recording.rendition.path)
    assert codecs == {"video": "h264", "audio": "aac"}
    assert 1.9 < float(fmt["duration"]) < 2.2
    assert index_comes_first(recording.rendition.path)
    with open(recording.thumbnail.path, "rb") as poster:
        assert poster.read(3) == b"\xff\xd8\xff"  # a JPEG
    assert leftovers(media_root) == []


def keyframe_times(path):
    packets = ffmpeg_python.probe(path, select_streams="v:0", show_entries="packet=pts_time,flags")[
        "packets"
    ]
    return sorted(float(p["pts_time"]) for p in packets if p["flags"].startswith("K"))


def test_a_video_web_version_has_a_keyframe_every_two_seconds(media_root, ffmpeg):
    # Players seek to a keyframe at once, and reuse copies clips between them.
    recording = make_recording("video", seconds=9)
    assert keyframe_times(recording.rendition.path) == pytest.approx([0, 2, 4, 6, 8])
    assert KEYFRAME_SECONDS == 2


def test_audio_becomes_aac_m4a_with_a_waveform(media_root, ffmpeg):
    recording = make_recording("audio", suffix=".wav")
    assert recording.rendition_mime == "audio/mp4"
    assert recording.rendition.name.endswith(".m4a")
    codecs, _fmt = streams_of(recording.rendition.path)
    assert codecs == {"audio": "aac"}
    with open(recording.thumbnail.path, "rb") as waveform:
        assert waveform.read(8) == b"\x89PNG\r\n\x1a\n"


def test_running_again_changes_nothing_once_ready(media_root, ffmpeg):
    recording = make_recording("audio")
    before = (recording.rendition.name, recording.thumbnail.name)
    assert make_rendition.call(recording.pk) == "ready"
    recording.refresh_from_db()
    assert (recording.rendition.name, recording.thumbnail.name) == before


def test_forced_rerun_replaces_the_outputs_and_removes_the_old_ones(media_root, ffmpeg):
    recording = make_recording("audio")
    old_paths = [recording.rendition.path, recording.thumbnail.path]
    make_rendition.call(recording.pk, force=True)
    recording.refresh_from_db()
    assert recording.is_ready
    assert os.path.exists(recording.rendition.path) and os.path.exists(recording.thumbnail.path)
    assert not any(os.path.exists(path) for path in old_paths)
    assert sorted(os.listdir(media_root / "renditions")) == [
        os.path.basename(recording.rendition.name)
    ]


def test_a_damaged_original_fails_with_a_plain_reason_and_no_half_files(media_root, ffmpeg):
    recording = make_recording("video", ready=False)
    with open(recording.file.path, "r+b") as original:
        original.truncate(2000)
    with pytest.raises(RenditionFailed):
        make_rendition.call(recording.pk)
    recording.refresh_from_db()
    assert recording.rendition_status == RenditionStatus.FAILED
    assert recording.rendition_error.startswith("The web version could not be made")
    assert "Traceback" not in recording.rendition_error
    assert not recording.rendition
    assert leftovers(media_root) == []
    assert os.listdir(media_root / "renditions") == []


def test_a_failed_rendition_can_be_retried(media_root, ffmpeg):
    recording = make_recording("audio", ready=False)
    good = open(recording.file.path, "rb").read()
    with open(recording.file.path, "wb") as original:
        original.write(b"\x00" * 100)
    with pytest.raises(RenditionFailed):
        make_rendition.call(recording.pk)
    with open(recording.file.path, "wb") as original:
        original.write(good)
    assert make_rendition.call(recording.pk) == "ready"
    recording.refresh_from_db()
    assert recording.is_ready and recording.rendition_error == ""


def test_a_recording_deleted_before_the_worker_reaches_it(media_root, ffmpeg):
    recording = make_recording("audio", ready=False)
    recording.delete()
    assert make_rendition.call(recording.pk) == "gone"


def test_the_task_runs_through_the_task_backend(media_root, ffmpeg):
    recording = make_recording("audio", ready=False)
    result = make_rendition.enqueue(recording.pk)
    recording.refresh_from_db()
    assert result.status == "SUCCESSFUL"
    assert recording.is_ready


def test_video_without_sound(media_root, ffmpeg, tmp_path):
    import subprocess

    silent = tmp_path / "silent.mp4"
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:duration=2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            str(silent),
        ],
        check=True,
    )
    recording = make_recording(silent)
    codecs, _fmt = streams_of(recording.rendition.path)
    assert codecs == {"video": "h264"}


def test_make_renditions_finishes_what_a_killed_worker_left(media_root, ffmpeg):
    from django.core.management import call_command

    recording = make_recording("audio", ready=False)
    recording.rendition_status = RenditionStatus.PROCESSING  # as a worker killed mid-way leaves it
    recording.save()
    (media_root / "renditions").mkdir(exist_ok=True)
    stale = media_root / "renditions" / ".partial-0123abcd.m4a"
    stale.write_bytes(b"half a file")
    os.utime(stale, (0, 0))
    call_command("make_renditions", now=True, stdout=open(os.devnull, "w"))
    recording.refresh_from_db()
    assert recording.is_ready
    assert not stale.exists()


def test_a_failed_remake_keeps_the_old_rendition_playing(media_root, ffmpeg):
    recording = make_recording("audio")
    with open(recording.file.path, "wb") as original:
        original.write(b"\x00" * 100)
    with pytest.raises(RenditionFailed):
        make_rendition.call(recording.pk, force=True)
    recording.refresh_from_db()
    assert recording.is_ready and os.path.exists(recording.rendition.path)
    assert recording.rendition_error.startswith("The web version could not be made")
