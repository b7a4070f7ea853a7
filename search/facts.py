"""What the public search's facets count, story by story, kept in the cache between changes.

Facet counts cover every matching story (thousands at archive size). Counting them in SQL
means sending thousands of story ids into several queries on each search, which cost more
than the search itself (about 0.8 s at 10,000 stories). Instead the facts of every story
(borough, kind, language, labels, captions) are read once into arrays, and each search
counts its matches with a few array sums (about 1 ms for 10,000 stories).

Each process keeps the arrays until a table they are read from changes, however it is changed
(search.backends.changes: the same triggers and checks as the search's own arrays), so every
process (web servers and the worker) sees a change at once. Counts only: which stories match,
and may be shown, is still decided by each search through the consent gate."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F

from .backends import changes


class StoryFacts:
    """Every story's facts as arrays, one row per story, so that counting the facets of
    thousands of matched stories is a few array sums rather than a loop over them."""

    SINGLE = ("borough", "kind", "language")  # one value per story
    MANY = ("themes", "dimensions")  # slugs: the story's own labels and its passages'

    def __init__(self, stories, labels, captioned):
        """stories: [(pk, borough, kind, language)]; labels: {pk: (theme slugs, dimension
        slugs)}; captioned: pks of stories with a captioned passage."""
        self.row = {pk: i for i, (pk, *_facts) in enumerate(stories)}
        self.values, self.codes = {}, {}
        for at, name in enumerate(self.SINGLE, start=1):
            index = {}
            self.codes[name] = np.array(
                [index.setdefault(story[at] or "", len(index)) for story in stories], dtype=np.int32
            )
            self.values[name] = list(index)
        for at, name in enumerate(self.MANY):
            names = sorted({slug for both in labels.values() for slug in both[at]})
            column = {slug: j for j, slug in enumerate(names)}
            held = np.zeros((len(stories), len(names)), dtype=bool)
            for pk, both in labels.items():
                if pk in self.row:
                    held[self.row[pk], [column[slug] for slug in both[at]]] = True
            self.codes[name], self.values[name] = held, names
        self.captioned = np.array([pk in captioned for pk, *_facts in stories], dtype=bool)
        self.pks = np.array([pk for pk, *_facts in stories], dtype=np.int64)

    def labels_of(self, pk: int) -> dict[str, list[str]]:
        """{"themes": slugs, "dimensions": slugs} the story is linked to (none if not held)."""
        row = self.row.get(pk)
        return {
            name: []
            if row is None
            else [self.values[name][j] for j in np.flatnonzero(self.codes[name][row])]
            for name in self.MANY
        }

    def sharing(self, pk: int) -> dict[int, int]:
        """{other story's pk: how many themes and dimensions it shares with story pk}, for
        every story sharing one or more (published or not: who may see them is the gate's)."""
        row = self.row.get(pk)
        if row is None:
            return {}
        shared = sum(self.codes[name][:, self.codes[name][row]].sum(axis=1) for name in self.MANY)
        return {int(self.pks[i]): int(shared[i]) for i in np.flatnonzero(shared) if i != row}

    def count(self, story_ids: Iterable[int]) -> dict[str, Any]:
        """{facet: Counter(value -> stories)} over story_ids, and "captions": stories with
        captions. Ids of stories not held (deleted since) are left out."""
        rows = np.array([self.row[pk] for pk in story_ids if pk in self.row], dtype=np.int64)
        counts = {}
        for name in self.SINGLE:
            tally = np.bincount(self.codes[name][rows], minlength=len(self.values[name]))
            counts[name] = Counter(
                {value: int(n) for value, n in zip(self.values[name], tally, strict=True) if n}
            )
        for name in self.MANY:
            tally = self.codes[name][rows].sum(axis=0)
            counts[name] = Counter(
                {value: int(n) for value, n in zip(self.values[name], tally, strict=True) if n}
            )
        counts["captions"] = int(self.captioned[rows].sum())
        return counts


def all_facts() -> StoryFacts:
    """StoryFacts of every story: this process's copy while no table they come from has
    changed, else read again (and read every time where no copy may be kept)."""
    connection = connections[DEFAULT_DB_ALIAS]
    return changes.kept(connection, ("story facts",), watched_tables(), _read) or _read()


def forget():
    """Drop this process's copy (tests start each with an empty cache)."""
    changes.forget()


def watched_tables():
    """The tables story facts come from, quoted, as changes.kept reads them from SQL: a
    change to any of them makes kept facts stale (reuse's report counts watch them too)."""
    from archive.models import Borough, Dimension, StoryPage, Theme

    from .models import Passage

    models = [StoryPage, *StoryPage._meta.get_parent_list(), Borough, Theme, Dimension, Passage]
    through = [
        StoryPage.themes.through,
        StoryPage.dimensions.through,
        StoryPage.excluded_themes.through,  # an editor's "leave off" changes the counts
        StoryPage.excluded_dimensions.through,
        Passage.themes.through,
        Passage.dimensions.through,
    ]
    names = sorted({model._meta.db_table for model in [*models, *through]})
    return " ".join(f'"{name}"' for name in names)


def linked_pairs(field: str) -> set[tuple[int, int]]:
    """(story id, label id) for every story and label it is linked to, `field` "themes" or
    "dimensions": its own labels, and its passages' confirmed ones less those the editor left
    off (as archive's stories_with, which lists a label's stories the same way)."""
    from archive.models import StoryPage

    from .models import Passage

    label = f"{field[:-1]}_id"
    own = set(getattr(StoryPage, field).through.objects.values_list("storypage_id", label))
    left_off = getattr(StoryPage, f"excluded_{field}").through.objects
    by_passage = getattr(Passage, field).through.objects.values_list("passage__story_id", label)
    return own | (set(by_passage.distinct()) - set(left_off.values_list("storypage_id", label)))


def _read():
    from archive.models import Dimension, StoryPage, Theme

    from .models import Passage

    labels = {}
    for slot, (field, model) in enumerate((("themes", Theme), ("dimensions", Dimension))):
        names = dict(model.objects.values_list("pk", "slug"))
        for story_id, label_id in linked_pairs(field):
            labels.setdefault(story_id, (set(), set()))[slot].add(names[label_id])
    captioned = set(
        Passage.objects.filter(has_captions=True).values_list("story_id", flat=True).distinct()
    )
    stories = list(StoryPage.objects.values_list("pk", F("borough__slug"), "kind", "language"))
    return StoryFacts(stories, labels, captioned)
