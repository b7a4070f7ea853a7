"""What the public gets: the finished transcripts, their passages with every redaction
applied (for captions, downloads and the search index), and the file the public hears,
which transcription registers with archive.public_files from its AppConfig.ready()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from . import captions
from .models import Segment, Status, Transcript
from .redaction import (
    REDACTED,
    Span,
    current_redacted_file,
    hide,
    redacted_phrases,
    redaction_spans,
)

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

    from archive.models import Recording


def public_transcripts(recording: Recording) -> QuerySet[Transcript]:
    return Transcript.objects.filter(recording=recording, status=Status.DONE).order_by("task")


def public_passages(transcript: Transcript) -> list[captions.Passage]:
    """The transcript as the public may see it: every redaction applied."""
    spans = redaction_spans(transcript.recording)
    phrases = redacted_phrases(transcript.recording_id)
    segments = transcript.segments.prefetch_related("words")
    return [_public_passage(segment, spans, phrases) for segment in segments]


def _public_passage(segment: Segment, spans: list[Span], phrases: list[str]) -> captions.Passage:
    words = [(w.start, w.end, w.word) for w in segment.words.all()]
    text = hide(segment.text, phrases)
    touched = [s for s in spans if s[0] < segment.end and s[1] > segment.start]
    if touched:
        # Hide by time too: a translation or a corrected text may word the name differently.
        passage = captions.Passage(segment.start, segment.end, segment.text, words=words)
        timed = captions.timed_tokens(passage)
        words = _merge_redacted(
            [t if not _in_spans(t, touched) else (*t[:2], REDACTED) for t in timed]
        )
        joined = " ".join(t[2] for t in words)
        text = hide(joined, phrases)
        if text != joined:
            words = []  # a phrase hidden by its words: the words no longer match the text
    elif text != segment.text:
        words = []  # a phrase hidden: the words no longer match the text
    return captions.Passage(segment.start, segment.end, text, segment.speaker, words)


def _merge_redacted(tokens: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Neighbouring redacted words become one "[redacted]", timed from the first to the last,
    so the words keep their times (clips and word selection need them)."""
    merged: list[tuple[float, float, str]] = []
    for token in tokens:
        if merged and token[2] == REDACTED and merged[-1][2] == REDACTED:
            merged[-1] = (merged[-1][0], token[1], REDACTED)
        else:
            merged.append(token)
    return merged


def _in_spans(token: tuple[float, float, str], spans: list[Span]) -> bool:
    middle = (token[0] + token[1]) / 2
    return any(start <= middle <= end for start, end in spans)


def render_public(transcript: Transcript, fmt: str) -> str:
    return captions.render(public_passages(transcript), fmt)


def public_media_file(recording: Recording) -> FieldFile | None:
    """The file the public may hear: the redacted rendition when anything is redacted.

    None while a redacted rendition is still being made, so the unredacted voice is never
    served in the meantime."""
    spans = redaction_spans(recording)
    if not spans:
        return recording.rendition or None
    rendition = current_redacted_file(recording, spans)
    return rendition.file if rendition else None
