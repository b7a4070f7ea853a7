"""Passages: transcript segments grouped into about 20 to 40 seconds on sentence boundaries.

`group_segments` works on plain (start, end, text) triples so it does not depend on how
transcripts are stored; `rebuild_for_story` feeds it the public (redacted) segments of each
of a story's recordings from the transcription app."""

import re
from dataclasses import dataclass

from django.db import transaction

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
        if current and piece.end - current[0].start > max_seconds and _long_enough(current, min_seconds):
            passages.append(_join(current))
            current = []
        current.append(piece)
        if piece.closes_sentence and piece.end - current[0].start >= min_seconds:
            passages.append(_join(current))
            current = []
    if current:
        tail = _join(current)
        # A short last passage joins the one before, unless that makes it far too long.
        if passages and tail.end - tail.start < min_seconds / 2 and tail.end - passages[-1].start <= max_seconds * 1.25:
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
    from transcription import services
    from transcription.models import Status, Task, Transcript

    transcript = Transcript.objects.filter(
        recording=recording, task=Task.TRANSCRIBE, status=Status.DONE
    ).first()
    if transcript is None:
        return []
    return [(p.start, p.end, p.text) for p in services.public_passages(transcript)]


def story_facts(story):
    """The fields a passage copies from its story, and the uses the gate allows now."""
    from consent import gate

    return {
        "borough_id": story.borough_id,
        "kind": story.kind,
        "language": story.language,
        "allow_show": gate.may(gate.Use.SHOW, story),
        "allow_clip": _clip_allowed(story),
    }


def _clip_allowed(story):
    # CLIP is decided per trainer; asking as "any signed-in trainer" gives the story-wide
    # answer stored in the index. Trainer clip search asks the gate again for the real user.
    from consent import gate

    return gate.may(gate.Use.CLIP, story, _Trainer())


class _Trainer:
    """Stands for 'a signed-in trainer' when asking what a story allows for training."""

    is_authenticated = True
    pk = None

    def has_perm(self, perm):
        return perm == "consent.clip_for_training"


@transaction.atomic
def rebuild_for_story(story):
    """Replace the story's passages from its recordings' public transcripts."""
    from .models import Passage

    facts = story_facts(story)
    old = list(Passage.objects.filter(story=story).values_list("pk", flat=True))
    Passage.objects.filter(pk__in=old).delete()
    created = []
    for link in story.story_recordings.select_related("recording"):
        spans = group_segments(public_segments(link.recording))
        created += Passage.objects.bulk_create(
            Passage(
                story=story, recording=link.recording, position=i, start=s.start,
                end=s.end, text=s.text, has_captions=True, **facts,
            )
            for i, s in enumerate(spans)
        )
    return old, created


def sync_story_facts(story):
    """Copy changed story facts to its passages; returns the passages' ids."""
    from .models import Passage

    passages = Passage.objects.filter(story=story)
    passages.update(**story_facts(story))
    return list(passages.values_list("pk", flat=True))
