"""The transcript editor's services (issue 14): corrections that keep word timings, split and
merge, revisions with a word diff and undo, and redaction by selected words.

Word timings survive a correction: the new words are aligned to the old with difflib on
normalised tokens; an unchanged word keeps its times, a changed or inserted word is placed
inside the time of the words it replaces (or the gap where it was inserted) by length. The
captions are rebuilt from these Word rows (captions.timed_tokens uses them when they match
the text), and the public redaction by time keeps working on corrected segments."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from .models import Redaction, RevisionAction, Segment, SegmentRevision, Word
from .tasks import queue_redacted_rendition

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser | None

Token = tuple[float, float, str]


class EditRefused(Exception):
    """The change cannot be made; the message is for editors."""


def normalise(word: str) -> str:
    """ "Liverpool," and "liverpool" are the same word to the aligner."""
    return re.sub(r"[^\w']+", "", word.lower())


def align_words(old: list[Token], text: str, start: float, end: float) -> list[Token]:
    """Times for each word of `text`, taken from the `old` timed words where they match."""
    tokens = text.split()
    if not old:
        return _spread(tokens, start, end)
    matcher = difflib.SequenceMatcher(
        a=[normalise(w[2]) for w in old], b=[normalise(t) for t in tokens], autojunk=False
    )
    timed: list[Token] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            timed += [(o[0], o[1], t) for o, t in zip(old[i1:i2], tokens[j1:j2], strict=True)]
        elif tag == "replace":  # the new words take the time of the words they replace
            timed += _spread(tokens[j1:j2], old[i1][0], old[i2 - 1][1])
        elif tag == "insert":  # placed in the gap between their neighbours
            gap_start = old[i1 - 1][1] if i1 else start
            gap_end = old[i1][0] if i1 < len(old) else end
            timed += _spread(tokens[j1:j2], gap_start, max(gap_start, gap_end))
    return timed


def _spread(tokens: list[str], start: float, end: float) -> list[Token]:
    """Share start..end among the tokens by their length."""
    total = sum(len(t) + 1 for t in tokens) or 1
    timed, done = [], 0
    for token in tokens:
        begin = start + (end - start) * done / total
        done += len(token) + 1
        timed.append((round(begin, 3), round(start + (end - start) * done / total, 3), token))
    return timed


def timed_words(segment: Segment) -> list[Token]:
    return [(w.start, w.end, w.word) for w in segment.words.order_by("start", "pk")]


def _replace_words(segment: Segment, tokens: list[Token]) -> None:
    segment.words.all().delete()
    Word.objects.bulk_create(
        Word(segment=segment, start=s, end=e, word=w, probability=0.0) for s, e, w in tokens
    )


def _snapshot(segment: Segment, user: User, action: str) -> SegmentRevision:
    """The segment as it is in the database now, before `action` changes it."""
    saved = Segment.objects.get(pk=segment.pk)
    return SegmentRevision.objects.create(
        segment=segment,
        start=saved.start,
        end=saved.end,
        text=saved.text,
        speaker=saved.speaker,
        action=action,
        words=[list(t) for t in timed_words(saved)],
        changed_by=_person(user),
    )


def _person(user: User) -> Any:
    return user if user is not None and user.is_authenticated else None


def correct(segment: Segment, user: User, **changes: Any) -> Segment:
    """Apply a person's correction (text, speaker, start, end), keeping the previous version
    and realigning the word timings to the new text."""
    with transaction.atomic():
        revision = _snapshot(segment, user, RevisionAction.EDIT)
        for name, value in changes.items():
            setattr(segment, name, value)
        segment.text = " ".join(segment.text.split())
        old = [(w[0], w[1], w[2]) for w in revision.words]
        if segment.text != revision.text or not old:
            # Words before the segment row: search re-indexes on the segment's save.
            _replace_words(segment, align_words(old, segment.text, segment.start, segment.end))
        segment.corrected = True
        segment.save()
    return segment


def split(segment: Segment, at_word: int, user: User) -> Segment:
    """Split before word number `at_word` (0-based); returns the new second segment."""
    tokens = align_words(timed_words(segment), segment.text, segment.start, segment.end)
    if not 0 < at_word < len(tokens):
        raise EditRefused("Put the cursor between two words of the segment to split it there.")
    with transaction.atomic():
        _snapshot(segment, user, RevisionAction.SPLIT)
        boundary = tokens[at_word][0]
        second = Segment.objects.create(
            transcript=segment.transcript,
            start=boundary,
            end=segment.end,
            text=" ".join(t[2] for t in tokens[at_word:]),
            speaker=segment.speaker,
            corrected=True,
        )
        _replace_words(second, tokens[at_word:])
        SegmentRevision.objects.create(
            segment=second,
            start=segment.start,
            end=segment.end,
            text=segment.text,
            speaker=segment.speaker,
            action=RevisionAction.SPLIT,
            words=[list(t) for t in tokens],
            changed_by=_person(user),
        )
        _replace_words(segment, tokens[:at_word])
        segment.text, segment.end = " ".join(t[2] for t in tokens[:at_word]), boundary
        segment.corrected = True
        segment.save()
    return second


def next_segment(segment: Segment) -> Segment | None:
    later = segment.transcript.segments.filter(start__gte=segment.start).exclude(pk=segment.pk)
    return later.order_by("start", "pk").first()


def merge_with_next(segment: Segment, user: User) -> Segment:
    following = next_segment(segment)
    if following is None:
        raise EditRefused("This is the last segment: there is none after it to merge with.")
    with transaction.atomic():
        revision = _snapshot(segment, user, RevisionAction.MERGE)
        revision.merged = {
            "machine_text": segment.machine_text,
            "speaker": following.speaker,
            "start": following.start,
        }
        revision.save(update_fields=["merged"])
        words = timed_words(segment) + timed_words(following)
        segment.text = f"{segment.text} {following.text}".strip()
        segment.machine_text = f"{segment.machine_text} {following.machine_text}".strip()
        segment.end, segment.speaker = following.end, segment.speaker or following.speaker
        following.redactions.update(segment=segment)
        following.revisions.update(segment=segment)  # its history, and its machine text
        following.delete()
        _replace_words(segment, words)
        segment.corrected = True
        segment.save()
    return segment


def undo(segment: Segment, user: User) -> Segment:
    """Put back the version before the latest change, recorded as a change of its own: an
    edit's text and words; a split's two halves joined again; a merge's two segments apart
    again, each with its own words, times and speaker."""
    latest = segment.revisions.order_by("-changed_at", "-pk").first()
    if latest is None:
        raise EditRefused("There is no earlier version of this segment to go back to.")
    with transaction.atomic():
        if latest.action == RevisionAction.SPLIT:
            _rejoin(segment, latest)
        elif latest.action == RevisionAction.MERGE:
            _part_again(segment, latest, user)
        _snapshot(segment, user, RevisionAction.UNDO)
        _replace_words(segment, [(w[0], w[1], w[2]) for w in latest.words])
        segment.start, segment.end = latest.start, latest.end
        segment.text, segment.speaker = latest.text, latest.speaker
        segment.corrected = True
        segment.save()
    return segment


def _rejoin(segment: Segment, split_revision: SegmentRevision) -> None:
    """Undoing a split: the second half, made by it, goes (its redactions come back here)."""
    if split_revision.start != segment.start:
        raise EditRefused("This is the second half of a split: undo it from the first half.")
    second = next_segment(segment)
    # Still as the split left it: the two halves' words make the whole again, same speaker.
    as_split = second is not None and (
        f"{segment.text} {second.text}" == split_revision.text
        and second.speaker == split_revision.speaker
        and second.revisions.filter(action=RevisionAction.SPLIT, text=split_revision.text).exists()
    )
    if not as_split or second is None:
        raise EditRefused(
            "The second half of this split has changed since: merge it with the next instead."
        )
    second.redactions.update(segment=segment)
    second.delete()


def _part_again(segment: Segment, merge_revision: SegmentRevision, user: User) -> None:
    """Undoing a merge: the words after the first segment's become the second segment again,
    with the speaker and machine text the merge recorded."""
    first_words = len(merge_revision.words)
    words = timed_words(segment)
    if len(words) <= first_words or segment.text != " ".join(
        [merge_revision.text, *(w[2] for w in words[first_words:])]
    ):
        raise EditRefused("This segment has changed since the merge: split it where you want.")
    rest, merged = words[first_words:], merge_revision.merged
    first_machine_text = merged.get("machine_text", segment.machine_text)
    second = Segment.objects.create(
        transcript=segment.transcript,
        start=merged.get("start", rest[0][0]),
        end=segment.end,
        text=" ".join(t[2] for t in rest),
        speaker=merged.get("speaker", segment.speaker),
        machine_text=segment.machine_text.removeprefix(first_machine_text).strip(),
        corrected=True,
    )
    _replace_words(second, rest)
    segment.machine_text = first_machine_text
    segment.redactions.filter(start__gte=second.start).update(segment=second)


# --- what changed -------------------------------------------------------------------


@dataclass
class Change:
    revision: SegmentRevision
    after_text: str
    after_speaker: str
    diff: list[tuple[str, str]]  # ("same" | "removed" | "added", words)
    undoable: bool


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.split(), after.split()
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("added", " ".join(new[j1:j2])))
    return parts


def changes(segment: Segment) -> list[Change]:
    """Each revision of the segment, newest first, with what it changed into."""
    revisions = list(segment.revisions.select_related("changed_by").order_by("-changed_at", "-pk"))
    after_text, after_speaker, found = segment.text, segment.speaker, []
    for index, revision in enumerate(revisions):
        undoable = index == 0
        diff = word_diff(revision.text, after_text)
        found.append(Change(revision, after_text, after_speaker, diff, undoable))
        after_text, after_speaker = revision.text, revision.speaker
    return found


# --- redaction by selection -----------------------------------------------------------


def selection_span(first: Word, last: Word) -> tuple[list[Word], float, float]:
    """The selected words from `first` to `last` and the exact span they are spoken in:
    from the first word's start to the last word's end, clipped so that it never reaches
    into the word before or after (the neighbouring word keeps its sound)."""
    transcript_id = first.segment.transcript_id
    if last.segment.transcript_id != transcript_id:
        raise EditRefused("Select words of one transcript.")
    words = list(
        Word.objects.filter(segment__transcript_id=transcript_id).order_by("start", "end", "pk")
    )
    index = {w.pk: i for i, w in enumerate(words)}
    i, j = sorted((index[first.pk], index[last.pk]))
    chosen = words[i : j + 1]
    start, end = chosen[0].start, chosen[-1].end
    if i > 0:
        start = max(start, words[i - 1].end)
    if j + 1 < len(words):
        end = min(end, words[j + 1].start)
    if end <= start:
        raise EditRefused("The selected words overlap their neighbours; correct the times first.")
    return chosen, start, end


def redact_words(first: Word, last: Word, user: User, reason: str = "") -> Redaction:
    """Hide the selected words from every public output and silence exactly their span."""
    chosen, start, end = selection_span(first, last)
    # As spoken, without the punctuation around the words (hide() matches the text by it).
    phrase = " ".join(w for w in (re.sub(r"^\W+|\W+$", "", x.word) for x in chosen) if w)
    redaction = Redaction.objects.create(
        segment=chosen[0].segment,
        phrase=phrase or chosen[0].word,
        start=start,
        end=end,
        reason=reason,
        created_by=_person(user),
    )
    queue_redacted_rendition(chosen[0].segment.transcript.recording_id)
    return redaction


def redacted_word_ids(transcript_id: int, spans: list[tuple[float, float]]) -> set[int]:
    """The words of the transcript inside a redacted span (by their middle, as the public
    outputs hide them), for the editor to mark."""
    words = Word.objects.filter(segment__transcript_id=transcript_id).values_list(
        "pk", "start", "end"
    )
    return {pk for pk, start, end in words if any(a <= (start + end) / 2 <= b for a, b in spans)}


def remove_redaction(redaction: Redaction) -> None:
    """The words come back everywhere: the search index re-indexes on the delete (search's
    signals) and the public rendition is remade without the span."""
    recording_id = redaction.segment.transcript.recording_id
    redaction.delete()
    queue_redacted_rendition(recording_id)
