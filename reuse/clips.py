"""A trainer's clips: finding passages allowed for training, choosing words on a story's
public transcript, and making a clip from the first chosen word to the last.

The gate is asked when the clip maker is shown, when a clip is made and on every read of
"My clips", so a clip whose story's training consent is withdrawn, lapses or is narrowed
drops out everywhere at once. Words come from the public (redacted) transcript only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from consent import gate
from consent.gate import CLIP_PERMISSION, Use
from search import clips as finding
from transcription import captions
from transcription.models import Task
from transcription.outputs import public_passages, public_transcripts

from . import clipping, tasks
from .models import Clip

if TYPE_CHECKING:
    from archive.models import Recording
    from transcription.models import Transcript

# Widening or narrowing "by a second" moves an end by this much.
STEP_SECONDS = 1.0
MIN_SECONDS = 0.3
MAX_SECONDS = 600.0


class ClipRefused(Exception):
    """The clip cannot be made; the message is for the trainer."""


@dataclass
class TimedWord:
    index: int
    start: float
    end: float
    text: str


@dataclass
class ClipSource:
    """A story a trainer may clip: its recording and its public words, in order."""

    story: Any
    recording: Recording
    transcript: Transcript
    words: list[TimedWord]
    passages: list[list[TimedWord]]


def may_clip(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(CLIP_PERMISSION))


def find_passages(query: str, user: Any) -> list[Any]:
    """Passages allowed for training that match the words (search keeps the finding)."""
    return list(finding.search(query, user))


def my_clips(user: Any) -> QuerySet[Clip]:
    """The trainer's clips the gate still allows, asked afresh on every read."""
    mine = Clip.objects.filter(owner=user).select_related("story", "recording")
    return gate.permitted(Use.CLIP, mine, user)


def allowed_clip(user: Any, pk: int) -> Clip | None:
    return my_clips(user).filter(pk=pk).first()


def source_for(story: Any, user: Any) -> ClipSource | None:
    """The story's recording and public words, or None if the gate refuses or it has none."""
    if not (may_clip(user) and gate.may(Use.CLIP, story, user)):
        return None
    link = story.story_recordings.select_related("recording").first()
    if link is None or not link.recording.is_ready:
        return None
    transcript = public_transcripts(link.recording).filter(task=Task.TRANSCRIBE).first()
    if transcript is None:
        return None
    words: list[TimedWord] = []
    passages: list[list[TimedWord]] = []
    for passage in public_passages(transcript):
        timed = [
            TimedWord(len(words) + i, start, end, text)
            for i, (start, end, text) in enumerate(captions.timed_tokens(passage))
        ]
        words.extend(timed)
        passages.append(timed)
    return ClipSource(story, link.recording, transcript, words, passages) if words else None


def bounds(
    source: ClipSource,
    *,
    first: int | None = None,
    last: int | None = None,
    start: float | None = None,
    end: float | None = None,
) -> tuple[float, float]:
    """The clip's start and end: from word choices (first to last word) or from times the
    page sent (words widened or narrowed by a second), kept inside the recording."""
    if start is None or end is None:
        if first is None or last is None:
            raise ClipRefused("Choose the first and the last word of the clip.")
        count = len(source.words)
        if not (0 <= first < count and 0 <= last < count):
            raise ClipRefused("Choose words from this story's transcript.")
        first, last = min(first, last), max(first, last)
        start, end = source.words[first].start, source.words[last].end
    duration = float(source.recording.duration or source.words[-1].end)
    start, end = max(0.0, start), min(end, max(duration, source.words[-1].end))
    if end - start < MIN_SECONDS:
        raise ClipRefused("The clip is too short: choose at least one whole word.")
    if end - start > MAX_SECONDS:
        raise ClipRefused("A clip can be at most ten minutes long. Choose fewer words.")
    return round(start, 3), round(end, 3)


def consent_basis(story: Any) -> dict[str, Any]:
    """What the gate relied on: the consent record, its form version, the uses and media
    agreed, the expiry, and when it was checked (the training pack's manifest lists it)."""
    record = story.consent
    return {
        "consent_record_id": record.pk,
        "form_version": record.form_version.version,
        "uses": [use for use in ("public_website", "training", "reports") if record.gives(use)],
        "media_mode": record.media_mode,
        "expires_on": record.expires_on.isoformat() if record.expires_on else None,
        "checked_at": timezone.now().isoformat(),
    }


def make_clip(user: Any, story: Any, start: float, end: float, title: str = "") -> Clip:
    """Ask the gate again, save the clip and queue its cut."""
    source = source_for(story, user)
    if source is None:
        raise ClipRefused("This story can no longer be clipped for training.")
    clip = Clip.objects.create(
        owner=user,
        story=story,
        recording=source.recording,
        start=start,
        end=end,
        title=(title.strip() or default_title(story, start, end))[:200],
        excerpt=clipping.excerpt(source.recording, start, end),
        consent_basis=consent_basis(story),
    )
    tasks.queue_clip_cut(clip)
    return clip


def default_title(story: Any, start: float, end: float) -> str:
    return f"{story.title}, {clock(start)} to {clock(end)}"


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def delete_clip(clip: Clip) -> None:
    clip.delete_files()
    clip.delete()
