"""Moments gathered by theme, related stories, and story labels that follow from passages.

- `moments(label, user)`: the passages linked to a theme or dimension (confirmed labels) that
  the visitor may be shown, for archive's theme and dimension pages.
- `related_stories(story, user)`: other stories like this one, ranked by the search backend
  through Wagtail's search API (its labels' short names and its most frequent words) and by
  the labels they share, for the story page.
- `sync_story_labels(story_ids)`: a story's `passage_themes` and `passage_dimensions` are the
  labels editors confirmed on its passages (an editor confirms once, at the passage); the
  story shows them with its own, less those the editor left off (archive.models.pages).

archive shows the first two through the finders search registers (archive.links), so
archive never imports search."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Model, QuerySet

from archive.models import Dimension, StoryPage, Theme
from consent import gate

from . import facts, indexing
from .models import Passage

if TYPE_CHECKING:
    from consent.gate import Person

SHORT_NAME = 3  # words at most in a label's name that goes into the query
WORDS = 8  # of the story's own, added to its labels' names in the related-stories query
CANDIDATES = 50  # ranked stories from each search, before the gate checks the best of them
RANKING_SECONDS = 600  # how long a story's ranking of others is kept (never who may see them)
WORD = re.compile(r"[a-z][a-z']{3,}")
# Words too common in anyone's story to say what it is about.
COMMON = frozenset(
    """about after again also always because been before being could didn't does doing don't
    down even every from going gonna have having here into it's just know like little make
    many more most much never only other over people really said same should some still such
    than that that's their them then there these they thing things think this those though
    through time very want was were what when where which while will with would yeah your
    you're""".split()
)


def moments(label: Model, user: Person | None = None) -> QuerySet[Passage]:
    """The passages confirmed as about `label` (a Theme or a Dimension) that `user` may be
    shown: the public only those of live stories the gate shows, whose passage allows it."""
    field = "themes" if isinstance(label, Theme) else "dimensions"
    passages = Passage.objects.filter(**{field: label}, allow_show=True, story__live=True)
    return (
        gate.permitted(gate.Use.SHOW, passages, user)
        .select_related("story", "story__borough")
        .order_by("-story__recorded_on", "story_id", "start")
    )


def related_stories(story: StoryPage, user: Person | None = None, limit: int = 5) -> list[Any]:
    """Up to `limit` other stories `user` may be shown, most like `story` first. The ranking
    is kept for a while (RANKING_SECONDS: it costs two searches); who may be shown what is
    asked of the gate on the rows themselves at every call, so a story withdrawn or narrowed
    since, or an index not yet updated, never shows one."""
    key = f"search:related:{story.pk}"
    best = cache.get(key)
    if best is None:
        best = ranked_like(story)
        cache.set(key, best, RANKING_SECONDS)
    shown = gate.permitted(gate.Use.SHOW, StoryPage.objects.live().filter(pk__in=best), user)
    by_pk = {other.pk: other for other in shown.select_related("borough")}
    return [by_pk[story_id] for story_id in best if story_id in by_pk][:limit]


def ranked_like(story: StoryPage) -> list[int]:
    """Ids of up to CANDIDATES other stories, most like `story` first: a story scores one
    for each label it shares, and up to one from each of the backend's rankings (its own
    text, its passages') by 1 / (1 + rank). The labels come from the kept story facts
    (search.facts: the labels the story shows), so sharing costs no query per label."""
    story_facts = facts.all_facts()
    slugs = story_facts.labels_of(story.pk)
    names = [
        *Theme.objects.filter(slug__in=slugs["themes"]).values_list("name", flat=True),
        *Dimension.objects.filter(slug__in=slugs["dimensions"]).values_list("name", flat=True),
    ]
    # Short names only ("Mistrust", "Institutional"): an outcome's whole sentence would drown
    # the story's own words; shared labels count in the score anyway.
    short = [name for name in names if len(name.split()) <= SHORT_NAME]
    query = " ".join([*short, *frequent_words(story)])
    scores: defaultdict[int, float] = defaultdict(float)
    for story_id, count in story_facts.sharing(story.pk).items():
        scores[story_id] += count
    if query.strip():
        for ranking in _rankings(query):
            for rank, story_id in enumerate(ranking):
                scores[story_id] += 1 / (1 + rank)
    scores.pop(story.pk, None)
    return sorted(scores, key=lambda story_id: (-scores[story_id], story_id))[:CANDIDATES]


def frequent_words(story: StoryPage, count: int = WORDS) -> list[str]:
    """The story's most frequent words (of four letters or more, common ones left out), from
    its summary and the passages the public may be shown."""
    texts = [
        story.summary,
        *Passage.objects.filter(story=story, allow_show=True).values_list("text", flat=True),
    ]
    words = Counter(
        word for text in texts for word in WORD.findall(text.lower()) if word not in COMMON
    )
    return [word for word, _n in words.most_common(count)]


def _rankings(query: str) -> list[list[int]]:
    """Story ids in the backend's relevance order: stories by their own text, and stories by
    their passages' (each story once, at its best passage)."""
    stories = StoryPage.objects.live().only("pk").search(query, operator="or")
    passages = (
        Passage.objects.filter(allow_show=True).only("pk", "story_id").search(query, operator="or")
    )
    by_passage = list(dict.fromkeys(p.story_id for p in passages[: CANDIDATES * 4]))
    return [[s.pk for s in stories[:CANDIDATES]], by_passage[:CANDIDATES]]


def sync_story_labels(story_ids: Iterable[int]) -> None:
    """Set each story's labels from its passages to the union of their confirmed labels; a
    story whose labels changed is queued for every search index."""
    for story in StoryPage.objects.filter(pk__in=set(story_ids)):
        themes = set(
            Theme.objects.filter(passages__story=story).values_list("pk", flat=True).distinct()
        )
        dimensions = set(
            Dimension.objects.filter(passages__story=story).values_list("pk", flat=True).distinct()
        )
        held_themes = set(story.passage_themes.values_list("pk", flat=True))
        held_dimensions = set(story.passage_dimensions.values_list("pk", flat=True))
        if (themes, dimensions) == (held_themes, held_dimensions):
            continue
        story.passage_themes.set(themes)
        story.passage_dimensions.set(dimensions)
        indexing.queue_many(StoryPage, [story.pk])


def passage_labels_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """m2m_changed of Passage.themes and Passage.dimensions, however the label was added or
    taken off (an editor's confirmation, a rebuild carrying labels over, the admin)."""
    if action == "pre_clear" and reverse:
        # A label cleared from its own side names no passage afterwards: note their stories.
        instance._stories_before_clear = list(instance.passages.values_list("story_id", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        sync_story_labels([instance.story_id])
    elif action == "post_clear":
        sync_story_labels(getattr(instance, "_stories_before_clear", []))
    elif pk_set:
        story_ids = Passage.objects.filter(pk__in=pk_set).values_list("story_id", flat=True)
        sync_story_labels(story_ids)


def passage_deleted(sender: Any, instance: Passage, **kwargs: Any) -> None:
    """A passage deleted (a rebuild, a withdrawal): its story's labels from passages are
    set again once the deletion commits, when the story itself may be gone too."""
    from django.db import transaction

    story_id = instance.story_id
    transaction.on_commit(lambda: sync_story_labels([story_id]))


def register() -> None:
    """Connect the signals and give archive its finders (SearchConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete

    from archive import links

    for field in (Passage.themes, Passage.dimensions):
        uid = f"search-story-labels-{field.field.name}"
        m2m_changed.connect(passage_labels_changed, sender=field.through, dispatch_uid=uid)
    post_delete.connect(passage_deleted, sender=Passage, dispatch_uid="search-story-labels")
    links.register_moments(moments)
    links.register_related(related_stories)
