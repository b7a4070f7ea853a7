"""Cutting a clip: its stretch of the recording, and its captions.

Clips are cut from the file the public may hear (archive.public_files), never the original,
so a redacted word stays silent in every clip, reel and pack. A clip starts at its first word,
not at the nearest keyframe. Sound alone is re-encoded to AAC (.m4a). A video (.mp4) gets
what editors call a "smart cut": only the frames before its first keyframe and after its last
are re-encoded; the keyframe-to-keyframe stretch between is copied as it is, and so is the
sound (an edit list starts it at the clip's first sample). A 30 s clip costs a second or two
instead of 30 s of encoding, with every frame where it should be. Web versions have a
keyframe every KEYFRAME_SECONDS (archive.tasks), so only a few seconds are ever re-encoded.
The copied frames and the re-encoded ones must share the encoder's stream headers; when they
do not (a web version made with other settings), the whole clip is re-encoded instead.

Files are written under a temporary name and moved into place: a failed or interrupted cut
leaves nothing a player could find, and running it again is safe."""

from __future__ import annotations

import json
import logging
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from archive import mediatools
from archive.public_files import public_file
from archive.tasks import WITHOUT_METADATA
from transcription import captions
from transcription.models import Task
from transcription.outputs import public_passages, public_transcripts

from .models import Clip, JobStatus

if TYPE_CHECKING:
    from archive.models import Recording

logger = logging.getLogger(__name__)

# A clip is a few minutes at most; a cut that takes longer than this has gone wrong.
CUT_TIMEOUT = 300.0
# Re-encoding settings for clips and the reels made from them: quick, and plain H.264/AAC
# that every player and every editing tool opens.
VIDEO_CODEC = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]
AUDIO_CODEC = ["-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2"]


class ClipFailed(Exception):
    """The clip could not be cut; the message is for the trainer."""


def clip_passages(clip: Clip) -> list[captions.Passage]:
    """The clip's public transcript (every redaction applied), timed from 0 at its start."""
    return passages_between(clip.recording, clip.start, clip.end)


def passages_between(recording: Recording, start: float, end: float) -> list[captions.Passage]:
    transcript = public_transcripts(recording).filter(task=Task.TRANSCRIBE).first()
    if transcript is None:
        return []
    length = end - start
    inside = []
    for passage in public_passages(transcript):
        if passage.end <= start or passage.start >= end:
            continue
        # Whole words only: a word is in the clip when its middle is.
        tokens = [
            (max(0.0, a - start), min(length, b - start), word)
            for a, b, word in captions.timed_tokens(passage)
            if start <= (a + b) / 2 <= end
        ]
        if tokens:
            text = " ".join(t[2] for t in tokens)
            inside.append(
                captions.Passage(tokens[0][0], tokens[-1][1], text, passage.speaker, tokens)
            )
    return inside


def excerpt(recording: Recording, start: float, end: float) -> str:
    """The public words between two times, as one line of text."""
    return " ".join(p.text for p in passages_between(recording, start, end))


def cut(clip: Clip) -> Clip:
    """Cut the clip's media and captions and mark it ready; raises ClipFailed (after saving
    the plain reason on the clip) when it cannot."""
    _set(clip, JobStatus.RUNNING)
    made: list[Path] = []
    try:
        media = _cut_media(clip, made)
        vtt = captions.render(clip_passages(clip), "vtt")
        subtitles = _temp_beside(media, ".vtt", made)
        subtitles.write_text(vtt, encoding="utf-8")
        _install(clip, media, subtitles)
    except Exception as error:
        for path in made:
            path.unlink(missing_ok=True)
        reason = str(error) if isinstance(error, ClipFailed) else _UNEXPECTED
        logger.exception("Cutting clip %s failed", clip.pk)
        _set(clip, JobStatus.FAILED, reason)
        raise ClipFailed(reason) from error
    return clip


_UNEXPECTED = (
    "The clip could not be cut because of an unexpected problem. Try again; if it fails "
    "again, ask the archive team."
)


def _cut_media(clip: Clip, made: list[Path]) -> Path:
    source = public_file(clip.recording)
    if source is None or not source.name or not source.storage.exists(source.name):
        raise ClipFailed(
            "The recording's public version is still being made. Try again in a few minutes."
        )
    video = clip.recording.is_video
    suffix = ".mp4" if video else ".m4a"
    final_name = clip._meta.get_field("file").generate_filename(clip, "clip" + suffix)
    out = Path(source.storage.path(final_name)).with_name(f".partial-{uuid.uuid4().hex}{suffix}")
    out.parent.mkdir(parents=True, exist_ok=True)
    made.append(out)
    start, end = clip.start, clip.end
    if video:
        if not _smart_cut(source.path, start, end, out, clip.pk):
            _ffmpeg(["-ss", f"{start:.3f}", "-i", source.path, "-t", f"{end - start:.3f}",
                     "-map", "0:v:0", "-map", "0:a:0?", *VIDEO_CODEC, *EVERY_FRAME,
                     *AUDIO_CODEC,
                     *_FINISH, str(out)], clip.pk)  # fmt: skip
    else:
        _ffmpeg(["-ss", f"{start:.3f}", "-i", source.path, "-t", f"{end - start:.3f}",
                 "-map", "0:a:0", *AUDIO_CODEC, *_FINISH, str(out)], clip.pk)  # fmt: skip
    return out


# Every frame as it comes: by default, .mp4 output repeats the first frame when the seek
# point falls between two, and every later frame shows one frame late.
EVERY_FRAME = ["-fps_mode", "passthrough"]
# No tags, chapters or encoder version tags: only sound and pictures (archive.tasks).
_FINISH = [
    "-movflags", "+faststart",
    *[arg for key, value in WITHOUT_METADATA.items() for arg in (f"-{key}", str(value))],
]  # fmt: skip


def _ffmpeg(args: list[str], clip_id: int | None, *, quiet: bool = False) -> bool:
    """Run ffmpeg; a failure raises ClipFailed, or returns False when `quiet`."""
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    done = mediatools.run(command, timeout=CUT_TIMEOUT, label=f"clip {clip_id}")
    out = Path(args[-1])
    if not (done.returncode or done.timed_out or not out.exists() or out.stat().st_size == 0):
        return True
    if quiet:
        return False
    raise ClipFailed(
        "The clip could not be cut from the recording. Try again; if it fails again, "
        "ask the archive team to check the recording."
    )


def _smart_cut(source: str, start: float, end: float, out: Path, clip_id: int | None) -> bool:
    """Cut [start, end) re-encoding only the ends (see the module's docstring); False when
    the stretch has too little between two keyframes to be worth it, or the re-encoded ends
    do not share the copied frames' headers, and the caller re-encodes it all."""
    look = _look(source, start, end)
    keys = [at for at, key in look.frames if key] if look else []
    if look is None or len(keys) < 2 or keys[-1] - keys[0] < MIN_COPIED_SECONDS:
        return False
    first, last = keys[0], keys[-1]
    stretches = [("head", start, first), ("middle", first, last), ("tail", last, end)]
    pieces: list[Path] = []
    jobs = []
    for what, a, b in stretches:
        count = sum(1 for at, _key in look.frames if a <= at < b)
        if count:
            piece = _temp_beside(out, f".{what}.mp4", pieces)
            jobs.append((piece, a, count, what == "middle"))
    try:
        # The pieces are independent: make them side by side.
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            headers = list(pool.map(lambda job: _piece(source, look, *job, clip_id), jobs))
        if any(found != look.headers for found in headers):
            return False
        listing = _temp_beside(out, ".txt", pieces)
        listing.write_text("".join(f"file '{p.name}'\n" for p in pieces), encoding="utf-8")
        return _ffmpeg(["-f", "concat", "-safe", "0", "-i", str(listing),
                        "-ss", f"{start:.3f}", "-i", source, "-t", f"{end - start:.3f}",
                        "-map", "0:v:0", "-map", "1:a:0?", "-c", "copy",
                        *_FINISH, str(out)], clip_id, quiet=True)  # fmt: skip
    finally:
        for piece in pieces:
            piece.unlink(missing_ok=True)


# Fewer copied seconds than this save too little to be worth the extra ffmpeg runs.
MIN_COPIED_SECONDS = 2.0


@dataclass(frozen=True)
class _Look:
    frames: list[tuple[float, bool]]  # each frame's time in the stretch, and if it is a keyframe
    headers: str  # the video stream's codec headers (for H.264, its SPS and PPS), hashed
    clock: str  # its time base's ticks per second


def _look(source: str, start: float, end: float) -> _Look | None:
    """The source's frames in [start, end) from its packets alone (nothing is decoded), and
    its headers and clock. Packets come in decoding order, so a frame shown before `end` may
    be stored after one shown later: read a second past it."""
    done = mediatools.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals",
         f"{max(0.0, start - 1):.3f}%{end + 1:.3f}", "-show_data_hash", "SHA256",
         "-show_entries", f"packet=pts_time,flags:stream={_HEADERS},time_base",
         "-of", "json", source],
        timeout=CUT_TIMEOUT, label="clip keyframes",
    )  # fmt: skip
    try:
        found = json.loads(done.stdout)
        stream = found["streams"][0]
        packets = [(float(p["pts_time"]), p["flags"]) for p in found.get("packets", [])]
    except (ValueError, KeyError, IndexError):
        return None
    frames = sorted((at, flags.startswith("K")) for at, flags in packets if start <= at < end)
    return _Look(frames, _headers_of(stream), stream.get("time_base", "").partition("/")[2])


_HEADERS = "codec_name,width,height,extradata_hash"


def _headers_of(stream: dict) -> str:
    return "|".join(str(stream.get(key)) for key in _HEADERS.split(","))


def _piece(
    source: str, look: _Look, piece: Path, at: float, count: int, copy: bool, clip_id: int | None
) -> str:
    """Make `count` frames of the source from `at` into `piece`; return the piece's headers
    ("" when it could not be made). The copied middle starts on a keyframe, so seeking to it
    is exact either way."""
    codec = ["-c:v", "copy"] if copy else [*VIDEO_CODEC, *EVERY_FRAME]
    clock = ["-video_track_timescale", look.clock] if look.clock.isdigit() else []
    if not _ffmpeg(["-ss", f"{at:.6f}", "-i", source, "-map", "0:v:0", "-an",
                    "-frames:v", str(count), *codec, *clock, str(piece)],
                   clip_id, quiet=True):  # fmt: skip
        return ""
    if copy:
        return look.headers
    done = mediatools.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_data_hash", "SHA256",
         "-show_entries",
         f"stream={_HEADERS}", "-of", "json", str(piece)],
        timeout=CUT_TIMEOUT, label="clip headers",
    )  # fmt: skip
    try:
        return _headers_of(json.loads(done.stdout)["streams"][0])
    except (ValueError, KeyError, IndexError):
        return ""


def _temp_beside(path: Path, suffix: str, made: list[Path]) -> Path:
    temp = path.with_name(f".partial-{uuid.uuid4().hex}{suffix}")
    made.append(temp)
    return temp


def _install(clip: Clip, media: Path, subtitles: Path) -> None:
    """Move both files into place and point the clip at them; drop the files it had."""
    storage = clip.file.storage
    names = {}
    for field, temp in (("file", media), ("captions", subtitles)):
        name = clip._meta.get_field(field).generate_filename(clip, "clip" + temp.suffix)
        os.chmod(temp, 0o640)
        os.replace(temp, storage.path(name))
        names[field] = name
    # A new cut makes the clip's reel part stale (reuse.exporting): it goes with the old files.
    old = [clip.file.name, clip.captions.name, clip.reel_part.name]
    with transaction.atomic():
        updated = Clip.objects.filter(pk=clip.pk).update(
            status=JobStatus.DONE,
            error="",
            file=names["file"],
            captions=names["captions"],
            reel_part="",
            reel_part_key="",
        )
    # Deleted while we worked (a withdrawal, say): keep none of it.
    for name in old if updated else names.values():
        if name:
            storage.delete(name)
    clip.file.name, clip.captions.name = names["file"], names["captions"]
    clip.reel_part.name, clip.reel_part_key = "", ""
    clip.status, clip.error = JobStatus.DONE, ""


def _set(clip: Clip, status: str, error: str = "") -> None:
    Clip.objects.filter(pk=clip.pk).update(status=status, error=error)
    clip.status, clip.error = status, error
