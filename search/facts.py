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

import threading
from collections import Counter
from collections.abc import Collection, Iterable
from functools import partial
from typing import Any

import numpy as np
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F

from archive import warnings

from .backends import changes
from .backends.match_sets import foreign_keys, integer_columns


class StoryFacts:
    """Every story's facts as arrays, one row per story, so that counting the facets of
    thousands of matched stories is a few array sums rather than a loop over them."""

    SINGLE = ("borough", "kind", "language")  # one value per story
    MANY = ("themes", "dimensions")  # slugs: the story's own labels and its passages'

    def __init__(self, stories, labels, captioned):
        """stories: a Stories table; labels: {"themes": (story pks, label ids, {label id:
        slug}), "dimensions": ...}, one pair of pks and ids per link; captioned: pks of
        stories with a captioned passage."""
        self.row, self.values, self.codes = stories.row, dict(stories.values), dict(stories.codes)
        count = len(stories.row)
        for name in self.MANY:
            story_pks, label_ids, slugs = labels[name]
            rows = _rows(stories.row_of, story_pks)
            known = rows >= 0
            ids, columns = np.unique(label_ids[known], return_inverse=True)
            held = np.zeros((count, len(ids)), dtype=bool)
            held[rows[known], columns.reshape(-1)] = True
            self.codes[name], self.values[name] = held, [slugs[i] for i in ids.tolist()]
        # Content warnings (archive.warnings) as one more many-valued fact: each kind the
        # story carries, or "none".
        self.codes["warning"], self.values["warning"] = stories.warnings, list(WARNING_VALUES)
        self.captioned = np.zeros(count, dtype=bool)
        rows = _rows(stories.row_of, captioned)
        self.captioned[rows[rows >= 0]] = True
        self.pks = np.fromiter(stories.row, dtype=np.int64, count=count)

    def rows(self, story_ids: Iterable[int]) -> Any:
        """The rows of the stories held, as an array (ids not held are left out)."""
        return np.array([self.row[pk] for pk in story_ids if pk in self.row], dtype=np.int64)

    def matching(self, name: str, values: Collection[str]) -> Any:
        """A boolean per story: it has any of `values` for facet `name` ("borough", "kind",
        "language", "themes", "dimensions", "warning"; "captions": has captions)."""
        if name == "captions":
            return self.captioned.copy()
        wanted = [j for j, value in enumerate(self.values[name]) if value in values]
        codes = self.codes[name]
        if name in self.SINGLE:
            return np.isin(codes, wanted)
        return codes[:, wanted].any(axis=1)

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
        for name in (*self.MANY, "warning"):
            tally = self.codes[name][rows].sum(axis=0)
            counts[name] = Counter(
                {value: int(n) for value, n in zip(self.values[name], tally, strict=True) if n}
            )
        counts["captions"] = int(self.captioned[rows].sum())
        return counts


# The values of the "warning" fact: archive.warnings' kinds, "other", then "none".
WARNING_VALUES = (*(value for value, _label, _field in warnings.KINDS), warnings.OTHER, "none")


class Stories:
    """Each story's row in StoryFacts and its single-valued facts (borough, kind, language)
    as codes, from [(pk, borough, kind, language)]: read again only when stories change."""

    def __init__(self, stories):
        pks = np.array([pk for pk, *_facts in stories], dtype=np.int64)
        self.row = dict(zip(pks.tolist(), range(len(pks)), strict=True))
        self.row_of = np.full(int(pks.max()) + 1 if len(pks) else 1, -1, dtype=np.int64)
        self.row_of[pks] = np.arange(len(pks))
        self.values, self.codes = {}, {}
        for at, name in enumerate(StoryFacts.SINGLE, start=1):
            index: dict[str, int] = {}
            self.codes[name] = np.array(
                [index.setdefault(story[at] or "", len(index)) for story in stories], dtype=np.int32
            )
            self.values[name] = list(index)
        # Columns 4 on: each kind's flag (archive.warnings.KINDS), then the other warning.
        flags = np.array([[bool(v) for v in story[4:]] for story in stories], dtype=bool)
        flags = flags.reshape(len(stories), len(WARNING_VALUES) - 1)
        self.warnings = np.concatenate([flags, ~flags.any(axis=1, keepdims=True)], axis=1)


def _rows(row_of, pks):
    """Row of each story pk (-1: not held)."""
    pks = np.asarray(pks, dtype=np.int64)
    rows = np.full(len(pks), -1, dtype=np.int64)
    known = (pks >= 0) & (pks < len(row_of))
    rows[known] = row_of[pks[known]]
    return rows


def all_facts() -> StoryFacts:
    """StoryFacts of every story, from six pieces this process keeps, each until a table it
    is read from changes (search.backends.changes): the stories, their own labels, their
    passages' labels and the story of each passage, the labels editors left off and which
    have captions. A write re-reads only the pieces its table feeds (a passage's label: the
    passages' links), not all six."""
    pieces = tuple(_piece(name) for name in ASSEMBLED)
    with _lock:
        held = _assembled.get("facts")
        if held is not None and all(a is b for a, b in zip(held[0], pieces, strict=True)):
            return held[1]
    stories, own, links, story_of, left_off, captioned = pieces
    by_passage = _passage_labels(links, story_of)
    built = StoryFacts(stories, _linked(own, by_passage, left_off), captioned)
    with _lock:
        _assembled["facts"] = (pieces, built)
    return built


_lock = threading.Lock()
_assembled: dict[str, tuple[tuple[Any, ...], StoryFacts]] = {}


def _linked(own, by_passage, left_off):
    """The labels each story is linked to: its own, and its passages' confirmed ones less
    those an editor left off (as archive's stories_with lists a label's stories)."""
    linked = {}
    for name in StoryFacts.MANY:
        stories, labels, slugs = by_passage[name]
        off_stories, off_labels, _slugs = left_off[name]
        kept = ~np.isin(_pair(stories, labels), _pair(off_stories, off_labels))
        linked[name] = (
            np.concatenate([own[name][0], stories[kept]]),
            np.concatenate([own[name][1], labels[kept]]),
            {**own[name][2], **slugs},
        )
    return linked


def _pair(stories, labels):
    # One integer per (story, label): label ids are far below 2**20.
    return stories.astype(np.int64) << 20 | labels.astype(np.int64)


def linked_pairs(field: str) -> set[tuple[int, int]]:
    """(story id, label id) for every story and label it is linked to, `field` "themes" or
    "dimensions", from the kept pieces (reuse's report counts use them too)."""
    own, links, story_of, left_off = (
        _piece(name) for name in ("own labels", "passage links", "passage stories", "left off")
    )
    stories, labels, _slugs = _linked(own, _passage_labels(links, story_of), left_off)[field]
    return set(zip(stories.tolist(), labels.tolist(), strict=True))


def _piece(name):
    """One piece of the facts: kept while the tables its statements read are unchanged."""
    read, tables = PIECES[name]
    connection = connections[DEFAULT_DB_ALIAS]
    quoted = " ".join(f'"{table}"' for table in tables())
    kept = changes.kept(connection, ("story facts", name), quoted, read)
    return kept if kept is not None else read()


def forget():
    """Drop this process's copy (tests start each with an empty cache)."""
    changes.forget()
    with _lock:
        _assembled.clear()


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


def _stories():
    from archive.models import StoryPage

    warning_fields = [name for _value, _label, name in warnings.KINDS] + ["warning_other"]
    return Stories(
        list(
            StoryPage.objects.values_list(
                "pk", F("borough__slug"), "kind", "language", *warning_fields
            )
        )
    )


def _stories_tables():
    from archive.models import Borough, StoryPage

    return [m._meta.db_table for m in (StoryPage, *StoryPage._meta.get_parent_list(), Borough)]


def _story_labels(field_prefix=""):
    """The stories' own labels, or with field_prefix "excluded_" those editors left off."""
    from archive.models import StoryPage

    return _labels(
        getattr(StoryPage, f"{field_prefix}themes").through.objects.values_list(
            "storypage_id", "theme_id"
        ),
        getattr(StoryPage, f"{field_prefix}dimensions").through.objects.values_list(
            "storypage_id", "dimension_id"
        ),
    )


def _story_labels_tables(field_prefix=""):
    from archive.models import Dimension, StoryPage, Theme

    through = [getattr(StoryPage, f"{field_prefix}{f}").through for f in ("themes", "dimensions")]
    return [m._meta.db_table for m in (Theme, Dimension, *through)]


def _passage_links():
    """{"themes": (passage ids, label ids), "dimensions": ...}: the confirmed links of every
    passage, read again only when links change; which story each passage is in comes from
    the "passage stories" piece when the facts are put together (_passage_labels), so a write
    to a passage does not re-read every link, nor a confirmed label every passage."""
    from .models import Passage

    return {
        name: integer_columns(through.objects.values_list("passage_id", column).distinct())
        for name, through, column in (
            ("themes", Passage.themes.through, "theme_id"),
            ("dimensions", Passage.dimensions.through, "dimension_id"),
        )
    }


def _passage_links_tables():
    from .models import Passage

    return [m._meta.db_table for m in (Passage.themes.through, Passage.dimensions.through)]


def _passage_labels(links, story_of):
    """The passages' labels by story, as _named gives them."""
    out = {}
    for name, (passage_ids, label_ids) in links.items():
        stories = _rows(story_of, passage_ids)
        out[name] = (stories[stories >= 0], label_ids[stories >= 0])
    return _named(out)


def _passage_stories():
    """Array: passage id -> its story's pk (-1: no such passage), the search's own array."""
    from .models import Passage

    story_of = foreign_keys(Passage, "story_id", DEFAULT_DB_ALIAS)
    if story_of is None:  # not kept here: read for this search alone
        passage_ids, story_ids = integer_columns(Passage.objects.values_list("pk", "story_id"))
        story_of = np.full(int(passage_ids.max()) + 1 if len(passage_ids) else 1, -1)
        story_of[passage_ids] = story_ids
    return story_of


def _passage_stories_tables():
    from .models import Passage

    return [Passage._meta.db_table]


def _captioned():
    from .models import Passage

    (captioned,) = integer_columns(
        Passage.objects.filter(has_captions=True).values_list("story_id").distinct()
    )
    return captioned


def _captioned_tables():
    from .models import Passage

    return [Passage._meta.db_table]


def _labels(themes, dimensions):
    """{"themes": (story pks, slugs), "dimensions": ...} from querysets of (story pk, label
    id), each read as one aggregated row (search.backends.match_sets.integer_columns): a
    row per link through the ORM took a second at 200,000 passages."""
    return _named(
        {
            "themes": integer_columns(themes.distinct()),
            "dimensions": integer_columns(dimensions.distinct()),
        }
    )


def _named(links):
    """{"themes": (story pks, label ids, {label id: slug}), ...}: links to labels that no
    longer exist left out."""
    from archive.models import Dimension, Theme

    out = {}
    for name, model in (("themes", Theme), ("dimensions", Dimension)):
        slugs = dict(model.objects.values_list("pk", "slug"))
        story_pks, label_ids = links[name]
        known = np.isin(label_ids, np.fromiter(slugs, dtype=np.int64, count=len(slugs)))
        out[name] = (story_pks[known], label_ids[known], slugs)
    return out


# name: (read, the tables it reads), in StoryFacts' order.
PIECES = {
    "stories": (_stories, _stories_tables),
    "own labels": (_story_labels, _story_labels_tables),
    "passage links": (_passage_links, _passage_links_tables),
    "left off": (partial(_story_labels, "excluded_"), partial(_story_labels_tables, "excluded_")),
    "captioned": (_captioned, _captioned_tables),
    "passage stories": (_passage_stories, _passage_stories_tables),
}
ASSEMBLED = ("stories", "own labels", "passage links", "passage stories", "left off", "captioned")
