"""Redaction: where a redacted phrase is spoken, hiding it in text, and the redacted public
rendition, made with ffmpeg by silencing every redacted span of the web rendition.

An editor's redaction is recorded by transcription.corrections.redact, which queues the
remake of the rendition (transcription.tasks)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File

from archive import mediatools

from .models import RedactedRendition, Redaction, Segment, Word

if TYPE_CHECKING:
    from archive.models import Recording

REDACTED = "[redacted]"

Span = tuple[float, float]


class RedactionFailed(Exception):
    """ffmpeg could not make the redacted rendition; the message is for editors."""


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def redaction_span(segment: Segment, phrase: str, padding: float = 0.1) -> Span:
    """Where the phrase is spoken, from the word timings, with a little room either side that
    never reaches into the word before or after (issue 14: redacting "Grace Okafer" also
    silenced "came"); the whole segment if unsure (silencing too much is safer than letting
    a name through)."""
    words, target = list(segment.words.all()), _norm(phrase).split()
    normed = [_norm(w.word) for w in words]
    for i in range(len(words) - len(target) + 1):
        if target and normed[i : i + len(target)] == target:
            first, last = words[i], words[i + len(target) - 1]
            before, after = _neighbours(segment, first, last)
            start = max(0.0, first.start - padding, before.end if before else 0.0)
            end = min(last.end + padding, after.start if after else float("inf"))
            return min(start, first.start), max(end, last.end)
    return segment.start, segment.end


def _neighbours(segment: Segment, first: Word, last: Word) -> tuple[Word | None, Word | None]:
    """The words spoken just before `first` and just after `last`, in any segment."""
    words = Word.objects.filter(segment__transcript_id=segment.transcript_id)
    before = words.filter(start__lt=first.start).exclude(pk=first.pk).order_by("-start").first()
    after = words.filter(start__gt=last.start).exclude(pk=last.pk).order_by("start").first()
    return before, after


def redaction_spans(recording: Recording | int) -> list[Span]:
    """Every redacted span of the recording, sorted, overlapping spans merged."""
    redactions = Redaction.objects.filter(segment__transcript__recording=recording)
    spans = sorted(redactions.values_list("start", "end"))
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def redacted_phrases(recording: Recording | int) -> list[str]:
    return list(
        Redaction.objects.filter(segment__transcript__recording=recording).values_list(
            "phrase", flat=True
        )
    )


def hide(text: str, phrases: list[str]) -> str:
    """The text with every phrase replaced by [redacted], longest phrase first."""
    for phrase in sorted(phrases, key=len, reverse=True):
        words = [re.escape(w) for w in phrase.split()]
        if words:  # tolerate any punctuation or spacing between the phrase's words
            text = re.sub(r"\W+".join(words), REDACTED, text, flags=re.IGNORECASE)
    return text


def make_redacted_rendition(recording: Recording) -> RedactedRendition | None:
    """Silence every redacted span of the web rendition with ffmpeg's volume filter."""
    spans = redaction_spans(recording)
    existing = RedactedRendition.objects.filter(recording=recording).first()
    if not spans or not recording.rendition:
        if existing:
            existing.file.delete(save=False)
            existing.delete()
        return None
    if existing and existing.file and [list(s) for s in spans] == existing.spans:
        return existing
    return _remake(existing or RedactedRendition(recording=recording), recording, spans)


def _remake(
    rendition: RedactedRendition, recording: Recording, spans: list[Span]
) -> RedactedRendition:
    suffix = Path(recording.rendition.name or "").suffix or ".m4a"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"redacted{suffix}"
        _silence(Path(recording.rendition.path), out, spans)
        old = rendition.file.name if rendition.file else None
        with out.open("rb") as handle:
            rendition.file.save(f"{recording.key.hex}{suffix}", File(handle), save=False)
    rendition.spans = [list(s) for s in spans]
    rendition.save()
    if old and old != rendition.file.name:
        rendition.file.storage.delete(old)
    return rendition


def current_redacted_file(recording: Recording, spans: list[Span]) -> RedactedRendition | None:
    """The redacted rendition if it silences exactly `spans`; None while it is being remade."""
    rendition = RedactedRendition.objects.filter(recording=recording).first()
    if rendition and rendition.file and rendition.spans == [list(s) for s in spans]:
        return rendition
    return None


def _silence(source: Path, out: Path, spans: list[Span]) -> None:
    """Like every public rendition, with no tags, chapters or encoder version (issue 10), and
    under the same memory and time limits as the other ffmpeg runs (archive.mediatools)."""
    enable = "+".join(f"between(t,{start:.3f},{end:.3f})" for start, end in spans)
    args = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source), "-map", "0"]
    args += ["-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact"]
    args += ["-flags", "+bitexact", "-af", f"volume=enable='{enable}':volume=0"]
    args += ["-c:v", "copy", str(out)]
    done = mediatools.run(args, timeout=settings.MEDIA_RENDITION_TIMEOUT, label="redaction")
    if done.returncode != 0 or not out.exists() or not out.stat().st_size:
        raise RedactionFailed(
            "The version with the redacted words silenced could not be made. "
            "Try again; the unredacted voice is not played meanwhile."
        )
