"""The training pack: a zip of the reel's MP4, its WebVTT, a handout PDF and manifest.json.

The manifest lists every clip with its source story, recording, start and end, and the
consent it relied on, read again from the current consent record when the pack is made
(so it says what the storyteller agreed to on the day the reel left the archive). The
handout gives each clip's public (redacted) words, credit, themes and dimensions with the
strategy's definitions, and the discussion questions."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from consent import gate
from consent.models import ConsentRecord, ConsentUse
from consent.templatetags.consent_tags import story_credit

from . import clipping
from .pdf import render_pdf

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .exporting import Part
    from .models import Clip, ReelExport

MANIFEST_VERSION = 1


def credits(clips: Iterable[Clip]) -> list[dict[str, Any]]:
    """Each story once, in reel order: title, credit as the teller chose, themes and
    dimensions (with the strategy's definitions)."""
    seen: dict[int, dict[str, Any]] = {}
    for clip in clips:
        story = clip.story
        if story.pk in seen:
            continue
        seen[story.pk] = {
            "story": story,
            "title": story.title,
            "credit": story_credit(story),
            "themes": [theme.name for theme in story.themes.all()],
            "dimensions": list(story.dimensions.all()),
        }
    return list(seen.values())


def consent_basis(clip: Clip) -> dict[str, Any]:
    """The consent the clip relies on now: the current record's id, form version, uses
    agreed and expiry; and what was recorded when the clip was made."""
    try:
        record: ConsentRecord | None = clip.story.consent
    except ConsentRecord.DoesNotExist:
        record = None
    if record is None:
        return {"record_id": None, "when_clipped": clip.consent_basis}
    form = record.form_version
    return {
        "record_id": record.pk,
        "form_version": form.version if form is not None else None,
        "uses": [use.value for use in ConsentUse if record.gives(use)],
        "media_mode": record.media_mode,
        "expires_on": record.expires_on.isoformat() if record.expires_on else None,
        "status": record.status,
        "checked_at": timezone.now().isoformat(timespec="seconds"),
        "when_clipped": clip.consent_basis,
    }


def _story_url(story: Any) -> str | None:
    """The story's public address, only if the public may see it."""
    if not gate.allows(gate.Use.SHOW, story):
        return None
    return str(story.get_full_url())


def manifest(export: ReelExport, parts: list[Part], left_out: int) -> dict[str, Any]:
    reel = export.reel
    clips = []
    for part in parts:
        clip = part.clip
        if clip is None:
            continue
        story, recording = clip.story, clip.recording
        clips.append(
            {
                "clip_id": clip.pk,
                "title": str(clip),
                "in_reel": {"start": part.start, "end": round(part.start + part.seconds, 3)},
                "story": {"id": story.pk, "title": story.title, "url": _story_url(story)},
                "credit": story_credit(story),
                "recording": {"key": str(recording.key)},
                "start": clip.start,
                "end": clip.end,
                "consent": consent_basis(clip),
            }
        )
    return {
        "manifest_version": MANIFEST_VERSION,
        "reel": {"id": reel.pk, "title": reel.title},
        "export_id": export.pk,
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "captions_burned_in": export.burn_captions,
        "duration": round(sum(part.seconds for part in parts), 3),
        "parts": [
            {"kind": part.kind, "start": part.start, "seconds": part.seconds} for part in parts
        ],
        "clips": clips,
        "left_out": left_out,
    }


def handout_context(export: ReelExport, parts: list[Part]) -> dict[str, Any]:
    clip_parts = [part for part in parts if part.clip is not None]
    stories = {entry["story"].pk: entry for entry in credits(p.clip for p in clip_parts if p.clip)}
    entries = []
    for part in clip_parts:
        clip = part.clip
        if clip is None:
            continue
        entries.append(
            {
                "clip": clip,
                "excerpt": clipping.excerpt(clip.recording, clip.start, clip.end),
                "note": part.note,
                "story": stories[clip.story_id],
                "at": part.start,
            }
        )
    return {
        "reel": export.reel,
        "made_on": timezone.localdate(),
        "clips": entries,
        "questions": [part.lines[0] for part in parts if part.kind == "slide" and part.lines],
    }


def write_pack(
    path: Path, export: ReelExport, parts: list[Part], made: dict[str, Any], video: Path, vtt: Path
) -> Path:
    """Write the zip at `path` (a temporary name: the caller moves it into place)."""
    pdf = render_pdf("reuse/exports/handout.html", handout_context(export, parts))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        # The video is compressed already: stored as it is, so the zip is quick to make.
        pack.write(video, "reel.mp4", compress_type=zipfile.ZIP_STORED)
        pack.write(vtt, "reel.vtt")
        pack.writestr("handout.pdf", pdf)
        pack.writestr("manifest.json", json.dumps(made, indent=2, ensure_ascii=False) + "\n")
    return path
