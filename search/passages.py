"""Passages: transcript segments grouped into about 20 to 40 seconds on sentence boundaries.

`group_segments` works on plain (start, end, text) triples so it does not depend on how
transcripts are stored; `rebuild_for_story` feeds it the public (redacted) segments of each
of a story's recordings from the transcription app."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from archive.models import StoryPage

MIN_SECONDS = 20.0
MAX_SECONDS = 40.0
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+")


@dataclass
class Span:
    start: float
    end: float
    text: str

    @property
    def closes_sentence(self):
        return self.text.rstrip().rstrip("\"')]").endswith((".", "!", "?", "…"))


def sentences(start, end, text):
    """Split one segment into sentences, sharing its time out by length of text."""
    parts = [p.strip() for p in SENTENCE_END.split(text.strip()) if p.strip()]
    if len(parts) <= 1:
        return [Span(start, end, text.strip())] if text.strip() else []
    total = sum(len(p) for p in parts)
    spans, at = [], start
    for part in parts:
        length = (end - start) * len(part) / total
        spans.append(Span(at, at + length, part))
        at += length
    spans[-1].end = end
    return spans


def group_segments(segments, min_seconds=MIN_SECONDS, max_seconds=MAX_SECONDS):
    """Group (start, end, text) segments into passages of about min..max seconds, closing a
    passage only at the end of a sentence where possible. Returns a list of Span."""
    pieces = [s for start, end, text in segments for s in sentences(start, end, text)]
    passages, current = [], []
    for piece in pieces:
        if (
            current
            and piece.end - current[0].start > max_seconds
            and _long_enough(current, min_seconds)
        ):
            passages.append(_join(current))
            current = []
        current.append(piece)
        if piece.closes_sentence and piece.end - current[0].start >= min_seconds:
            passages.append(_join(current))
            current = []
    if current:
        tail = _join(current)
        # A short last passage joins the one before, unless that makes it far too long.
        if (
            passages
            and tail.end - tail.start < min_seconds / 2
            and tail.end - passages[-1].start <= max_seconds * 1.25
        ):
            passages[-1] = _join([passages[-1], tail])
        else:
            passages.append(tail)
    return passages


def _long_enough(spans, min_seconds):
    # Break early only if what we have is a fair passage; a run-on speaker still gets cut.
    return spans[-1].end - spans[0].start >= min_seconds / 2


def _join(spans):
    return Span(spans[0].start, spans[-1].end, " ".join(s.text for s in spans))


# --- wiring to the archive ----------------------------------------------------------


def public_segments(recording):
    """(start, end, text) of the recording's transcript with every redaction applied, or []."""
    from transcription import outputs as services
    from transcription.models import Status, Task, Transcript

    transcript = Transcript.objects.filter(
        recording=recording, task=Task.TRANSCRIBE, status=Status.DONE
    ).first()
    if transcript is None:
        return []
    return [(p.start, p.end, p.text) for p in services.public_passages(transcript)]


def story_facts(story: StoryPage) -> dict[str, Any]:
    """The fields a passage copies from its story, and the uses the gate allows now."""
    from .passage_consent import allowed_uses

    return {
        "borough_id": story.borough_id,
        "kind": story.kind,
        "language": story.language,
        **allowed_uses(story),
    }


@transaction.atomic
def rebuild_for_story(story):
    """Replace the story's passages from its recordings' public transcripts. Editors'
    decisions on the old passages (confirmed labels, confirmed or rejected suggestions) carry
    over to the new passage that covers most of the same moment."""
    from .models import Passage

    copied = story_facts(story)
    previous = list(
        Passage.objects.filter(story=story).prefetch_related("themes", "dimensions", "suggestions")
    )
    decisions = [_Decisions.of(p) for p in previous]
    Passage.objects.filter(pk__in=[p.pk for p in previous]).delete()
    created = []
    for link in story.story_recordings.select_related("recording"):
        spans = group_segments(public_segments(link.recording))
        created += Passage.objects.bulk_create(
            Passage(
                story=story,
                recording=link.recording,
                position=i,
                start=s.start,
                end=s.end,
                text=s.text,
                has_captions=True,
                **copied,
            )
            for i, s in enumerate(spans)
        )
    for passage in created:
        best = max(decisions, key=lambda d: d.overlap(passage), default=None)
        if best is not None and best.overlap(passage) >= CARRY_OVER:
            best.apply(passage)
    return [p.pk for p in previous], created


# A new passage takes an old passage's decisions when at least half of it is the same moment.
CARRY_OVER = 0.5


@dataclass
class _Decisions:
    recording_id: int
    start: float
    end: float
    themes: list
    dimensions: list
    suggestions: list

    @classmethod
    def of(cls, passage):
        from .models import SuggestionStatus

        decided = [s for s in passage.suggestions.all() if s.status != SuggestionStatus.SUGGESTED]
        return cls(
            passage.recording_id,
            passage.start,
            passage.end,
            list(passage.themes.all()),
            list(passage.dimensions.all()),
            decided,
        )

    def overlap(self, passage):
        """The share of `passage` that this old passage covered, 0 to 1."""
        if passage.recording_id != self.recording_id or passage.end <= passage.start:
            return 0.0
        shared = min(self.end, passage.end) - max(self.start, passage.start)
        return max(0.0, shared) / (passage.end - passage.start)

    def apply(self, passage):
        from .models import Suggestion

        if not (self.themes or self.dimensions or self.suggestions):
            return
        passage.themes.add(*self.themes)
        passage.dimensions.add(*self.dimensions)
        Suggestion.objects.bulk_create(
            Suggestion(
                passage=passage,
                label_kind=s.label_kind,
                dimension_id=s.dimension_id,
                theme_id=s.theme_id,
                rank=s.rank,
                score=s.score,
                reason=s.reason,
                status=s.status,
                decided_by_id=s.decided_by_id,
                decided_at=s.decided_at,
            )
            for s in self.suggestions
        )


def sync_story_facts(story: StoryPage) -> list[int]:
    """Copy changed story facts to its passages; returns the ids of the passages changed
    (the ones to index again). Passages already holding them are not written: a story saved
    with the same borough, kind, language and consent leaves the passages' table as it was,
    so what searches keep from it (search.backends.changes) stays current."""
    from .models import Passage

    facts = story_facts(story)
    changed = Passage.objects.filter(story=story).exclude(**facts)
    ids = list(changed.values_list("pk", flat=True))
    if ids:
        Passage.objects.filter(pk__in=ids).update(**facts)
    return ids
