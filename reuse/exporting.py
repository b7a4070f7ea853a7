"""Exporting a reel: one MP4 (H.264/AAC) with a title card, its clips and discussion slides,
and an end card crediting each storyteller as they chose to be named; a side-car WebVTT for
the whole reel; and the training pack (reuse.packs).

Every part is made on its own (cards are pictures drawn with Pillow; clips come from their
cut files, which are cut from the public, redacted renditions), at one size, frame rate and
sample rate, with the sound kept as PCM; the parts are then joined without re-encoding the
pictures and the sound is encoded once, so the reel's length is exactly the sum of its parts.
A clip's part (the reel's frame, rate and sound, captions burned in) is made
ahead, in the background after the clip is cut, and kept on the clip; an export uses it when
it was made the same way, so it mostly joins parts. Progress is saved after each part.
Everything is written in a temporary folder and moved into place only when all of it is
made: a failed export leaves a plain message and no file, and running it again is safe.

The consent gate is asked when the export is requested (clips no longer allowed for training
are left out, and the trainer is told how many), again when the task runs, and again at
download (reuse.views.exports)."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from archive import mediatools
from archive.tasks import WITHOUT_METADATA
from consent import gate
from consent.templatetags.consent_tags import story_credit
from transcription import captions

from . import clipping, packs
from .clipping import AUDIO_CODEC
from .models import (
    Clip,
    Download,
    DownloadedStory,
    JobStatus,
    Reel,
    ReelExport,
    ReelItem,
    ReelItemKind,
)

logger = logging.getLogger(__name__)

# One size, frame rate and sample rate for every part, so the parts join cleanly. 720p is
# what a training room's projector shows well; settings may lower it (tests, small servers).
FRAME_RATE = 25
SAMPLE_RATE = 48000
PART_TIMEOUT = 600.0
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
BACKGROUND = (11, 12, 12)  # GOV.UK black
FOREGROUND = (255, 255, 255)
TITLE_SECONDS = 4.0
# A slide stays long enough to read aloud twice: about 0.4 s a word, 4 to 15 s.
SLIDE_SECONDS = (4.0, 15.0, 0.4)
END_SECONDS_BASE, END_SECONDS_PER_STORY = 4.0, 2.0
STALE_AFTER = timedelta(hours=2)


class ExportFailed(Exception):
    """The export could not be made; the message is for the trainer."""


class ExportRefused(Exception):
    """The export was not started; the message is for the trainer."""


_UNEXPECTED = (
    "The reel could not be exported because of an unexpected problem. Try again; if it "
    "fails again, ask the archive team."
)


def frame_size() -> tuple[int, int]:
    width, height = getattr(settings, "REUSE_EXPORT_SIZE", (1280, 720))
    return int(width), int(height)


def video_codec() -> list[str]:
    preset = getattr(settings, "REUSE_EXPORT_PRESET", "veryfast")
    return ["-c:v", "libx264", "-preset", preset, "-crf", "23", "-pix_fmt", "yuv420p"]


# --- what goes in ------------------------------------------------------------------


def clip_items(reel: Reel) -> list[ReelItem]:
    return list(
        reel.items.filter(kind=ReelItemKind.CLIP, clip__isnull=False).select_related(
            "clip__story__consent__contributor", "clip__recording"
        )
    )


def allowed_clips(reel: Reel, user: Any) -> tuple[list[Clip], int]:
    """The reel's clips the gate still allows for training to `user`, in order, and how
    many were left out."""
    clips = [item.clip for item in clip_items(reel) if item.clip is not None]
    allowed = [clip for clip in clips if gate.may(gate.Use.CLIP, clip, user)]
    return allowed, len(clips) - len(allowed)


def may_export(reel: Reel, user: Any) -> bool:
    """The reel's owner, the trainers it is shared with, and editors."""
    if not user.is_authenticated:
        return False
    if reel.owner_id == user.pk or user.has_perm(gate.MODERATE_PERMISSION):
        return True
    return reel.shared_with.filter(pk=user.pk).exists()


def request_export(reel: Reel, user: Any, burn_captions: bool) -> tuple[ReelExport, bool]:
    """The export to make (a new one, or the one already queued or running for this reel
    and option: a second click makes nothing twice); whether it is new. Raises
    ExportRefused when no clip of the reel may be used for training now."""
    with transaction.atomic():
        Reel.objects.select_for_update().filter(pk=reel.pk).first()
        running = reel.exports.filter(
            burn_captions=burn_captions,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            # One left "running" by a worker that died must not block the reel for ever.
            created_at__gte=timezone.now() - STALE_AFTER,
        ).first()
        if running is not None:
            return running, False
        clips, left_out = allowed_clips(reel, user)
        if not clips:
            raise ExportRefused(
                "None of this reel's clips may be used for training now, so there is "
                "nothing to export."
            )
        export = ReelExport.objects.create(
            reel=reel,
            requested_by=user,
            burn_captions=burn_captions,
            manifest={"left_out": left_out},
        )
    return export, True


def retry(export: ReelExport) -> bool:
    """Queue a failed export again; False if it had not failed."""
    updated = ReelExport.objects.filter(pk=export.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED, progress=0.0, error=""
    )
    export.refresh_from_db()
    return bool(updated)


def still_allowed(export: ReelExport, user: Any) -> bool:
    """Whether every clip in the finished export is still there and still allowed for
    training to `user` (asked again at every download)."""
    ids = [entry["clip_id"] for entry in export.manifest.get("clips", [])]
    clips = list(Clip.objects.filter(pk__in=ids).select_related("story"))
    return (
        bool(ids)
        and len(clips) == len(set(ids))
        and all(gate.may(gate.Use.CLIP, clip, user) for clip in clips)
    )


def record_download(kind: str, user: Any, export: ReelExport) -> Download:
    """The audit of a file leaving the archive: what, when, by whom, which stories (ids)."""
    with transaction.atomic():
        download = Download.objects.create(kind=kind, user=user, reel_id_value=export.reel_id)
        DownloadedStory.objects.bulk_create(
            DownloadedStory(download=download, story_id_value=story_id)
            for story_id in sorted(set(export.story_ids))
        )
    return download


# --- the plan ------------------------------------------------------------------------


@dataclass
class Part:
    """One stretch of the reel: a card (title, slide, end) or a clip."""

    kind: str  # "title", "clip", "slide", "end"
    seconds: float
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    clip: Clip | None = None
    note: str = ""
    start: float = 0.0  # where it starts in the reel, once placed
    cues: list[captions.Cue] = field(default_factory=list)  # times from the part's start


def plan(reel: Reel, clips: list[Clip], today: Any = None) -> list[Part]:
    """The reel's parts in order, each placed: the title card, the allowed clips and the
    slides as the trainer ordered them, and the end card(s)."""
    allowed = {clip.pk for clip in clips}
    today = today or timezone.localdate()
    parts = [
        Part(
            "title",
            TITLE_SECONDS,
            reel.title,
            [f"{today:%-d %B %Y}"],
            cues=[captions.Cue(0.0, TITLE_SECONDS, [reel.title])],
        )
    ]
    for item in reel.items.select_related("clip__story__consent__contributor", "clip__recording"):
        if item.kind == ReelItemKind.SLIDE and item.text.strip():
            parts.append(_slide(item.text.strip()))
        elif item.kind == ReelItemKind.CLIP and item.clip_id in allowed and item.clip:
            parts.append(_clip_part(item.clip, item.text.strip()))
    parts += _end_cards(clips)
    at = 0.0
    for part in parts:
        part.start = round(at, 3)
        at += part.seconds
    return parts


def _frames(seconds: float) -> float:
    """Seconds rounded to whole frames, so each part is exactly as long as planned."""
    return max(1, round(seconds * FRAME_RATE)) / FRAME_RATE


def _slide(text: str) -> Part:
    low, high, per_word = SLIDE_SECONDS
    seconds = _frames(min(high, max(low, per_word * len(text.split()))))
    return Part(
        "slide",
        seconds,
        "Discussion",
        [text],
        cues=[captions.Cue(0.0, seconds, [text])],
    )


def _clip_part(clip: Clip, note: str) -> Part:
    seconds = _frames(clip.duration)
    cues = []
    for cue in captions.build_cues(clipping.clip_passages(clip)):
        start, end = max(0.0, cue.start), min(seconds, cue.end)
        if end - start > 0.05:  # a cue stretched past the clip's end is cut at it
            cues.append(captions.Cue(round(start, 3), round(end, 3), cue.lines))
    credit = story_credit(clip.story)
    return Part(
        "clip",
        seconds,
        clip.story.title,
        [f"Told by {credit}"],
        clip=clip,
        note=note,
        cues=cues,
    )


STORIES_PER_END_CARD = 4


def _end_cards(clips: list[Clip]) -> list[Part]:
    stories = packs.credits(clips)
    pages = [
        stories[i : i + STORIES_PER_END_CARD] for i in range(0, len(stories), STORIES_PER_END_CARD)
    ]
    parts = []
    for number, page in enumerate(pages, 1):
        lines = []
        for entry in page:
            lines.append(f"{entry['title']}: told by {entry['credit']}")
            if entry["themes"]:
                lines.append("Themes: " + ", ".join(entry["themes"]))
            if entry["dimensions"]:
                lines.append("Dimensions: " + ", ".join(d.name for d in entry["dimensions"]))
        heading = "With thanks to the storytellers"
        if len(pages) > 1:
            heading += f" ({number} of {len(pages)})"
        seconds = _frames(END_SECONDS_BASE + END_SECONDS_PER_STORY * len(page))
        text = "; ".join(f"{e['title']}, told by {e['credit']}" for e in page)
        cue = captions.Cue(0.0, seconds, [f"With thanks to: {text}"])
        parts.append(Part("end", seconds, heading, lines, cues=[cue]))
    return parts


# --- making it ---------------------------------------------------------------------


def export_reel(export: ReelExport) -> ReelExport:
    """Make the export's video, captions and pack and mark it done; raises ExportFailed
    (after saving the plain reason on the export) when it cannot."""
    _set(export, JobStatus.RUNNING, progress=0.0)
    storage = export.video.storage
    work = Path(storage.path("reuse/exports")) / f".partial-{uuid.uuid4().hex}"
    try:
        work.mkdir(parents=True)
        outputs, story_ids, manifest = _make(export, work)
        _install(export, outputs, story_ids, manifest)
    except Exception as error:
        reason = str(error) if isinstance(error, ExportFailed) else _UNEXPECTED
        logger.exception("Exporting reel export %s failed", export.pk)
        _set(export, JobStatus.FAILED, reason)
        raise ExportFailed(reason) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return export


def _make(export: ReelExport, work: Path) -> tuple[dict[str, Path], list[int], dict]:
    reel = export.reel
    user = export.requested_by or reel.owner
    clips, left_out = allowed_clips(reel, user)
    if not clips:
        raise ExportFailed(
            "None of this reel's clips may be used for training now, so there is nothing to export."
        )
    for clip in clips:
        _ensure_cut(clip)
    parts = plan(reel, clips)
    steps = len(parts) + 2  # each part, then joining, then the pack
    segments = _render_parts(
        parts, work, export.burn_captions, lambda done: _progress(export, done / steps)
    )
    video = _join(segments, work)
    vtt = work / "reel.vtt"
    vtt.write_text(reel_vtt(parts), encoding="utf-8")
    _progress(export, (len(parts) + 1) / steps)
    left_out = max(left_out, int(export.manifest.get("left_out", 0)))
    manifest = packs.manifest(export, parts, left_out)
    pack = work / "pack.zip"
    packs.write_pack(pack, export, parts, manifest, video, vtt)
    story_ids = sorted({clip.story_id for clip in clips})
    return {"video": video, "captions": vtt, "pack": pack}, story_ids, manifest


def _ensure_cut(clip: Clip) -> None:
    ready = clip.status == JobStatus.DONE and clip.file and clip.file.storage.exists(clip.file.name)
    if ready:
        return
    try:
        clipping.cut(clip)
    except clipping.ClipFailed as error:
        raise ExportFailed(f"The clip “{clip}” could not be used: {error}") from error


@dataclass
class _PartJob:
    out: Path
    args: list[str] = field(default_factory=list)  # ffmpeg's; none when a kept part is used
    label: str = ""
    keep: tuple[Clip, str] | None = None  # the clip and key to keep the made part under


# Two parts at a time: on two cores, one ffmpeg often leaves the other idle (its start, the
# card's picture, x264's lookahead).
PARTS_AT_ONCE = 2


def _render_parts(
    parts: list[Part], work: Path, burn: bool, progress: Callable[[int], None]
) -> list[Path]:
    """Make each part's file (PARTS_AT_ONCE at a time); return them in order. Only ffmpeg
    runs in the pool: the database is used from this thread alone."""
    jobs = [_part_job(part, work, number, burn) for number, part in enumerate(parts)]
    done = sum(1 for job in jobs if not job.args)
    progress(done)
    with ThreadPoolExecutor(max_workers=PARTS_AT_ONCE) as pool:
        running = [pool.submit(_run, job.args, job.label) for job in jobs if job.args]
        try:
            for future in as_completed(running):
                future.result()
                done += 1
                progress(done)
        finally:
            for future in running:
                future.cancel()
    for job in jobs:
        if job.keep:
            _keep_part(*job.keep, job.out)
    return [job.out for job in jobs]


def _part_job(part: Part, work: Path, number: int, burn: bool) -> _PartJob:
    out = work / f"part-{number:03d}.mkv"
    clip = part.clip
    if clip is None:
        card = _card(work / f"card-{number:03d}.png", part.heading, part.lines)
        return _PartJob(out, _still_args(card, None, part.seconds, out), f"card {number}")
    key = part_key(clip, part, burn)
    if _use_kept_part(clip, key, out):
        return _PartJob(out)
    args = _clip_part_args(clip, part, work, number, burn, out)
    return _PartJob(out, args, f"clip {clip.pk}", (clip, key))


# --- clips' parts, made ahead -------------------------------------------------------------
# Re-encoding a clip to the reel's frame with its captions burned in is nearly all of an
# export's work. It is done once per clip, in the background after the clip is cut
# (tasks.make_reel_part), and kept on the clip; an export whose settings and captions match
# only joins the parts. The key names everything the part is made from, so a part made from
# an older cut, other captions, another credit or other settings is never used.

PART_FORMAT = 1  # raise when the way a clip's part is made changes


def part_key(clip: Clip, part: Part, burn: bool) -> str:
    made_from = [
        PART_FORMAT, clip.file.name, clip.recording.is_video, clip.recording.audio_codec,
        frame_size(), video_codec(), FRAME_RATE, SAMPLE_RATE, part.seconds, burn,
        _vtt(part.cues) if burn else "", CAPTION_STYLE, part.heading, part.lines,
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(made_from).encode()).hexdigest()


def prepare_reel_part(clip: Clip, burn: bool = True) -> bool:
    """Make and keep the clip's part for a reel at the current settings (captions burned in,
    the export's default); False when it was kept already. Raises ExportFailed."""
    part = _clip_part(clip, "")
    if clip.reel_part_key == part_key(clip, part, burn) and _exists(clip.reel_part):
        return False
    storage = clip.file.storage
    work = Path(storage.path("reuse/exports")) / f".partial-{uuid.uuid4().hex}"
    try:
        work.mkdir(parents=True)
        _render_parts([part], work, burn, lambda done: None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return True


def _exists(field_file: Any) -> bool:
    return bool(field_file and field_file.name and field_file.storage.exists(field_file.name))


def _use_kept_part(clip: Clip, key: str, out: Path) -> bool:
    """Link the clip's kept part to `out` if it was made the same way (a link: a withdrawal
    may delete the kept file while this export still reads it)."""
    if clip.reel_part_key != key or not _exists(clip.reel_part):
        return False
    try:
        os.link(clip.reel_part.path, out)
    except OSError:
        shutil.copyfile(clip.reel_part.path, out)
    return True


def _keep_part(clip: Clip, key: str, made: Path) -> None:
    """Keep a copy of the part just made on the clip, unless the clip was re-cut or deleted
    meanwhile; drop the part it had."""
    storage = clip.file.storage
    name = clip._meta.get_field("reel_part").generate_filename(clip, "part.mkv")
    os.chmod(made, 0o640)  # as every private file (clipping._install)
    try:
        os.link(made, storage.path(name))
    except OSError:
        shutil.copyfile(made, storage.path(name))
    old = clip.reel_part.name
    updated = Clip.objects.filter(pk=clip.pk, file=clip.file.name).update(
        reel_part=name, reel_part_key=key
    )
    if not updated:
        storage.delete(name)
        return
    if old:
        storage.delete(old)
    clip.reel_part.name, clip.reel_part_key = name, key


def _clip_part_args(
    clip: Clip, part: Part, work: Path, number: int, burn: bool, out: Path
) -> list[str]:
    media = clip.file.path
    subtitles = None
    if burn and part.cues:
        subtitles = work / f"clip-{number:03d}.vtt"
        subtitles.write_text(_vtt(part.cues), encoding="utf-8")
    if clip.recording.is_video:
        has_sound = clip.recording.audio_codec != ""
        return _clip_args(media, subtitles, part.seconds, out, has_sound)
    card = _card(work / f"card-{number:03d}.png", part.heading, part.lines)
    return _still_args(card, media, part.seconds, out, subtitles)


def _picture_filter(subtitles: Path | None, still: bool = False) -> str:
    width, height = frame_size()
    chain = (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p"
    )
    if still:
        # A card is one picture: read and scale it once, then repeat the frame.
        chain += f",loop=loop=-1:size=1,setpts=N/{FRAME_RATE}/TB"
    chain += f",fps={FRAME_RATE},format=yuv420p"
    if subtitles is not None:
        chain += ",subtitles=" + filter_escape(
            f"filename={option_escape(str(subtitles))}:force_style={option_escape(CAPTION_STYLE)}"
        )
    return chain


# Large enough to read from the back of a room: libass sizes fonts for 288 lines.
CAPTION_STYLE = "FontName=DejaVu Sans,FontSize=18,Outline=1.5,Shadow=0,MarginV=18"
SOUND_FILTER = f"aresample={SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=stereo,apad"


def _clip_args(
    media: str, subtitles: Path | None, seconds: float, out: Path, has_sound: bool
) -> list[str]:
    # A film without sound gets silence, so every part has both streams.
    sound, source = ([], "0:a:0") if has_sound else (_silence(seconds), "1:a:0")
    graph = (
        f"[0:v:0]{_picture_filter(subtitles)},tpad=stop_mode=clone:stop_duration=5[v];"
        f"[{source}]{SOUND_FILTER}[a]"
    )
    return ["-i", media, *sound, "-filter_complex", graph, *_part_output(seconds, out)]


def _still_args(
    card: Path, sound: str | None, seconds: float, out: Path, subtitles: Path | None = None
) -> list[str]:
    audio = ["-i", sound] if sound else _silence(seconds)
    graph = f"[0:v:0]{_picture_filter(subtitles, still=True)}[v];[1:a:0]{SOUND_FILTER}[a]"
    return [
        "-i", str(card), *audio, "-filter_complex", graph, *_part_output(seconds, out),
    ]  # fmt: skip


def _silence(seconds: float) -> list[str]:
    source = f"anullsrc=r={SAMPLE_RATE}:cl=stereo"
    return ["-f", "lavfi", "-t", f"{seconds:.3f}", "-i", source]


def _part_output(seconds: float, out: Path) -> list[str]:
    # Sound stays PCM until the parts are joined: AAC would add its priming at each join.
    return [
        "-map", "[v]", "-map", "[a]", "-t", f"{seconds:.3f}",
        *video_codec(), "-r", str(FRAME_RATE), "-c:a", "pcm_s16le", str(out),
    ]  # fmt: skip


def _join(segments: list[Path], work: Path) -> Path:
    listing = work / "parts.txt"
    listing.write_text("".join(f"file '{path.name}'\n" for path in segments), encoding="utf-8")
    out = work / "reel.mp4"
    metadata = [arg for key, value in WITHOUT_METADATA.items() for arg in (f"-{key}", str(value))]
    _run(
        [
            "-f", "concat", "-safe", "0", "-i", str(listing),
            "-map", "0:v:0", "-map", "0:a:0", "-c:v", "copy", *AUDIO_CODEC,
            "-movflags", "+faststart", *metadata, str(out),
        ],
        "joining the reel",
    )  # fmt: skip
    return out


def _run(args: list[str], label: str) -> None:
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    done = mediatools.run(command, timeout=PART_TIMEOUT, label=f"export {label}")
    output = Path(args[-1])
    if done.timed_out:
        raise ExportFailed(f"Making the reel took too long at {label} and was stopped.")
    if done.returncode or not output.exists() or output.stat().st_size == 0:
        logger.error("ffmpeg failed at %s: %s", label, done.stderr.decode("utf-8", "replace"))
        raise ExportFailed(
            f"The reel could not be made at {label}. Try again; if it fails again, ask "
            "the archive team."
        )


# --- cards and captions ---------------------------------------------------------------


def _card(path: Path, heading: str, lines: list[str]) -> Path:
    """A plain card: the heading large, the lines below it, wrapped to the frame."""
    width, height = frame_size()
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = width // 12
    big = ImageFont.truetype(BOLD_FONT, max(12, height // 14))
    small = ImageFont.truetype(FONT, max(10, height // 26))
    wrapped = [(big, line) for line in _wrap(heading, big, width - 2 * margin)]
    for text in lines:
        wrapped += [(small, line) for line in _wrap(text, small, width - 2 * margin)]
    line_heights = [int(font.size * 1.35) for font, _line in wrapped]
    y = max(margin // 2, (height - sum(line_heights)) // 2)
    for (font, line), line_height in zip(wrapped, line_heights, strict=True):
        if y + line_height > height - margin // 4:
            break  # what does not fit is in the handout and the captions
        draw.text((margin, y), line, font=font, fill=FOREGROUND)
        y += line_height
    image.save(path, format="PNG")
    return path


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if current and font.getlength(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def reel_vtt(parts: list[Part]) -> str:
    """The whole reel's captions: each part's cues shifted by where it starts."""
    cues = [
        captions.Cue(round(part.start + c.start, 3), round(part.start + c.end, 3), c.lines)
        for part in parts
        for c in part.cues
    ]
    return _vtt(cues)


def _vtt(cues: list[captions.Cue]) -> str:
    # WebVTT cue text is markup: escape &, < and > (a transcript may contain "R&B").
    blocks = [
        f"{_stamp(c.start)} --> {_stamp(c.end)}\n"
        + "\n".join(html.escape(line, quote=False) for line in c.lines)
        for c in cues
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def _stamp(seconds: float) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def option_escape(value: str) -> str:
    """Escape a filter option's value (ffmpeg-filters, "Notes on filtergraph escaping")."""
    return re.sub(r"([\\':])", r"\\\1", value)


def filter_escape(arguments: str) -> str:
    """Escape a filter's arguments for the filtergraph around them."""
    return re.sub(r"([\\'\[\],;])", r"\\\1", arguments)


# --- putting it in place -----------------------------------------------------------


def _install(
    export: ReelExport, outputs: dict[str, Path], story_ids: list[int], manifest: dict
) -> None:
    """Move the files into place and point the export at them; drop what it had."""
    storage = export.video.storage
    names = {}
    moved = []
    try:
        for field_name, temp in outputs.items():
            model_field = export._meta.get_field(field_name)
            name = model_field.generate_filename(export, "reel" + temp.suffix)
            final = Path(storage.path(name))
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(temp, 0o640)
            os.replace(temp, final)
            moved.append(final)
            names[field_name] = name
        old = [export.video.name, export.captions.name, export.pack.name]
        with transaction.atomic():
            updated = ReelExport.objects.filter(pk=export.pk).update(
                **names,
                status=JobStatus.DONE,
                progress=1.0,
                error="",
                story_ids=story_ids,
                manifest=manifest,
                finished_at=timezone.now(),
            )
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        raise
    # Deleted while we worked (a withdrawal, say): keep none of it.
    for name in old if updated else names.values():
        if name:
            storage.delete(name)
    export.video.name, export.captions.name, export.pack.name = (
        names["video"],
        names["captions"],
        names["pack"],
    )
    export.status, export.progress, export.error = JobStatus.DONE, 1.0, ""
    export.story_ids, export.manifest = story_ids, manifest


def _progress(export: ReelExport, fraction: float) -> None:
    export.progress = round(min(fraction, 0.99), 3)
    ReelExport.objects.filter(pk=export.pk).update(progress=export.progress)


def _set(export: ReelExport, status: str, error: str = "", progress: float | None = None) -> None:
    fields: dict[str, Any] = {"status": status, "error": error}
    if progress is not None:
        fields["progress"] = progress
    ReelExport.objects.filter(pk=export.pk).update(**fields)
    export.status, export.error = status, error
    if progress is not None:
        export.progress = progress
