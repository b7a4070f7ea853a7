"""Report writers' counts: stories and passages by theme, dimension, borough, kind and year,
through the consent gate, with small counts suppressed.

Counting: each story's facts (borough, kind, year, its labels and its passages' labels) and
its passages counted per label by grouped SQL are kept as arrays, one row per story, in each
process until a table they come from changes (ReportFacts, as search.facts). A request asks
the gate once, in SQL, for the live stories it permits for Use.QUOTE for the asking user;
every table is then a few array products over those rows (no loop over stories, no SQL per
cell), so it stays fast at 10,000 stories and 200,000 passages.
A story is counted under a theme or dimension it carries itself or on any of its passages,
unless an editor left that label off the story (as search and theme pages list it); a passage
under its own confirmed labels, and only on counted stories.

Suppression: a value that rests on 1 to 4 distinct stories is shown as "fewer than 5", and
complementary cells are suppressed so that no suppressed value can be found by subtracting
the others from a shown total."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from archive.models import Borough, Dimension, StoryKind, StoryPage, Theme
from archive.models.pages import stories_with
from consent import gate
from search import facts
from search.backends import changes
from search.models import Passage
from search.services import MAX_QUERY, WORD, clean_text

if TYPE_CHECKING:
    from consent.gate import Person as User

THRESHOLD = 5  # fewer distinct stories than this behind a value and it is not shown
SUPPRESSED = "fewer than 5"
SUPPRESSED_CSV = "<5"
AXES = {
    "theme": "Theme",
    "dimension": "Dimension",
    "borough": "Borough",
    "kind": "Kind of story",
    "year": "Year",
}
LABELLED = ("theme", "dimension")  # many values per story
NONE_LABEL = {"theme": "No theme", "dimension": "No dimension", "year": "Year not known"}
DEFAULT_ROWS, DEFAULT_COLUMNS = "theme", "borough"

SUPPRESSION_RULE = (
    "Any number that rests on fewer than 5 storytellers' stories (1 to 4) is shown as "
    "“fewer than 5”, so that nobody can be singled out. Where a row or column total is shown "
    "and only one number in it is hidden, the next smallest number is hidden too, so that the "
    "hidden one cannot be worked out by subtraction. A 0 is shown as 0."
)


@dataclass(frozen=True)
class ReportFilters:
    """The reports page's query: which two axes make the table, and what narrows it."""

    q: str = ""
    theme: str = ""
    dimension: str = ""
    borough: str = ""
    kind: str = ""
    year: int | None = None
    years: tuple[int, ...] = ()  # the Leadership Forum report's two years
    rows: str = DEFAULT_ROWS
    columns: str = DEFAULT_COLUMNS

    SLUGS: ClassVar[tuple[str, ...]] = ("theme", "dimension", "borough", "kind")

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ReportFilters:
        """Anything malformed is ignored rather than refused, as on search."""
        clean = {name: clean_text(params.get(name), 80) for name in cls.SLUGS}
        rows = params.get("rows") if params.get("rows") in AXES else DEFAULT_ROWS
        columns = params.get("columns") if params.get("columns") in AXES else DEFAULT_COLUMNS
        if columns == rows:
            columns = next(axis for axis in (DEFAULT_COLUMNS, DEFAULT_ROWS) if axis != rows)
        year = clean_text(params.get("year"), 4)
        return cls(
            q=clean_text(params.get("q"), MAX_QUERY),
            year=int(year) if year.isdigit() else None,
            rows=str(rows),
            columns=str(columns),
            **clean,
        )

    def as_params(self) -> dict[str, str]:
        """What a saved report keeps, and the page's query string."""
        params = {name: getattr(self, name) for name in ("q", *self.SLUGS, "rows", "columns")}
        params["year"] = str(self.year) if self.year else ""
        return {name: value for name, value in params.items() if value}


# --- the numbers -----------------------------------------------------------------------


@dataclass
class Number:
    """One value shown: a count and the distinct stories it rests on."""

    count: int
    stories: int
    suppressed: bool = False

    @property
    def shown(self) -> str:
        return SUPPRESSED if self.suppressed else str(self.count)

    @property
    def csv(self) -> str:
        return SUPPRESSED_CSV if self.suppressed else str(self.count)

    @property
    def value(self) -> int | None:
        """The number a chart draws, or None where it is suppressed."""
        return None if self.suppressed else self.count


def zero() -> Number:
    return Number(0, 0)


@dataclass
class Table:
    """Counts by row value × column value, with row, column and grand totals."""

    title: str
    rows: list[tuple[Any, str]]  # (value, label)
    columns: list[tuple[Any, str]]
    cells: dict[tuple[Any, Any], Number] = field(default_factory=dict)
    row_totals: dict[Any, Number] = field(default_factory=dict)
    column_totals: dict[Any, Number] = field(default_factory=dict)
    total: Number = field(default_factory=zero)

    def cell(self, row: Any, column: Any) -> Number:
        return self.cells.get((row, column), zero())

    def grid(self) -> list[tuple[str, list[Number], Number]]:
        """[(row label, [cell per column], row total)], for templates."""
        return [
            (label, [self.cell(row, col) for col, _l in self.columns], self.row_total(row))
            for row, label in self.rows
        ]

    def column_total_list(self) -> list[Number]:
        return [self.column_totals.get(col, zero()) for col, _l in self.columns]

    def row_total(self, row: Any) -> Number:
        return self.row_totals.get(row, zero())


@dataclass
class Counts:
    filters: ReportFilters
    stories: Table
    passages: Table
    story_ids: list[int]  # the stories counted, for the download audit


def counts(filters: ReportFilters, user: User | None) -> Counts:
    """Stories and passages by filters.rows × filters.columns, suppressed."""
    facts = all_facts()
    mask = facts.mask(filters, _permitted_ids(filters, user))
    rows, columns = axis_values(filters.rows), axis_values(filters.columns)
    title = f"{AXES[filters.rows]} by {AXES[filters.columns].lower()}"
    stories = Table(f"Stories: {title}", rows, columns)
    passages = Table(f"Passages: {title}", rows, columns)
    _fill(stories, facts.story_counts, mask, filters, rows, columns)
    _fill(passages, facts.passage_counts, mask, filters, rows, columns)
    for table in (stories, passages):
        _drop_empty_unlabelled(table)
        suppress(table)
    return Counts(filters, stories, passages, facts.ids_of(mask))


def _permitted_ids(filters: ReportFilters, user: User | None) -> list[int]:
    """Live stories the gate permits for QUOTE for `user`, and with words, those that have
    them. Every other filter is applied to the kept facts (ReportFacts.mask)."""
    stories = gate.permitted(gate.Use.QUOTE, StoryPage.objects.live(), user)
    if WORD.search(filters.q):
        return _matching(filters.q, stories)
    return list(stories.values_list("pk", flat=True))


def _fill(table, count, mask, filters, rows, columns) -> None:
    """Cells, row and column totals and the total, each as (count, stories behind it)."""
    cells, behind = count(mask, filters, (filters.rows, filters.columns))
    for i, (row, _l) in enumerate(rows):
        for j, (col, _c) in enumerate(columns):
            table.cells[(row, col)] = Number(int(cells[i, j]), int(behind[i, j]))
    for totals, axis, values in (
        (table.row_totals, filters.rows, rows),
        (table.column_totals, filters.columns, columns),
    ):
        line, line_behind = count(mask, filters, (axis,))
        for i, (value, _l) in enumerate(values):
            totals[value] = Number(int(line[i]), int(line_behind[i]))
    total, total_behind = count(mask, filters, ())
    table.total = Number(int(total), int(total_behind))


def counted_stories(filters: ReportFilters, user: User | None) -> QuerySet[StoryPage]:
    """Live stories the gate permits for QUOTE for `user`, narrowed by the filters."""
    stories = gate.permitted(gate.Use.QUOTE, StoryPage.objects.live(), user)
    if filters.borough:
        stories = stories.filter(borough__slug=filters.borough)
    if filters.kind:
        stories = stories.filter(kind=filters.kind)
    for name, model in (("theme", "themes"), ("dimension", "dimensions")):
        slug = getattr(filters, name)
        if slug:
            stories = stories.filter(stories_with(model, slug))
    years = (filters.year,) if filters.year else filters.years
    if years:
        stories = stories.annotate(report_year=_year()).filter(report_year__in=years)
    if WORD.search(filters.q):
        stories = stories.filter(pk__in=_matching(filters.q, stories))
    return stories


def _year(prefix: str = "") -> Coalesce:
    # The year a story was recorded, else the year it was first published.
    return Coalesce(ExtractYear(f"{prefix}recorded_on"), ExtractYear(f"{prefix}first_published_at"))


def _matching(query: str, stories: QuerySet[StoryPage]) -> list[int]:
    """Ids of the stories whose own text or any passage has the words, by the search
    backend (so it is the same on every backend), checked against `stories`."""
    ids = list(stories.values_list("pk", flat=True))
    own = StoryPage.objects.filter(id__in=ids).only("pk").search(query, operator="and")
    passages = Passage.objects.filter(story_id__in=ids).search(query, operator="and")
    found = set(own.facet("id")) | set(passages.facet("story_id"))
    return sorted(found & set(ids))


def axis_values(axis: str) -> list[tuple[Any, str]]:
    """Every value an axis can take, in a stable order, with its label; None for no label."""
    if axis == "theme":
        values: list[tuple[Any, str]] = list(Theme.objects.values_list("pk", "name"))
    elif axis == "dimension":
        values = list(Dimension.objects.values_list("pk", "name"))
    elif axis == "borough":
        values = list(Borough.objects.order_by("name").values_list("pk", "name"))
    elif axis == "kind":
        values = list(StoryKind.choices)
    else:  # the years of the stories, from the kept facts rather than a scan each time
        values = [(y, str(y)) for y in all_facts().years]
    if axis in NONE_LABEL:
        values.append((None, NONE_LABEL[axis]))
    return values


# --- the kept facts ---------------------------------------------------------------------


class ReportFacts:
    """Every story's facts and its passages' label counts as arrays, one row per story, so
    a table is a few array products however many stories match (no loop over stories, no
    thousands of ids sent into SQL). Kept per process until a table they come from changes
    (search.backends.changes, as search.facts); consent is asked on every count."""

    def __init__(self) -> None:
        self.ids = np.array(StoryPage.objects.order_by("pk").values_list("pk", flat=True))
        self.row = {int(pk): i for i, pk in enumerate(self.ids)}
        n = len(self.ids)
        facts = list(StoryPage.objects.order_by("pk").values_list("borough_id", "kind", _year()))
        self.years = sorted({int(year) for _b, _k, year in facts if year})
        self.values = {
            axis: [*self.years, None] if axis == "year" else [v for v, _l in axis_values(axis)]
            for axis in AXES
        }
        self.index = {axis: {v: i for i, v in enumerate(vs)} for axis, vs in self.values.items()}
        self.onehot = {}
        for at, axis in enumerate(("borough", "kind", "year")):
            held = np.zeros((n, len(self.values[axis])), dtype=np.int32)
            last = len(self.values[axis]) - 1
            columns = [self.index[axis].get(fact[at], last) for fact in facts]
            held[np.arange(n), columns] = 1
            self.onehot[axis] = held
        for axis in LABELLED:
            self.onehot[axis] = self._story_labels(axis)
        self.passages = self._passage_counts()

    def _story_labels(self, axis: str) -> np.ndarray:
        """Stories × values: 1 where the story or any of its passages has the label; the
        last column (no label) where it has none."""
        held = np.zeros((len(self.ids), len(self.values[axis])), dtype=np.int32)
        self._put(held, axis, facts.linked_pairs(f"{axis}s"), 1)
        held[:, -1] = held[:, :-1].sum(axis=1) == 0
        return held

    def _put(self, held: np.ndarray, axis: str, pairs: Any, weight: Any) -> None:
        for story_id, value, *n in pairs:
            if story_id in self.row and value in self.index[axis]:
                held[self.row[story_id], self.index[axis][value]] += n[0] if n else weight

    def _passage_counts(self) -> dict[tuple[str, ...], np.ndarray]:
        """Passages per story, by the labels a table may need: none, theme, dimension, both
        (a passage with no theme counts under "no theme"). Grouped in SQL."""
        from django.db.models import Count

        n = len(self.ids)
        sizes = {axis: len(self.values[axis]) for axis in LABELLED}
        made: dict[tuple[str, ...], np.ndarray] = {}
        every = np.zeros(n, dtype=np.int32)
        for story_id, count in Passage.objects.values_list("story_id").annotate(c=Count("pk")):
            if story_id in self.row:
                every[self.row[story_id]] = count
        made[()] = every
        for axis in LABELLED:
            held = np.zeros((n, sizes[axis]), dtype=np.int32)
            grouped = Passage.objects.values_list("story_id", f"{axis}s").annotate(c=Count("pk"))
            for story_id, value, count in grouped:
                key = value if value is not None else None
                if story_id in self.row and key in self.index[axis]:
                    held[self.row[story_id], self.index[axis][key]] += count
            made[(axis,)] = held
        both = np.zeros((n, sizes["theme"], sizes["dimension"]), dtype=np.int32)
        grouped = Passage.objects.values_list("story_id", "themes", "dimensions").annotate(
            c=Count("pk")
        )
        for story_id, theme, dimension, count in grouped:
            if story_id in self.row:
                both[
                    self.row[story_id],
                    self.index["theme"][theme],
                    self.index["dimension"][dimension],
                ] += count
        made[LABELLED] = both
        return made

    def mask(self, filters: ReportFilters, permitted: list[int]) -> np.ndarray:
        """The stories counted: permitted, and matching every filter but the words."""
        keep = np.isin(self.ids, np.array(permitted, dtype=self.ids.dtype))
        chosen = {
            "borough": _borough_id(filters.borough) if filters.borough else None,
            "kind": filters.kind or None,
            "theme": _label_id(Theme, filters.theme) if filters.theme else None,
            "dimension": _label_id(Dimension, filters.dimension) if filters.dimension else None,
        }
        for axis, value in chosen.items():
            if value is not None:
                at = self.index[axis].get(value)
                keep &= self.onehot[axis][:, at] > 0 if at is not None else False
        years = (filters.year,) if filters.year else filters.years
        if years:
            columns = [self.index["year"][y] for y in years if y in self.index["year"]]
            keep &= self.onehot["year"][:, columns].sum(axis=1) > 0
        return keep

    def ids_of(self, mask: np.ndarray) -> list[int]:
        return [int(pk) for pk in self.ids[mask]]

    def story_counts(self, mask, filters, axes):
        """(stories, the same) for each value of each axis (0, 1 or 2 axes)."""
        matrices = [self.onehot[axis][mask] for axis in axes]
        if not matrices:
            total = int(mask.sum())
            return total, total
        letters = "rc"[: len(matrices)]
        counted = np.einsum(",".join("n" + x for x in letters) + "->" + letters, *matrices)
        return counted, counted

    def passage_counts(self, mask, filters, axes):
        """(passages, the stories they are on) for each value of each axis: passages by
        their own labels for theme and dimension, by their story's facts otherwise."""
        wanted = {axis: getattr(filters, axis) for axis in LABELLED}
        labels = tuple(a for a in LABELLED if a in axes or wanted[a])
        base = self.passages[labels][mask]
        letters, at = {}, 1
        for axis in labels:  # slice the labels that are filters, keep the ones that are axes
            if axis in axes:
                letters[axis] = "rc"[axes.index(axis)]
                at += 1
                continue
            model = Theme if axis == "theme" else Dimension
            column = self.index[axis].get(_label_id(model, wanted[axis]))
            base = np.take(base, [column] if column is not None else [], axis=at)
            base = base.sum(axis=at)
        spec = "n" + "".join(letters[a] for a in labels if a in letters)
        operands, specs = [base], [spec]
        for axis in axes:
            if axis not in LABELLED:
                operands.append(self.onehot[axis][mask])
                specs.append("n" + "rc"[axes.index(axis)])
        out = "".join("rc"[i] for i in range(len(axes)))
        expression = ",".join(specs) + "->" + out
        counted = np.einsum(expression, *operands)
        behind = np.einsum(expression, (base > 0).astype(np.int32), *operands[1:])
        return counted, behind


def _borough_id(slug: str) -> int | None:
    return Borough.objects.filter(slug=slug).values_list("pk", flat=True).first()


def _label_id(model: type[Theme] | type[Dimension], slug: str) -> int | None:
    return model.objects.filter(slug=slug).values_list("pk", flat=True).first()


def all_facts() -> ReportFacts:
    """This process's ReportFacts while no table they come from has changed."""
    kept = changes.kept(connection, ("report facts",), facts.watched_tables(), ReportFacts)
    return kept if kept is not None else ReportFacts()


def _drop_empty_unlabelled(table: Table) -> None:
    """ "No theme" and the like are shown only when some story falls there."""
    table.rows = [(v, label) for v, label in table.rows if v is not None or table.row_totals.get(v)]
    table.columns = [
        (v, label) for v, label in table.columns if v is not None or table.column_totals.get(v)
    ]


# --- suppression -----------------------------------------------------------------------


def primary(number: Number) -> bool:
    return 0 < number.stories < THRESHOLD


def suppress(table: Table) -> None:
    """Hide every value resting on 1-4 stories, then hide complementary values until no
    shown total has exactly one hidden value among its parts."""
    numbers = [*table.cells.values(), *table.row_totals.values(), *table.column_totals.values()]
    for number in [*numbers, table.total]:
        number.suppressed = primary(number)
    lines = _lines(table)
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            changed |= _complement(total, parts)


def _lines(table: Table) -> list[tuple[Number, list[Number]]]:
    """Each shown total with the values it adds up (or overlaps, for labels)."""
    # Cells are made for every pair so that a zero is a part too (it cannot be hidden).
    for row, _l in table.rows:
        for col, _c in table.columns:
            table.cells.setdefault((row, col), Number(0, 0))
    lines = []
    for row, _l in table.rows:
        total = table.row_totals.setdefault(row, Number(0, 0))
        lines.append((total, [table.cells[(row, col)] for col, _c in table.columns]))
    for col, _c in table.columns:
        total = table.column_totals.setdefault(col, Number(0, 0))
        lines.append((total, [table.cells[(row, col)] for row, _r in table.rows]))
    lines.append((table.total, [table.row_totals[row] for row, _l in table.rows]))
    lines.append((table.total, [table.column_totals[col] for col, _c in table.columns]))
    return lines


def _complement(total: Number, parts: list[Number]) -> bool:
    if total.suppressed or sum(part.suppressed for part in parts) != 1:
        return False
    candidates = [p for p in parts if not p.suppressed and p.count > 0]
    if candidates:
        min(candidates, key=lambda p: (p.count, p.stories)).suppressed = True
    else:
        total.suppressed = True  # nothing else to hide: the total would give it away
    return True


def change(this_year: Number, last_year: Number) -> str:
    """The change since last year, or "fewer than 5" where either side is suppressed."""
    if this_year.suppressed or last_year.suppressed:
        return SUPPRESSED
    difference = this_year.count - last_year.count
    return f"{difference:+d}" if difference else "no change"


def with_years(filters: ReportFilters, year: int) -> ReportFilters:
    """A Leadership Forum report's filters: its year and the year before, by year."""
    return replace(filters, year=None, years=(year - 1, year), columns="year")
