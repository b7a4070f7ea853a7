"""Transcription's withdrawal step, registered from TranscriptionConfig.ready(): a withdrawal
reaches the transcripts too, as they hold the contributor's words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive.withdrawal import recordings_in

from .models import RedactedRendition, Section, Transcript

if TYPE_CHECKING:
    from collections.abc import Iterable

    from archive.models import Recording
    from consent.withdrawal import Scope

STEP = "delete transcripts, captions and redacted renditions"


def forget_story(story: Any, scope: Scope) -> None:
    """Transcripts, segments, words, corrections, redactions, caption downloads (made from
    these rows) and redacted renditions of the recordings this withdrawal deletes: a partial
    withdrawal (narrowed uses, anonymous) keeps the recordings, and so their transcripts."""
    recordings = recordings_in(scope)
    if recordings:
        forget_recordings(recordings)


def forget_recordings(recordings: Iterable[Recording]) -> None:
    """Delete transcripts, segments, words, revisions, redactions, redacted renditions and
    sections (editors' titles and synopses describe what the contributor said)."""
    for rendition in RedactedRendition.objects.filter(recording__in=recordings):
        rendition.file.delete(save=False)
        rendition.delete()
    Transcript.objects.filter(recording__in=recordings).delete()
    Section.objects.filter(recording__in=recordings).delete()
