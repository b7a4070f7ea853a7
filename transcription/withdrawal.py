"""Transcription's withdrawal step, registered from TranscriptionConfig.ready(): a withdrawal
reaches the transcripts too, as they hold the contributor's words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive.models import Recording

from .models import RedactedRendition, Transcript

if TYPE_CHECKING:
    from django.db.models import QuerySet

STEP = "delete transcripts, captions and redacted renditions"


def forget_story(story: Any, scope: Any) -> None:
    """Transcripts, segments, words, corrections, redactions, caption downloads (made from
    these rows) and redacted renditions of the story's recordings."""
    # A partial withdrawal (narrowed uses, anonymous) keeps the recordings, and so their
    # transcripts; only a full withdrawal or the removal of a recording deletes them.
    if scope.is_full and scope.story_id is not None:
        recordings = Recording.objects.filter(story_links__story_id=scope.story_id)
    elif scope.kind == "recording":
        recordings = Recording.objects.filter(key__in=scope.recording_keys)
    else:
        return
    forget_recordings(recordings)


def forget_recordings(recordings: QuerySet[Recording]) -> None:
    """Delete transcripts, segments, words, revisions, redactions and redacted renditions."""
    for rendition in RedactedRendition.objects.filter(recording__in=recordings):
        rendition.file.delete(save=False)
        rendition.delete()
    Transcript.objects.filter(recording__in=recordings).delete()
