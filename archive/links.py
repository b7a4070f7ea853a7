"""What an app above archive adds to archive's pages: the moments of stories on a theme or
dimension page, related stories on a story page, and the browse page's facets with counts.

Passages of transcripts and ranking belong to search, above archive; search registers its
finders from its AppConfig.ready(), so archive never imports it. With nothing registered the
pages show stories alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from .models import StoryPage

# moments(label, user) -> the passages linked to a Theme or Dimension the user may be shown,
# each with text, timestamp and story (a queryset, so the page can count and paginate it).
MomentsFinder = Callable[["Model", Any], "QuerySet[Any]"]
# related(story, user, limit) -> other stories the user may be shown, best first.
RelatedFinder = Callable[["StoryPage", Any, int], Sequence["StoryPage"]]

# browse(params, user, hide_warned) -> the stories to list with facet counts (search.browse),
# an object with story_ids, chosen, facets, hidden_warned, active and query().
BrowseFinder = Callable[[Any, Any, bool], Any]

_moments: MomentsFinder | None = None
_browse: BrowseFinder | None = None
_related: RelatedFinder | None = None


def register_moments(finder: MomentsFinder) -> MomentsFinder:
    """One finder: registering again (ready() run twice) replaces it."""
    global _moments
    _moments = finder
    return finder


def register_related(finder: RelatedFinder) -> RelatedFinder:
    global _related
    _related = finder
    return finder


def register_browse(finder: BrowseFinder) -> BrowseFinder:
    global _browse
    _browse = finder
    return finder


def browse(params: Any, user: Any, hide_warned: bool) -> Any | None:
    """Stories narrowed by facets with counts, or None when no app counts facets."""
    return _browse(params, user, hide_warned) if _browse is not None else None


def moments(label: Model, user: Any) -> QuerySet[Any] | None:
    """The moments linked to a theme or dimension, or None when no app finds moments."""
    return _moments(label, user) if _moments is not None else None


def related(story: StoryPage, user: Any, limit: int = 5) -> Sequence[StoryPage]:
    return _related(story, user, limit) if _related is not None else []
