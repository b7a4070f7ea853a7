"""Cutting a clip: its stretch of the recording, and its captions.

Clips are cut from the file the public may hear (archive.public_files), never the original,
so a redacted word stays silent in every clip, reel and pack. The cut is re-encoded (video
to H.264/AAC .mp4, audio to AAC .m4a), so it starts at its first word rather than at the
nearest keyframe. Files are written under a temporary name and moved into place: a failed or
interrupted cut leaves nothing a player could find, and running it again is safe."""

from __future__ import annotations

import logging
import os
import uuid
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
    streams = ["-map", "0:v:0", "-map", "0:a:0?", *VIDEO_CODEC] if video else ["-map", "0:a:0"]
    # No tags, chapters or encoder version tags: only sound and pictures (archive.tasks).
    metadata = [arg for key, value in WITHOUT_METADATA.items() for arg in (f"-{key}", str(value))]
    args = [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-ss", f"{clip.start:.3f}", "-i", source.path, "-t", f"{clip.duration:.3f}",
        *streams, *AUDIO_CODEC, "-movflags", "+faststart",
        *metadata, str(out),
    ]  # fmt: skip
    done = mediatools.run(args, timeout=CUT_TIMEOUT, label=f"clip {clip.pk}")
    if done.returncode or done.timed_out or not out.exists() or out.stat().st_size == 0:
        raise ClipFailed(
            "The clip could not be cut from the recording. Try again; if it fails again, "
            "ask the archive team to check the recording."
        )
    return out


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
    old = [clip.file.name, clip.captions.name]
    with transaction.atomic():
        updated = Clip.objects.filter(pk=clip.pk).update(
            status=JobStatus.DONE, error="", file=names["file"], captions=names["captions"]
        )
    # Deleted while we worked (a withdrawal, say): keep none of it.
    for name in old if updated else names.values():
        if name:
            storage.delete(name)
    clip.file.name, clip.captions.name = names["file"], names["captions"]
    clip.status, clip.error = JobStatus.DONE, ""


def _set(clip: Clip, status: str, error: str = "") -> None:
    Clip.objects.filter(pk=clip.pk).update(status=status, error=error)
    clip.status, clip.error = status, error
