"""What the public search's facets count, story by story, kept in the cache between changes.

Facet counts cover every matching story (thousands at archive size). Counting them in SQL
means sending thousands of story ids into several queries on each search, which cost more
than the search itself (about 0.8 s at 10,000 stories). Instead the facts of every story
(borough, kind, language, labels, captions) are read once into a map, and each search
counts its matches in Python.

Each process holds the map with the version number it was read at; the number is kept in
the database (FacetVersion), so every process (web servers and the worker) sees a change at
once: each change to a story, a
passage or a label bumps it (search.signals). Counts only: which stories match, and may be
shown, is still decided by each search through the consent gate."""

from dataclasses import dataclass

from django.db.models import F


@dataclass(frozen=True)
class StoryFacts:
    borough: str
    kind: str
    language: str
    themes: frozenset  # slugs: the story's own labels and those confirmed on its passages
    dimensions: frozenset
    has_captions: bool


def changed():
    """Something a facet counts has changed: the next search rebuilds the map."""
    from .models import FacetVersion

    if not FacetVersion.objects.filter(pk=1).update(number=F("number") + 1):
        FacetVersion.objects.get_or_create(pk=1)


# This process's copy: {"version": n, "facts": {...}}. Kept in memory rather than in Django's
# cache, whose pickling of 10,000 stories' facts costs more than reading them.
_held = {}


def all_facts():
    """{story id: StoryFacts} for every story."""
    from .models import FacetVersion

    version = FacetVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    if _held.get("version") != version or _held.get("database") != _database_name():
        _held.update(version=version, database=_database_name(), facts=_read())
    return _held["facts"]


def forget():
    """Drop this process's copy (tests start each with an empty cache)."""
    _held.clear()


def _database_name():
    from django.db import connection

    return connection.settings_dict["NAME"]


def _read():
    from archive.models import Dimension, StoryPage, Theme

    from .models import Passage

    themes = dict(Theme.objects.values_list("pk", "slug"))
    dimensions = dict(Dimension.objects.values_list("pk", "slug"))
    labels = {}

    def add(rows, names, slot):
        for story_id, label_id in rows:
            labels.setdefault(story_id, (set(), set()))[slot].add(names[label_id])

    add(StoryPage.themes.through.objects.values_list("storypage_id", "theme_id"), themes, 0)
    add(Passage.themes.through.objects.values_list("passage__story_id", "theme_id").distinct(), themes, 0)
    add(StoryPage.dimensions.through.objects.values_list("storypage_id", "dimension_id"), dimensions, 1)
    add(Passage.dimensions.through.objects.values_list("passage__story_id", "dimension_id").distinct(),
        dimensions, 1)
    captioned = set(Passage.objects.filter(has_captions=True).values_list("story_id", flat=True).distinct())
    empty = (set(), set())
    return {
        pk: StoryFacts(borough or "", kind, language, frozenset(labels.get(pk, empty)[0]),
                       frozenset(labels.get(pk, empty)[1]), pk in captioned)
        for pk, borough, kind, language in StoryPage.objects.values_list(
            "pk", F("borough__slug"), "kind", "language")
    }
