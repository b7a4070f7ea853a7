"""Decide whether an uploaded file is a recording the archive can accept.

Everything is judged by the file's content (ffprobe, a short decode of its tail and a
look at its first bytes), never by its name: a contributor's file name is not evidence
of what is inside, and a renamed program must never reach a media player.

probe_recording(path) returns a Probe or raises RecordingRejected with a plain
message for the person who uploaded the file."""

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
from django.conf import settings

# ffprobe names a demuxer by a comma-separated family ("mov,mp4,m4a,3gp,3g2,mj2").
ALLOWED_CONTAINERS = {"mov", "mp4", "m4a", "matroska", "webm", "ogg", "mp3", "wav", "flac"}
ALLOWED_VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1"}
ALLOWED_AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis", "flac"}
FORMATS_WE_TAKE = "MP4, MOV, M4A, WebM, MKV, OGG, MP3, WAV or FLAC"
TAIL_SECONDS = 2
PROBE_TIMEOUT = 60


class RecordingRejected(Exception):
    """The file is not a recording we can accept. `message` is safe to show the uploader."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Probe:
    type: str  # "audio" or "video", wagtailmedia's MediaType
    container: str
    audio_codec: str
    video_codec: str
    duration: float
    width: int | None
    height: int | None
    size_bytes: int

    @property
    def file_name(self):
        """A name for storage that matches the content, whatever the upload was called."""
        return f"recording.{'mkv' if self.container == 'matroska' else self.container}"


def probe_recording(path):
    """Probe the file at `path`; return a Probe or raise RecordingRejected."""
    path = Path(path)
    size = path.stat().st_size
    _check_size(size)
    _check_not_obviously_something_else(path)
    with _nameless_link(path) as link:
        info = _ffprobe(link, path)
        probe = _read_probe(info, size)
        _check_complete(link, path, probe)
    return probe


def _check_size(size):
    if size == 0:
        raise RecordingRejected("The file is empty (0 bytes). Please choose the recording again.")
    if size > settings.RECORDING_MAX_BYTES:
        raise RecordingRejected(too_large_message(size))


def too_large_message(size=None):
    limit = human_size(settings.RECORDING_MAX_BYTES)
    found = f"The file is {human_size(size)}; " if size else "The file is too large: "
    return (
        f"{found}the largest recording we can accept is {limit}. "
        "Please shorten it or save it at a lower quality, then try again."
    )


def _check_not_obviously_something_else(path):
    with path.open("rb") as handle:
        head = handle.read(4096)
    # Windows programs start "MZ", Linux ones "\x7fELF", macOS ones with Mach-O magic.
    if head[:2] == b"MZ" or head[:4] in {b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"}:
        raise RecordingRejected(
            "This is a program, not a recording. Please choose an audio or video file."
        )
    if _looks_like_text(head):
        raise RecordingRejected(
            "This is a text file, not a recording. Please choose an audio or video file."
        )


def _looks_like_text(head):
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * len(text)


class _nameless_link:
    """A symlink to the file without its extension, so ffprobe judges by content alone
    (it otherwise uses the name as a hint, e.g. treating any .txt as a terminal dump)."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        self.tmpdir = tempfile.TemporaryDirectory(prefix="probe-")
        link = Path(self.tmpdir.name) / "upload"
        os.symlink(self.path.resolve(), link)
        return str(link)

    def __exit__(self, *exc):
        self.tmpdir.cleanup()


def _ffprobe(link, path):
    try:
        return ffmpeg.probe(link, v="error")
    except ffmpeg.Error as error:
        stderr = error.stderr.decode("utf-8", "replace")
        if "moov atom not found" in stderr and _has_mp4_header(path):
            raise RecordingRejected(INCOMPLETE) from None
        raise RecordingRejected(UNREADABLE) from None
    except (OSError, json.JSONDecodeError):
        raise RecordingRejected(UNREADABLE) from None


INCOMPLETE = (
    "This recording seems to be incomplete: it stops before its end, as if the upload or "
    "the recording was cut off. Please try again with the complete file."
)
UNREADABLE = (
    "We couldn't read this file as audio or video. Please upload a recording saved as "
    f"{FORMATS_WE_TAKE}."
)


def _has_mp4_header(path):
    with path.open("rb") as handle:
        return handle.read(12)[4:8] == b"ftyp"


def _read_probe(info, size):
    fmt = info.get("format", {})
    families = set(fmt.get("format_name", "").split(","))
    if not families & ALLOWED_CONTAINERS:
        name = fmt.get("format_long_name") or fmt.get("format_name") or "an unknown"
        raise RecordingRejected(
            f"This file is saved in {_article(name)} format, which we can't accept. "
            f"Please upload a recording saved as {FORMATS_WE_TAKE}."
        )
    audio, video = _main_streams(info.get("streams", []))
    if audio is None and video is None:
        raise RecordingRejected("This file has no sound or pictures in it.")
    _check_codec(audio, ALLOWED_AUDIO_CODECS, "sound", lambda c: c.startswith("pcm_"))
    _check_codec(video, ALLOWED_VIDEO_CODECS, "video", lambda c: False)
    duration = _duration(fmt, audio, video)
    return Probe(
        type="video" if video else "audio",
        container=_container_label(families, fmt, audio, video),
        audio_codec=audio["codec_name"] if audio else "",
        video_codec=video["codec_name"] if video else "",
        duration=duration,
        width=int(video["width"]) if video and video.get("width") else None,
        height=int(video["height"]) if video and video.get("height") else None,
        size_bytes=size,
    )


def _article(name):
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _main_streams(streams):
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    # Cover art in an MP3 or M4A is a still "video" stream; the file is still audio.
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
        ),
        None,
    )
    return audio, video


def _check_codec(stream, allowed, what, also_allowed):
    if stream is None:
        return
    codec = stream.get("codec_name", "")
    if codec not in allowed and not also_allowed(codec):
        raise RecordingRejected(
            f"The {what} in this file is encoded as {codec or 'something unknown'}, which we "
            "can't accept. Please save it again as MP4 (H.264 and AAC) or MP3, then try again."
        )


def _duration(fmt, audio, video):
    candidates = [fmt.get("duration")] + [s.get("duration") for s in (audio, video) if s]
    seconds = max((float(value) for value in candidates if _is_number(value)), default=0.0)
    if seconds <= 0:
        raise RecordingRejected(
            "We couldn't tell how long this recording is, so it may be damaged. "
            "Please save it again and try once more."
        )
    if seconds > settings.RECORDING_MAX_SECONDS:
        raise RecordingRejected(
            f"This recording is {human_duration(seconds)} long; the longest we can accept is "
            f"{human_duration(settings.RECORDING_MAX_SECONDS)}. Please split it into shorter "
            "parts and upload each one."
        )
    return seconds


def _is_number(value):
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _container_label(families, fmt, audio, video):
    if "mp4" in families:
        brand = fmt.get("tags", {}).get("major_brand", "").strip().lower()
        return {"qt": "mov", "m4a": "m4a"}.get(brand, "mp4")
    if "matroska" in families:
        codecs = {s["codec_name"] for s in (audio, video) if s}
        return "webm" if codecs <= {"vp8", "vp9", "av1", "opus", "vorbis"} else "matroska"
    return sorted(families & ALLOWED_CONTAINERS)[0]


def _check_complete(link, path, probe):
    """A file cut short often still probes fine (its header promises the whole length),
    so decode its last seconds: a complete file yields sound or pictures there."""
    if probe.container == "wav" and _wav_is_short(path):
        raise RecordingRejected(INCOMPLETE)
    # Both streams: a film's sound may rightly end before its pictures, or the reverse.
    src = ffmpeg.input(link, sseof=-TAIL_SECONDS)
    streams = [
        src[spec]
        for spec, codec in (("a:0", probe.audio_codec), ("v:0", probe.video_codec))
        if codec
    ]
    args = (
        ffmpeg.output(*streams, "-", f="null")
        .global_args("-nostdin", "-v", "error", "-progress", "pipe:1")
        .compile()
    )
    try:
        done = subprocess.run(args, capture_output=True, timeout=PROBE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RecordingRejected(UNREADABLE) from None
    decoded = _last_progress_value(done.stdout, "out_time_us")
    if done.returncode != 0 or done.stderr.strip() or not decoded:
        raise RecordingRejected(INCOMPLETE)


def _wav_is_short(path):
    # The RIFF header states the file's full length; a WAV cut at a sample boundary
    # decodes cleanly, so compare that promise with what arrived.
    with path.open("rb") as handle:
        header = handle.read(8)
    if header[:4] != b"RIFF":
        return False
    promised = int.from_bytes(header[4:8], "little") + 8
    streamed = promised in (8, 0xFFFFFFFF + 8)  # a WAV written to a pipe has no length
    return not streamed and path.stat().st_size < promised


def _last_progress_value(output, key):
    value = 0
    for line in output.decode("ascii", "replace").splitlines():
        name, _, raw = line.partition("=")
        if name == key and raw.strip().lstrip("-").isdigit():
            value = int(raw)
    return value


def human_size(size):
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


def human_duration(seconds):
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if secs and not hours:
        parts.append(f"{secs} second{'s' if secs != 1 else ''}")
    return " ".join(parts) or "0 seconds"
