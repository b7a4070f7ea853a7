"""Decide whether an uploaded file is a recording the archive can accept.

Everything is judged by the file's content (ffprobe, a decode of the whole file and a
look at its first bytes), never by its name: a contributor's file name is not evidence
of what is inside, and a renamed program must never reach a media player. The length
recorded is the one measured by decoding, not the one the header declares (issue 10: a
FLAC declaring 5 s held 240 s), and sound or pictures beyond what the worker can convert
safely (sample rate, channels, frame size, frame rate) are refused here.

probe_recording(path) returns a Probe or raises RecordingRejected with a plain
message for the person who uploaded the file."""

import json
import os
import tempfile
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from django.conf import settings

from . import mediatools

# ffprobe names a demuxer by a comma-separated family ("mov,mp4,m4a,3gp,3g2,mj2").
ALLOWED_CONTAINERS = {"mov", "mp4", "m4a", "matroska", "webm", "ogg", "mp3", "wav", "flac"}
ALLOWED_VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1"}
ALLOWED_AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis", "flac"}
FORMATS_WE_TAKE = "MP4, MOV, M4A, WebM, MKV, OGG, MP3, WAV or FLAC"
# Sound or pictures this much shorter than the header promises: the file was cut off.
SHORTFALL_SECONDS = 1.0


class RecordingRejected(Exception):
    """The file is not a recording we can accept. `message` is safe to show the uploader."""

    def __init__(self, message: str) -> None:
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


def probe_recording(path: str | Path) -> Probe:
    """Probe the file at `path`; return a Probe or raise RecordingRejected."""
    path = Path(path)
    size = path.stat().st_size
    _check_size(size)
    _check_not_obviously_something_else(path)
    with _nameless_link(path) as link:
        info = _ffprobe(link, path)
        probe = _read_probe(info, size)
        measured = _measured_duration(link, path, probe)
    if measured < probe.duration - max(SHORTFALL_SECONDS, 0.02 * probe.duration):
        raise RecordingRejected(INCOMPLETE)  # cut off: the header promises more than arrived
    return replace(probe, duration=measured)


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
    args = ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", link]
    done = mediatools.run(args, timeout=settings.MEDIA_PROBE_TIMEOUT, label="probe")
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        if "moov atom not found" in stderr and _has_mp4_header(path):
            raise RecordingRejected(INCOMPLETE)
        raise RecordingRejected(UNREADABLE)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
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
    _check_sound_limits(audio)
    _check_picture_limits(video)
    _check_not_too_long(_declared_duration([fmt, audio, video]))
    # What the sound and pictures declare (a subtitle track may run longer than both).
    duration = _declared_duration([audio, video]) or _declared_duration([fmt])
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


def _check_sound_limits(audio):
    """Refuse sound the worker cannot convert safely: filters hold samples in memory, so a
    655 kHz or 64-channel file costs many times what a real recording does."""
    if audio is None:
        return
    rate = int(_number(audio.get("sample_rate")))
    if rate > settings.RECORDING_MAX_SAMPLE_RATE:
        raise RecordingRejected(
            f"The sound in this file is recorded at {rate / 1000:g} kHz; the most we can take "
            f"is {settings.RECORDING_MAX_SAMPLE_RATE / 1000:g} kHz. Please save it at 48 kHz "
            "or 44.1 kHz, then try again."
        )
    channels = int(_number(audio.get("channels")))
    if channels > settings.RECORDING_MAX_CHANNELS:
        raise RecordingRejected(
            f"The sound in this file has {channels} channels; the most we can take is "
            f"{settings.RECORDING_MAX_CHANNELS}. Please save it as stereo or mono, then try again."
        )


def _check_picture_limits(video):
    if video is None:
        return
    width, height = int(_number(video.get("width"))), int(_number(video.get("height")))
    side = settings.RECORDING_MAX_FRAME_SIDE
    if width > side or height > side:
        raise RecordingRejected(
            f"The pictures in this video are {width} × {height}; the largest we can take is "
            f"{side} × {side}. Please save it at 1080p or 4K, then try again."
        )
    rate = _frame_rate(video)
    if rate > settings.RECORDING_MAX_FRAME_RATE:
        raise RecordingRejected(
            f"This video has {rate:.0f} pictures a second; the most we can take is "
            f"{settings.RECORDING_MAX_FRAME_RATE}. Please save it at normal speed (25, 30 or "
            "60 a second), then try again."
        )


def _frame_rate(video):
    # The average rate: r_frame_rate is only a timebase guess for variable-rate files.
    try:
        return float(Fraction(video.get("avg_frame_rate") or "0"))
    except (ValueError, ZeroDivisionError):
        return 0.0


def _number(value):
    return float(value) if _is_number(value) else 0.0


def _declared_duration(parts):
    """What the header says: a file declaring more than the limit is refused before a long
    decode, and one declaring more than it holds is cut off; the length recorded is the
    measured one."""
    candidates = [part.get("duration") for part in parts if part]
    return max((float(value) for value in candidates if _is_number(value)), default=0.0)


def _check_not_too_long(seconds):
    if seconds > settings.RECORDING_MAX_SECONDS:
        raise RecordingRejected(
            f"This recording is {human_duration(seconds)} long; the longest we can accept is "
            f"{human_duration(settings.RECORDING_MAX_SECONDS)}. Please split it into shorter "
            "parts and upload each one."
        )


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


def _measured_duration(link, path, probe):
    """Read the whole file and return how long it really is. Sound is decoded (cheap, and
    a file cut short or damaged shows as a decoding error); pictures are only read, not
    decoded, which is enough to time them. Stops just past the longest length we accept."""
    if probe.container == "wav" and _wav_is_short(path):
        raise RecordingRejected(INCOMPLETE)
    args = ["ffmpeg", "-nostdin", "-v", "error", "-progress", "pipe:1", "-i", link]
    if probe.audio_codec:
        args += ["-map", "0:a:0"]
    if probe.video_codec:
        # V: a video that is not cover art. Both streams: a film's sound may rightly end
        # before its pictures, or the reverse.
        args += ["-map", "0:V:0", "-c:v", "copy"]
    args += ["-t", str(settings.RECORDING_MAX_SECONDS + 1), "-f", "null", "-"]
    done = mediatools.run(args, timeout=settings.MEDIA_PROBE_TIMEOUT, label="measure")
    if done.timed_out:
        raise RecordingRejected(UNREADABLE)
    seconds = _last_progress_value(done.stdout, "out_time_us") / 1e6
    if done.returncode != 0 or done.stderr.strip() or seconds <= 0:
        raise RecordingRejected(INCOMPLETE)
    _check_not_too_long(seconds)
    return seconds


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
