"""The length recorded is the one measured by reading the file, not the one its header
declares (issue 10, point 8): a FLAC declaring 5 s that holds 240 s, an MP3 declaring 3 s
that was cut off after 1.5 s, and an over-long file whose header hides its length."""

import subprocess
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.probe import RecordingRejected, probe_recording
from archive.services import accept_recording
from tests.factories import make_media_file


def ffmpeg_make(ffmpeg, *args):
    subprocess.run([ffmpeg, "-nostdin", "-v", "error", "-y", *map(str, args)], check=True)


def declare_flac_samples(path, samples):
    """Rewrite the total-samples field of a FLAC's STREAMINFO (36 bits from byte 21)."""
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0  # STREAMINFO comes first
    data[21] = (data[21] & 0xF0) | ((samples >> 32) & 0x0F)
    data[22:26] = (samples & 0xFFFFFFFF).to_bytes(4, "big")
    path.write_bytes(bytes(data))


@pytest.fixture
def flac_declaring_5_s_holding_240_s(tmp_path, ffmpeg):
    path = tmp_path / "long.flac"
    ffmpeg_make(ffmpeg, "-f", "lavfi", "-i", "sine=frequency=220:sample_rate=8000:duration=240",
                 "-c:a", "flac", path)  # fmt: skip
    declare_flac_samples(path, 5 * 8000)
    return path


def mp3_frames(data):
    """Offsets of the MPEG-1 Layer III frames after the ID3v2 tag."""
    offset = 0
    if data[:3] == b"ID3":
        size = int.from_bytes(bytes(b & 0x7F for b in data[6:10]), "big")
        offset = 10 + size
    bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    rates = [44100, 48000, 32000]
    while offset + 4 <= len(data) and data[offset] == 0xFF and data[offset + 1] & 0xE0 == 0xE0:
        header = data[offset + 2]
        length = 144000 * bitrates[header >> 4] // rates[(header >> 2) & 3] + ((header >> 1) & 1)
        yield offset
        offset += length


@pytest.fixture
def mp3_declaring_3_s_holding_1_5_s(tmp_path):
    data = make_media_file("audio", seconds=3, suffix=".mp3").read_bytes()
    frames = list(mp3_frames(data))
    # The first frame is the Info header that declares the length; keep about half the rest.
    cut = frames[len(frames) // 2]
    path = tmp_path / "cut.mp3"
    path.write_bytes(data[:cut])
    return path


def test_the_flac_header_really_declares_5_seconds(flac_declaring_5_s_holding_240_s):
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(flac_declaring_5_s_holding_240_s)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert float(done.stdout) == pytest.approx(5, abs=0.1)


@pytest.mark.django_db
def test_a_flac_declaring_5_seconds_is_recorded_with_the_240_it_holds(
    media_root, flac_declaring_5_s_holding_240_s
):
    path = flac_declaring_5_s_holding_240_s
    recording = accept_recording(SimpleUploadedFile("long.flac", path.read_bytes()), title="Long")
    recording.refresh_from_db()
    assert recording.duration == pytest.approx(240, abs=0.5)


def test_a_flac_hiding_its_length_past_the_limit_is_refused(
    settings, flac_declaring_5_s_holding_240_s
):
    settings.RECORDING_MAX_SECONDS = 60
    with pytest.raises(RecordingRejected) as caught:
        probe_recording(flac_declaring_5_s_holding_240_s)
    # Measuring stops just past the limit: it does not read all 240 s to say so.
    assert caught.value.message.startswith(
        "This recording is 1 minute 1 second long; the longest we can accept is 1 minute."
    )


def test_an_mp3_cut_off_after_half_its_declared_length_is_incomplete(
    mp3_declaring_3_s_holding_1_5_s,
):
    with pytest.raises(RecordingRejected) as caught:
        probe_recording(mp3_declaring_3_s_holding_1_5_s)
    assert caught.value.message.startswith("This recording seems to be incomplete")


def test_measuring_a_three_minute_recording_is_quick(ffmpeg):
    timings = {}
    for kind, suffix in (("audio", ".mp3"), ("video", ".mp4")):
        path = make_media_file(kind, seconds=180, suffix=suffix)
        started = time.monotonic()
        probe = probe_recording(path)
        timings[suffix] = time.monotonic() - started
        assert probe.duration == pytest.approx(180, abs=0.2)
    each = ", ".join(f"{suffix} {seconds:.2f} s" for suffix, seconds in timings.items())
    print("probe of a 3-minute file, measured length included:", each)
    assert max(timings.values()) < 10
