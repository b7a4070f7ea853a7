"""What the consent gate allows a passage: whether it may be in a search index, and the
story-wide uses a passage copies from its story (allow_show, allow_clip, allow_quote).

Kept apart from search.models and search.passages so that the model can narrow its indexed
objects through the gate without importing the code that builds passages: it imports the
passage model not even for type hints (a passage is anything with a story), so
search.models imports it and there is no cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from consent import gate

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from archive.models import StoryPage


class OnAStory(Protocol):
    """A passage, as far as consent goes: it belongs to a story."""

    story: StoryPage


def allowed_uses(story: StoryPage) -> dict[str, bool]:
    """The uses the gate allows the story now, as stored on its passages. CLIP and QUOTE are
    decided per user; the story-wide answer ("for someone who holds the role") goes in the
    index, and clip search and the quote finder ask the gate again for the real user."""
    return {
        "allow_show": gate.may(gate.Use.SHOW, story),
        "allow_clip": gate.allows(gate.Use.CLIP, story),
        "allow_quote": gate.allows(gate.Use.QUOTE, story),
    }


def indexable(passage: OnAStory) -> bool:
    """May this passage be in a search index? While the public may be shown its story,
    trainers may clip it or report writers may quote it: narrowing one use must not take the
    passage from the others (issue 10, point 5). Every surface narrows again: public search
    to allow_show and the gate's SHOW, clip search to allow_clip and the gate's CLIP for the
    signed-in trainer, the quote finder to allow_quote and the gate's QUOTE (issue 12)."""
    return (
        bool(gate.may(gate.Use.INDEX, passage))
        or gate.allows(gate.Use.CLIP, passage.story)
        or gate.allows(gate.Use.QUOTE, passage.story)
    )


def indexable_queryset(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`indexable` for a queryset of passages."""
    clippable = gate.permitted(gate.Use.CLIP, queryset, role_held=True)
    quotable = gate.permitted(gate.Use.QUOTE, queryset, role_held=True)
    return gate.permitted(gate.Use.INDEX, queryset) | clippable | quotable
