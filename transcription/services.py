"""Transcription logic: queueing, running an engine, saving results, corrections,
redactions, public passages and the redacted rendition. Views and tasks stay thin."""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from . import captions
from .engines import get_engine
from .engines.base import TranscriptResult
from .models import (
    RedactedRendition,
    Redaction,
    Segment,
    SegmentRevision,
    Status,
    Task,
    Transcript,
    Word,
)

REDACTED = "[redacted]"
PROGRESS_EVERY = 2.0  # seconds between progress writes, so SQLite is not hammered
# A running job that has written no progress for this long has lost its worker. Long enough
# for loading a model and for openai-whisper's 10-minute chunks on a slow machine.
STALLED_AFTER = timedelta(minutes=15)


# --- queueing and running -------------------------------------------------------------


def file_checksum(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def needs_transcript(recording, task: str = Task.TRANSCRIBE) -> bool:
    transcript = Transcript.objects.filter(recording=recording, task=task).first()
    if transcript is None or transcript.status == Status.FAILED:
        return True
    if transcript.status != Status.DONE:
        return False  # already queued or running
    if transcript.recording_file == recording.file.name:
        return False
    return transcript.recording_checksum != file_checksum(recording.file)


def queue_transcription(
    recording, task: str = Task.TRANSCRIBE, force: bool = False, priority: int | None = None
):
    """Mark the transcript queued and enqueue the job once the surrounding commit lands.
    Contributors' recordings queue behind editors' unless `priority` says otherwise."""
    from archive.priorities import at_priority, priority_for

    from .tasks import transcribe_recording

    if not recording.file or not (force or needs_transcript(recording, task)):
        return None
    transcript, _ = Transcript.objects.get_or_create(recording=recording, task=task)
    Transcript.objects.filter(pk=transcript.pk).update(status=Status.QUEUED, progress=0.0, error="")
    priority = priority_for(recording) if priority is None else priority
    job = at_priority(transcribe_recording, priority)
    transaction.on_commit(lambda: job.enqueue(recording.pk, task))
    return transcript


def run_transcription(recording_id: int, task: str = Task.TRANSCRIBE) -> Transcript:
    from archive.models import Recording

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
    if task == Task.TRANSCRIBE and transcript.language != "en":
        # A second caption track in English, marked as machine translation (issue 4).
        queue_transcription(recording, Task.TRANSLATE)
    return transcript


def _source_language(recording) -> str | None:
    original = Transcript.objects.filter(recording=recording, task=Task.TRANSCRIBE).first()
    return original.language if original and original.language else None


def _set_status(transcript: Transcript, status: str, **fields) -> None:
    Transcript.objects.filter(pk=transcript.pk).update(
        status=status, updated_at=timezone.now(), **fields
    )


def _progress_writer(transcript: Transcript):
    last = [0.0]

    def write(fraction: float) -> None:
        if time.monotonic() - last[0] >= PROGRESS_EVERY:
            last[0] = time.monotonic()
            # updated_at is the heartbeat: a running job that stops writing it has stopped.
            Transcript.objects.filter(pk=transcript.pk).update(
                progress=round(fraction, 3), updated_at=timezone.now()
            )

    return write


def interrupted(older_than=STALLED_AFTER):
    """Transcripts marked running whose worker has not written progress for `older_than`:
    the worker was stopped or crashed part-way (nothing was saved; see save_result)."""
    return Transcript.objects.filter(
        status=Status.RUNNING, updated_at__lt=timezone.now() - older_than
    )


def resume_interrupted(older_than=STALLED_AFTER) -> int:
    """Queue every interrupted transcription again; returns how many."""
    resumed = 0
    for transcript in interrupted(older_than).select_related("recording"):
        if queue_transcription(transcript.recording, transcript.task, force=True):
            Transcript.objects.filter(pk=transcript.pk).update(
                error="Interrupted part-way when the worker stopped; queued again."
            )
            resumed += 1
    return resumed


@transaction.atomic
def save_result(
    transcript: Transcript, result: TranscriptResult, checksum: str, file_name: str = ""
) -> None:
    """Replace the machine segments in one transaction: a killed worker leaves the previous
    transcript whole. Corrected or redacted segments are kept, and new machine segments that
    overlap them are dropped, so a re-run never undoes a person's work."""
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    kept = list(transcript.segments.filter(_protected()).distinct())
    transcript.segments.exclude(pk__in=[s.pk for s in kept]).delete()
    fresh = [s for s in result.segments if not any(_overlaps(s, k) for k in kept)]
    rows = Segment.objects.bulk_create(
        Segment(transcript=transcript, start=s.start, end=s.end, text=s.text) for s in fresh
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
    transcript.save()


def _protected():
    from django.db.models import Q

    return Q(corrected=True) | Q(redactions__isnull=False)


def _overlaps(new, kept: Segment, margin: float = 0.2) -> bool:
    return min(new.end, kept.end) - max(new.start, kept.start) > margin


# --- corrections ----------------------------------------------------------------------


def correct_segment(segment: Segment, user, **changes) -> Segment:
    """Apply a person's correction, keeping the previous version."""
    previous = Segment.objects.get(pk=segment.pk)
    with transaction.atomic():
        SegmentRevision.objects.create(
            segment=segment,
            start=previous.start,
            end=previous.end,
            text=previous.text,
            speaker=previous.speaker,
            changed_by=user,
        )
        for name, value in changes.items():
            setattr(segment, name, value)
        segment.corrected = True
        segment.save()
    return segment


# --- redaction ------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def redaction_span(segment: Segment, phrase: str) -> tuple[float, float]:
    """Where the phrase is spoken, from the word timings; the whole segment if unsure
    (silencing too much is safer than letting a name through)."""
    words, target = list(segment.words.all()), _norm(phrase).split()
    normed = [_norm(w.word) for w in words]
    for i in range(len(words) - len(target) + 1):
        if target and normed[i : i + len(target)] == target:
            return max(0.0, words[i].start - 0.1), words[i + len(target) - 1].end + 0.1
    return segment.start, segment.end


def redact(segment: Segment, phrase: str, user=None, reason: str = "") -> Redaction:
    start, end = redaction_span(segment, phrase)
    redaction = Redaction.objects.create(
        segment=segment, phrase=phrase, start=start, end=end, reason=reason, created_by=user
    )
    transaction.on_commit(lambda: _queue_rendition(segment.transcript.recording_id))
    return redaction


def _queue_rendition(recording_id: int) -> None:
    from .tasks import make_redacted_rendition

    make_redacted_rendition.enqueue(recording_id)


def redaction_spans(recording) -> list[tuple[float, float]]:
    redactions = Redaction.objects.filter(segment__transcript__recording=recording)
    spans = sorted(redactions.values_list("start", "end"))
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _hide(text: str, phrases: list[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        words = [re.escape(w) for w in phrase.split()]
        if words:  # tolerate any punctuation or spacing between the phrase's words
            text = re.sub(r"\W+".join(words), REDACTED, text, flags=re.IGNORECASE)
    return text


def public_passages(transcript: Transcript) -> list[captions.Passage]:
    """The transcript as the public may see it: every redaction applied."""
    spans = redaction_spans(transcript.recording)
    phrases = list(
        Redaction.objects.filter(
            segment__transcript__recording=transcript.recording_id
        ).values_list("phrase", flat=True)
    )
    segments = transcript.segments.prefetch_related("words")
    return [_public_passage(segment, spans, phrases) for segment in segments]


def _public_passage(segment: Segment, spans, phrases) -> captions.Passage:
    words = [(w.start, w.end, w.word) for w in segment.words.all()]
    text = _hide(segment.text, phrases)
    touched = [s for s in spans if s[0] < segment.end and s[1] > segment.start]
    if touched:
        # Hide by time too: a translation or a corrected text may word the name differently.
        passage = captions.Passage(segment.start, segment.end, text, words=words)
        timed = captions.timed_tokens(passage)
        kept = [t if not _in_spans(t, touched) else (t[0], t[1], REDACTED) for t in timed]
        joined = " ".join(t[2] for t in kept)
        text = re.sub(rf"(?:{re.escape(REDACTED)} ?)+", REDACTED + " ", joined)
        text, words = _hide(text.strip(), phrases), []
    elif text != segment.text or segment.corrected:
        words = []  # the words no longer match the text
    return captions.Passage(segment.start, segment.end, text, segment.speaker, words)


def _in_spans(token, spans) -> bool:
    middle = (token[0] + token[1]) / 2
    return any(start <= middle <= end for start, end in spans)


def render_public(transcript: Transcript, fmt: str) -> str:
    return captions.render(public_passages(transcript), fmt)


def public_text(recording) -> str:
    """The redacted transcript as plain text, for the search index (never the original)."""
    transcript = public_transcripts(recording).filter(task=Task.TRANSCRIBE).first()
    return " ".join(p.text for p in public_passages(transcript)) if transcript else ""


def public_transcripts(recording):
    return Transcript.objects.filter(recording=recording, status=Status.DONE).order_by("task")


# --- the redacted public rendition ----------------------------------------------------


def make_redacted_rendition(recording) -> RedactedRendition | None:
    """Silence every redacted span of the web rendition with ffmpeg's volume filter."""
    spans = redaction_spans(recording)
    existing = RedactedRendition.objects.filter(recording=recording).first()
    if not spans or not recording.rendition:
        if existing:
            existing.file.delete(save=False)
            existing.delete()
        return None
    rendition = existing or RedactedRendition(recording=recording)
    if existing and existing.file and [list(s) for s in spans] == existing.spans:
        return existing
    suffix = Path(recording.rendition.name).suffix or ".m4a"
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


class RedactionFailed(Exception):
    """ffmpeg could not make the redacted rendition; the message is for editors."""


def _silence(source: Path, out: Path, spans) -> None:
    """Like every public rendition, with no tags, chapters or encoder version (issue 10), and
    under the same memory and time limits as the other ffmpeg runs (archive.mediatools)."""
    from django.conf import settings

    from archive import mediatools

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


def public_media_file(recording):
    """The file the public may hear: the redacted rendition when anything is redacted.

    None while a redacted rendition is still being made, so the unredacted voice is never
    served in the meantime."""
    spans = redaction_spans(recording)
    if not spans:
        return recording.rendition or None
    rendition = RedactedRendition.objects.filter(recording=recording).first()
    if rendition and rendition.file and rendition.spans == [list(s) for s in spans]:
        return rendition.file
    return None


# --- withdrawal -----------------------------------------------------------------------


def forget_recordings(recordings) -> None:
    """Delete transcripts, segments, words, revisions, redactions and redacted renditions."""
    for rendition in RedactedRendition.objects.filter(recording__in=recordings):
        rendition.file.delete(save=False)
        rendition.delete()
    Transcript.objects.filter(recording__in=recordings).delete()
