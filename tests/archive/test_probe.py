"""Uploads are judged by their content: what is accepted, and the plain message for
each kind of file that is refused."""

import shutil
import subprocess

import pytest

from archive.probe import RecordingRejected, probe_recording
from tests.factories import make_media_file


@pytest.fixture(autouse=True)
def _needs_ffmpeg(ffmpeg):
    return ffmpeg


@pytest.mark.parametrize(
    "kind, suffix, container, audio, video",
    [
        ("audio", ".mp3", "mp3", "mp3", ""),
        ("audio", ".m4a", "m4a", "aac", ""),
        ("audio", ".wav", "wav", "pcm_s16le", ""),
        ("audio", ".ogg", "ogg", "vorbis", ""),
        ("audio", ".webm", "webm", "opus", ""),
        ("audio", ".flac", "flac", "flac", ""),
        ("video", ".mp4", "mp4", "aac", "h264"),
        ("video", ".webm", "webm", "opus", "vp8"),
        ("video", ".mkv", "matroska", "flac", "h264"),
    ],
)
def test_allowed_recordings_are_accepted_with_what_ffprobe_found(
    kind, suffix, container, audio, video
):
    probe = probe_recording(make_media_file(kind, suffix=suffix))
    assert (probe.type, probe.container, probe.audio_codec, probe.video_codec) == (
        kind,
        container,
        audio,
        video,
    )
    assert 1.9 < probe.duration < 2.2
    assert (probe.width, probe.height) == ((320, 240) if kind == "video" else (None, None))


@pytest.mark.parametrize("kind", ["audio", "video"])
def test_a_webm_written_as_a_stream_is_accepted(kind, tmp_path):
    """What a browser's MediaRecorder makes (issue 15): WebM written as it goes, with no
    length in its header and no index; the length is measured instead."""
    streamed = tmp_path / "story-recording.webm"
    source = make_media_file(kind, seconds=3, suffix=".webm")
    with streamed.open("wb") as out:
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-i",
                str(source),
                "-c",
                "copy",
                "-f",
                "webm",
                "-",
            ],
            stdout=out,
            check=True,
        )
    probe = probe_recording(streamed)
    assert (probe.type, probe.container, probe.audio_codec) == (kind, "webm", "opus")
    assert 2.9 < probe.duration < 3.2


def test_the_file_name_is_ignored(tmp_path):
    misnamed = tmp_path / "interview.txt"
    shutil.copy(make_media_file("audio", suffix=".m4a"), misnamed)
    assert probe_recording(misnamed).container == "m4a"


def rejection(path):
    with pytest.raises(RecordingRejected) as caught:
        probe_recording(path)
    return caught.value.message


def test_zero_byte_file(tmp_path):
    empty = tmp_path / "story.mp3"
    empty.touch()
    assert rejection(empty) == "The file is empty (0 bytes). Please choose the recording again."


def test_renamed_windows_program(tmp_path):
    exe = tmp_path / "story.mp4"
    exe.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 40)
    assert rejection(exe).startswith("This is a program, not a recording.")


def test_renamed_linux_program(tmp_path):
    program = tmp_path / "story.mp4"
    shutil.copy(shutil.which("ls"), program)
    assert rejection(program).startswith("This is a program, not a recording.")


def test_text_file_renamed_mp3(tmp_path):
    text = tmp_path / "story.mp3"
    text.write_text("My story, typed out instead of recorded.\n" * 40)
    assert rejection(text).startswith("This is a text file, not a recording.")


def test_random_bytes_are_not_a_recording(tmp_path):
    junk = tmp_path / "story.mp3"
    junk.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(30000)))
    assert rejection(junk).startswith("We couldn't read this file as audio or video.")


def cut_in_half(source, tmp_path, name):
    data = source.read_bytes()
    half = tmp_path / name
    half.write_bytes(data[: len(data) // 2])
    return half


@pytest.mark.parametrize("suffix", [".mp3", ".m4a", ".flac"])
def test_audio_cut_in_half_is_incomplete(tmp_path, suffix):
    half = cut_in_half(make_media_file("audio", seconds=4, suffix=suffix), tmp_path, "a" + suffix)
    assert rejection(half).startswith("This recording seems to be incomplete")


def test_mp4_cut_in_half_is_incomplete(tmp_path):
    half = cut_in_half(make_media_file("video", seconds=4), tmp_path, "v.mp4")
    assert rejection(half).startswith("This recording seems to be incomplete")


def test_mp4_with_index_first_cut_in_half_is_incomplete(tmp_path, ffmpeg):
    import subprocess

    faststart = tmp_path / "faststart.mp4"
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-i",
            str(make_media_file("video", seconds=4)),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            str(faststart),
        ],
        check=True,
    )
    assert probe_recording(faststart).type == "video"
    half = cut_in_half(faststart, tmp_path, "half.mp4")
    assert rejection(half).startswith("This recording seems to be incomplete")


def test_wav_cut_short_on_a_sample_boundary_is_incomplete(tmp_path):
    data = make_media_file("audio", seconds=4, suffix=".wav").read_bytes()
    short = tmp_path / "short.wav"
    short.write_bytes(data[: 44 + 44100 * 2])  # header and one second of 16-bit mono
    assert rejection(short).startswith("This recording seems to be incomplete")


def test_over_long_recording(settings):
    settings.RECORDING_MAX_SECONDS = 60
    message = rejection(make_media_file("audio", seconds=61))
    assert message.startswith(
        "This recording is 1 minute 1 second long; the longest we can accept is 1 minute."
    )


def test_over_large_file(settings):
    settings.RECORDING_MAX_BYTES = 1000
    message = rejection(make_media_file("audio", suffix=".wav"))
    assert message.startswith(
        "The file is 172.3 KB; the largest recording we can accept is 1000 bytes"
    )


def test_container_outside_the_allow_list(tmp_path, ffmpeg):
    import subprocess

    avi = tmp_path / "story.avi"
    subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(make_media_file("video")), "-c", "copy", str(avi)],
        check=True,
    )
    assert "AVI (Audio Video Interleaved) format, which we can't accept" in rejection(avi)


def test_codec_outside_the_allow_list(tmp_path, ffmpeg):
    import subprocess

    mpeg4 = tmp_path / "story.mp4"
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
            "mpeg4",
            str(mpeg4),
        ],
        check=True,
    )
    assert rejection(mpeg4).startswith(
        "The video in this file is encoded as mpeg4, which we can't accept."
    )


def test_film_whose_sound_ends_before_its_pictures_is_complete(tmp_path, ffmpeg):
    import subprocess

    film = tmp_path / "film.mp4"
    subprocess.run(
        [
            ffmpeg, "-v", "error",
            "-f", "lavfi", "-i", "testsrc=size=160x120:rate=5:duration=8",
            "-f", "lavfi", "-i", "sine=duration=3",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            str(film),
        ],
        check=True,
    )  # fmt: skip
    assert probe_recording(film).type == "video"
