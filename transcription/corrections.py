"""Editors' corrections of a transcript: a changed segment (its previous version kept as a
revision) and a redaction (its span found from the word timings, the public rendition
remade). A re-run of the engine never undoes either (running.save_result)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import editing
from .models import Redaction, Segment
from .redaction import redaction_span
from .tasks import queue_redacted_rendition

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def correct_segment(segment: Segment, user: User | None, **changes: Any) -> Segment:
    """Apply a person's correction, keeping the previous version and the word timings
    (transcription.editing.correct)."""
    return editing.correct(segment, user, **changes)


def redact(segment: Segment, phrase: str, user: User | None = None, reason: str = "") -> Redaction:
    """Hide `phrase` from every public output and silence it in the public rendition."""
    start, end = redaction_span(segment, phrase)
    redaction = Redaction.objects.create(
        segment=segment, phrase=phrase, start=start, end=end, reason=reason, created_by=user
    )
    queue_redacted_rendition(segment.transcript.recording_id)
    return redaction
