"""Uploads made to exhaust the worker (issue 10, points 7 and 9): sound or pictures beyond
what the worker converts safely are refused at the probe with a plain message; what is
accepted is converted within bounded memory (the peak of every ffmpeg and ffprobe child is
measured and printed); a still-picture film ends ready, not stuck, with no stray files.

Run with -s to see the peak memory figures."""

import os
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive import mediatools
from archive.models import Recording, RenditionStatus
from archive.probe import RecordingRejected, probe_recording
from archive.services import accept_recording
from archive.tasks import RenditionFailed, make_rendition

MB = 1024 * 1024
# ffprobe alone maps about 55 MB of libraries; nothing here may reach this.
PEAK_BOUND = 300 * MB


def ffmpeg_make(ffmpeg, path, *args):
    subprocess.run([ffmpeg, "-nostdin", "-v", "error", "-y", *map(str, args), str(path)],
                   check=True)  # fmt: skip
    return path


def report(what, peaks):
    figures = ", ".join(f"{label} {peak / MB:.0f} MB" for label, peak in peaks)
    print(f"\npeak memory, {what}: {figures}")
    return max(peak for _label, peak in peaks)


def refusal(path):
    with mediatools.measure_peaks() as peaks, pytest.raises(RecordingRejected) as caught:
        probe_recording(path)
    return caught.value.message, peaks


def test_three_minutes_of_silence_at_655_khz_is_refused_cheaply(tmp_path, ffmpeg):
    # The file from the review: 60 KB; its waveform used to peak near 290 MB.
    flac = ffmpeg_make(ffmpeg, tmp_path / "silence.flac", "-f", "lavfi", "-i",
                       "anullsrc=r=655000:cl=mono", "-t", "180", "-c:a", "flac")  # fmt: skip
    message, peaks = refusal(flac)
    assert message.startswith(
        "The sound in this file is recorded at 655 kHz; the most we can take is 192 kHz."
    )
    assert report("655 kHz FLAC (refused at the probe)", peaks) < PEAK_BOUND


def test_sound_with_32_channels_is_refused(tmp_path, ffmpeg):
    wav = ffmpeg_make(ffmpeg, tmp_path / "many.wav", "-f", "lavfi", "-i",
                      "aevalsrc=" + "|".join(["0"] * 32) + ":s=8000", "-t", "2",
                      "-c:a", "pcm_s16le")  # fmt: skip
    message, peaks = refusal(wav)
    assert message.startswith("The sound in this file has 32 channels; the most we can take is 8.")
    assert report("32-channel WAV (refused)", peaks) < PEAK_BOUND


def test_pictures_larger_than_4096_are_refused(tmp_path, ffmpeg):
    film = ffmpeg_make(ffmpeg, tmp_path / "huge.mp4", "-f", "lavfi", "-i",
                       "color=c=blue:s=8192x4320", "-frames:v", "1", "-c:v", "libx264",
                       "-preset", "ultrafast", "-pix_fmt", "yuv420p")  # fmt: skip
    message, peaks = refusal(film)
    assert message.startswith(
        "The pictures in this video are 8192 × 4320; the largest we can take is 4096 × 4096."
    )
    assert report("8192 × 4320 film (refused)", peaks) < PEAK_BOUND


def test_more_than_120_pictures_a_second_is_refused(tmp_path, ffmpeg):
    film = ffmpeg_make(ffmpeg, tmp_path / "fast.mp4", "-f", "lavfi", "-i",
                       "testsrc=size=160x120:rate=240:duration=1", "-c:v", "libx264",
                       "-preset", "ultrafast", "-pix_fmt", "yuv420p")  # fmt: skip
    message, _peaks = refusal(film)
    assert message.startswith("This video has 240 pictures a second; the most we can take is 120.")


@pytest.mark.django_db
def test_the_heaviest_sound_accepted_is_converted_in_bounded_memory(media_root, tmp_path, ffmpeg):
    # 192 kHz and 8 channels, the limits, for three minutes: brought to 48 kHz stereo (web
    # version) and 8 kHz mono (waveform) before any filter holds it.
    flac = ffmpeg_make(ffmpeg, tmp_path / "heavy.flac", "-f", "lavfi", "-i",
                       "sine=frequency=300:sample_rate=192000:duration=180", "-af",
                       "pan=7.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0|c6=c0|c7=c0",
                       "-c:a", "flac")  # fmt: skip
    with mediatools.measure_peaks() as peaks:
        recording = accept_recording(SimpleUploadedFile("heavy.flac", flac.read_bytes()),
                                     title="Heavy")  # fmt: skip
        make_rendition.call(recording.pk)
    recording.refresh_from_db()
    assert recording.is_ready
    assert report("192 kHz 8-channel FLAC, 3 minutes (accepted)", peaks) < PEAK_BOUND
    done = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                           "stream=sample_rate,channels", "-of", "csv=p=0",
                           recording.rendition.path], capture_output=True, text=True)  # fmt: skip
    assert done.stdout.strip() == "48000,2"


@pytest.mark.django_db
def test_an_ffmpeg_that_outgrows_its_memory_limit_fails_plainly(media_root, settings, ffmpeg):
    from tests.factories import make_recording

    recording = make_recording("audio", ready=False)
    settings.MEDIA_TOOL_MEMORY_MB = 30  # less than ffmpeg needs to start
    with pytest.raises(RenditionFailed):
        make_rendition.call(recording.pk)
    recording.refresh_from_db()
    assert recording.rendition_status == RenditionStatus.FAILED
    assert recording.rendition_error.startswith("The web version could not be made")
    assert unreferenced_files(media_root) == []


def referenced(recording):
    return {f.name for f in (recording.file, recording.rendition, recording.thumbnail) if f}


def unreferenced_files(root):
    known = set().union(*(referenced(r) for r in Recording.objects.all()))
    return [
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
        if os.path.relpath(os.path.join(folder, name), root) not in known
    ]


@pytest.mark.django_db
def test_a_still_picture_film_ends_ready_with_a_poster_and_no_stray_files(
    media_root, tmp_path, ffmpeg
):
    # One picture at the start, six seconds of sound: there is no frame at 1 s for the poster.
    film = ffmpeg_make(ffmpeg, tmp_path / "still.mp4",
                       "-f", "lavfi", "-i", "color=c=green:s=320x240:r=25:d=0.04",
                       "-f", "lavfi", "-i", "sine=duration=6",
                       "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac")  # fmt: skip
    recording = accept_recording(SimpleUploadedFile("still.mp4", film.read_bytes()), title="Still")
    make_rendition.call(recording.pk)
    recording.refresh_from_db()
    assert recording.duration == pytest.approx(6, abs=0.1)
    assert recording.rendition_status == RenditionStatus.READY
    assert recording.rendition_error == ""
    with open(recording.thumbnail.path, "rb") as poster:
        assert poster.read(3) == b"\xff\xd8\xff"  # a JPEG
    assert unreferenced_files(media_root) == []


@pytest.mark.django_db
def test_a_rendition_step_past_its_time_limit_is_stopped_plainly(media_root, settings, ffmpeg):
    from tests.factories import make_recording

    recording = make_recording("video", seconds=60, size="640x480", ready=False)
    settings.MEDIA_RENDITION_TIMEOUT = 0.5
    with pytest.raises(RenditionFailed):
        make_rendition.call(recording.pk)
    recording.refresh_from_db()
    assert recording.rendition_status == RenditionStatus.FAILED
    assert recording.rendition_error == "Making the web version took too long and was stopped."
    assert unreferenced_files(media_root) == []


def test_every_tool_run_logs_its_peak_memory(caplog, ffmpeg):
    from tests.factories import make_media_file

    with caplog.at_level("DEBUG", logger="archive.mediatools"):
        probe_recording(make_media_file("audio"))
    assert any(
        record.getMessage().startswith("ffprobe probe: exit 0, peak ") for record in caplog.records
    )
