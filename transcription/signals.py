"""When a recording is transcribed without anyone asking, and file clean-up.

One rule, in `transcribe`: a recording is queued unless its transcript is already queued,
running or made from the same file (tasks.queue_transcription checks), so however many
moments ask, the job is queued once. Two moments ask:
- archive's rendition_finished: the recording has just become ready. Every way a recording
  becomes ready (an upload, an editor's new file, the demo, make_renditions, recovery) runs
  the rendition job, so a post_save listener on Recording is not needed as well;
- a story's publication: it catches recordings that were already there (made while
  TRANSCRIPTION_AUTO_QUEUE was off, or whose last run failed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from archive.models import Recording

from .models import RedactedRendition
from .tasks import queue_transcription


def transcribe(recording: Recording) -> None:
    if getattr(settings, "TRANSCRIPTION_AUTO_QUEUE", True):
        queue_transcription(recording)


def rendition_finished(sender: Any, recording: Recording, ok: bool, **kwargs: Any) -> None:
    if ok and recording.is_ready:
        transcribe(recording)


def story_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    for link in instance.story_recordings.select_related("recording"):
        transcribe(link.recording)


def rendition_deleted(sender: Any, instance: RedactedRendition, **kwargs: Any) -> None:
    # A deleted row must not leave the (partly silenced, still personal) audio on disk.
    if instance.file:
        instance.file.delete(save=False)
