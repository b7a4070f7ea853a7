"""Running a transcription: whether a recording needs one, running the engine with a
progress heartbeat, saving the result without undoing a person's work, and finding the runs
a stopped worker left behind. Queueing the job is transcription.tasks' part."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from archive.models import Recording
from files.checksums import sha256_of_handle

from . import spelling
from .engines import get_engine
from .engines.base import Progress, SegmentResult, TranscriptResult
from .models import STALLED_AFTER, Segment, Status, Task, Transcript, Word

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

__all__ = [
    "STALLED_AFTER",
    "file_checksum",
    "interrupted",
    "mark_queued",
    "needs_transcript",
    "run_transcription",
    "save_result",
    "wants_translation",
]

PROGRESS_EVERY = 2.0  # seconds between progress writes, so SQLite is not hammered


def file_checksum(field_file: FieldFile) -> str:
    with field_file.open("rb") as handle:
        return sha256_of_handle(handle)


def needs_transcript(recording: Recording, task: str = Task.TRANSCRIBE) -> bool:
    transcript = Transcript.objects.filter(recording=recording, task=task).first()
    if transcript is None or transcript.status == Status.FAILED:
        return True
    if transcript.status != Status.DONE:
        return False  # already queued or running
    if transcript.recording_file == recording.file.name:
        return False
    return transcript.recording_checksum != file_checksum(recording.file)


def mark_queued(recording: Recording, task: str) -> Transcript:
    """The transcript row, marked queued with no progress and no error."""
    transcript, _ = Transcript.objects.get_or_create(recording=recording, task=task)
    Transcript.objects.filter(pk=transcript.pk).update(status=Status.QUEUED, progress=0.0, error="")
    return transcript


def run_transcription(recording_id: int, task: str = Task.TRANSCRIBE) -> Transcript:
    recording = Recording.objects.get(pk=recording_id)
    transcript, _ = Transcript.objects.get_or_create(recording=recording, task=task)
    _set_status(transcript, Status.RUNNING, progress=0.0, error="")
    try:
        checksum = file_checksum(recording.file)
        language = None if task == Task.TRANSCRIBE else _source_language(recording)
        result = get_engine().transcribe(
            recording.file.path, language=language, task=task, progress=_progress_writer(transcript)
        )
        save_result(transcript, result, checksum, recording.file.name)
    except Exception as error:
        # The reason is shown to editors in the transcript listing; the job stays retryable.
        _set_status(transcript, Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        raise
    transcript.refresh_from_db()
    return transcript


def wants_translation(transcript: Transcript) -> bool:
    """A transcript not in English gets a second caption track in English, marked as machine
    translation (issue 4)."""
    return transcript.task == Task.TRANSCRIBE and transcript.language != "en"


def _source_language(recording: Recording) -> str | None:
    original = Transcript.objects.filter(recording=recording, task=Task.TRANSCRIBE).first()
    return original.language if original and original.language else None


def _set_status(transcript: Transcript, status: str, **fields: Any) -> None:
    Transcript.objects.filter(pk=transcript.pk).update(
        status=status, updated_at=timezone.now(), **fields
    )


def _progress_writer(transcript: Transcript) -> Progress:
    last = [0.0]

    def write(fraction: float) -> None:
        if time.monotonic() - last[0] >= PROGRESS_EVERY:
            last[0] = time.monotonic()
            # updated_at is the heartbeat: a running job that stops writing it has stopped.
            Transcript.objects.filter(pk=transcript.pk).update(
                progress=round(fraction, 3), updated_at=timezone.now()
            )

    return write


def interrupted(older_than: timedelta = STALLED_AFTER) -> QuerySet[Transcript]:
    """Transcripts marked running whose worker has not written progress for `older_than`:
    the worker was stopped or crashed part-way (nothing was saved; see save_result)."""
    return Transcript.objects.filter(
        status=Status.RUNNING, updated_at__lt=timezone.now() - older_than
    )


@transaction.atomic
def save_result(
    transcript: Transcript, result: TranscriptResult, checksum: str, file_name: str = ""
) -> None:
    """Replace the machine segments in one transaction: a killed worker leaves the previous
    transcript whole. Corrected or redacted segments are kept, and new machine segments that
    overlap them are dropped, so a re-run never undoes a person's work. New machine segments
    of an English transcript get British spellings (transcription.spelling) unless the setting
    TRANSCRIPTION_BRITISH_SPELLING is off."""
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    kept = list(transcript.segments.filter(_protected()).distinct())
    transcript.segments.exclude(pk__in=[s.pk for s in kept]).delete()
    fresh = [s for s in result.segments if not any(_overlaps(s, k) for k in kept)]
    if spelling.wanted(result.language):
        fresh = [spelling.british_segment(s) for s in fresh]
    rows = Segment.objects.bulk_create(
        Segment(transcript=transcript, start=s.start, end=s.end, text=s.text, machine_text=s.text)
        for s in fresh
    )
    Word.objects.bulk_create(
        Word(segment=row, start=w.start, end=w.end, word=w.word.strip(), probability=w.probability)
        for row, s in zip(rows, fresh, strict=True)
        for w in s.words
    )
    transcript.engine, transcript.model = result.engine, result.model
    transcript.language, transcript.recording_checksum = result.language, checksum
    transcript.recording_file = file_name
    transcript.status, transcript.progress, transcript.error = Status.DONE, 1.0, ""
    transcript.finished_at = timezone.now()
    if fresh:  # new machine words nobody has checked yet
        transcript.checked_at, transcript.checked_by = None, None
    transcript.save()


def _protected() -> Q:
    return Q(corrected=True) | Q(redactions__isnull=False)


def _overlaps(new: SegmentResult, kept: Segment, margin: float = 0.2) -> bool:
    return min(new.end, kept.end) - max(new.start, kept.start) > margin
