"""Background jobs (django-tasks), run by `manage.py db_worker`, and queueing them.

Queueing lives beside the jobs, not in running.py: a finished transcription queues its
English translation, a job of its own kind, so the job and its queueing need each other.

transcribe_recording writes its result in one transaction at the end, so a worker killed
mid-job leaves the previous transcript (or none) and the job can simply be run again."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django_tasks import task

from archive.models import Recording
from archive.priorities import at_priority, priority_for

from . import redaction, running
from .models import STALLED_AFTER, Task, Transcript


@task()
def transcribe_recording(recording_id: int, task: str = Task.TRANSCRIBE) -> str:
    if not Recording.objects.filter(pk=recording_id).exists():
        return "gone"  # deleted or withdrawn before the worker reached it
    transcript = running.run_transcription(recording_id, task)
    if running.wants_translation(transcript):
        queue_transcription(transcript.recording, Task.TRANSLATE)
    return f"{transcript.status}: {transcript.segments.count()} segments"


@task()
def make_redacted_rendition(recording_id: int) -> str:
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None:
        return "gone"
    rendition = redaction.make_redacted_rendition(recording)
    return "made" if rendition else "nothing to redact"


def queue_transcription(
    recording: Recording,
    task: str = Task.TRANSCRIBE,
    force: bool = False,
    priority: int | None = None,
) -> Transcript | None:
    """Mark the transcript queued and enqueue the job once the surrounding commit lands.
    Contributors' recordings queue behind editors' unless `priority` says otherwise."""
    if not recording.file or not (force or running.needs_transcript(recording, task)):
        return None
    transcript = running.mark_queued(recording, task)
    priority = priority_for(recording) if priority is None else priority
    job = at_priority(transcribe_recording, priority)
    transaction.on_commit(lambda: job.enqueue(recording.pk, task))
    return transcript


def queue_redacted_rendition(recording_id: int) -> None:
    """Remake the public rendition once the redaction's commit lands."""
    transaction.on_commit(lambda: make_redacted_rendition.enqueue(recording_id))


def resume_interrupted(older_than: timedelta = STALLED_AFTER) -> int:
    """Queue every interrupted transcription again; returns how many."""
    resumed = 0
    for transcript in running.interrupted(older_than).select_related("recording"):
        if queue_transcription(transcript.recording, transcript.task, force=True):
            Transcript.objects.filter(pk=transcript.pk).update(
                error="Interrupted part-way when the worker stopped; queued again."
            )
            resumed += 1
    return resumed


def resume_after_worker_stopped(older_than: timedelta) -> int:
    """archive.recovery's call (registered from TranscriptionConfig.ready): a transcription
    with no progress for STALLED_AFTER has stopped, even when other jobs may still be alive."""
    return resume_interrupted(min(older_than, STALLED_AFTER))
