"""Search's own withdrawal step: whatever a withdrawal or a lapse of consent stops leaves every
search index through indexing.remove_everywhere, the one removal path (an engine that is down
gets the delete queued and retried, never lost). Registered from SearchConfig.ready().

The step acts only on what the scope says: the story page when the public may no longer see
it, the recordings the withdrawal deletes, and the story's passages (deleted with the story or
recording, or re-checked against the gate after a narrowing or an expiry)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archive.withdrawal import recordings_in
from consent.withdrawal import Scope, register_step

from . import indexing, passage_consent
from . import passages as building
from .models import Passage

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from archive.models import StoryPage

STEP = "remove from every search index"
ORDER = 20  # after unpublishing (10), while the story and its recordings still exist (60, 80)


def remove_from_search_indexes(story: StoryPage | None, scope: Scope) -> None:
    """Wagtail keeps unpublished pages in its index, so the page and the recordings are taken
    out of every backend explicitly, not left to the live flag; then the story's passages.
    Idempotent: removing what is already gone is a no-op."""
    targets: list[Model] = list(recordings_in(scope))
    if story is not None and scope.stops_public:
        targets.append(story)
    indexing.remove_everywhere(targets)
    _forget_passages(story, scope)


def _forget_passages(story: StoryPage | None, scope: Scope) -> None:
    """Passages of a withdrawn story or recording are deleted, being copies of the transcript.
    A narrowing (or an expiry) deletes nothing: see _narrow."""
    story_id = story.pk if story is not None else scope.story_id
    passages = Passage.objects.filter(story_id=story_id)
    if scope.kind == "recording":
        passages = passages.filter(recording__key__in=scope.recording_keys)
    elif not scope.is_full:
        if story is not None:
            _narrow(story, passages)
        return
    indexing.remove_everywhere(list(passages))
    passages.delete()


def _narrow(story: StoryPage, passages: QuerySet[Passage]) -> None:
    # The passages keep what the gate still allows (allow_show, allow_clip, allow_quote) and
    # are indexed again, so stopping the website leaves training alone (issue 10, point 5).
    ids = building.sync_story_facts(story)
    indexing.remove_everywhere([p for p in passages if not passage_consent.indexable(p)])
    indexing.queue_many(Passage, ids)


def register() -> None:
    """Register the step; called from SearchConfig.ready()."""
    register_step(STEP, order=ORDER)(remove_from_search_indexes)
