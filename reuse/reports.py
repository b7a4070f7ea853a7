"""Report writers' counts: stories and passages by theme, dimension, borough, kind and year,
through the consent gate, with small counts suppressed.

Counting is grouped SQL over (story, value) and (passage, story, value) pairs, one set per
axis, so it costs a few statements however many stories there are (no loop over stories).
A story is counted under a theme or dimension it carries itself or on any of its passages
(as search filters); a passage under its own confirmed labels. Only live stories the gate
permits for Use.QUOTE for the asking user are counted, and only their passages.

Suppression: a value that rests on 1 to 4 distinct stories is shown as "fewer than 5", and
complementary cells are suppressed so that no suppressed value can be found by subtracting
the others from a shown total."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from archive.models import Borough, Dimension, StoryKind, StoryPage, Theme
from consent import gate
from search.models import Passage
from search.services import MAX_QUERY, WORD, _text

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
        clean = {name: _text(params.get(name), 80) for name in cls.SLUGS}
        rows = params.get("rows") if params.get("rows") in AXES else DEFAULT_ROWS
        columns = params.get("columns") if params.get("columns") in AXES else DEFAULT_COLUMNS
        if columns == rows:
            columns = next(axis for axis in (DEFAULT_COLUMNS, DEFAULT_ROWS) if axis != rows)
        year = _text(params.get("year"), 4)
        return cls(
            q=_text(params.get("q"), MAX_QUERY),
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
    allowed = counted_stories(filters, user)
    rows = axis_values(filters.rows)
    columns = axis_values(filters.columns)
    title = f"{AXES[filters.rows]} by {AXES[filters.columns].lower()}"
    stories = Table(f"Stories: {title}", rows, columns)
    passages = Table(f"Passages: {title}", rows, columns)
    _fill_stories(stories, allowed, filters)
    _fill_passages(passages, allowed, filters)
    for table in (stories, passages):
        _drop_empty_unlabelled(table)
        suppress(table)
    ids = list(allowed.values_list("pk", flat=True))
    return Counts(filters, stories, passages, ids)


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
            labelled = Q(**{f"{model}__slug": slug}) | Q(**{f"passages__{model}__slug": slug})
            stories = stories.filter(pk__in=StoryPage.objects.filter(labelled).values("pk"))
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
    else:
        years = StoryPage.objects.live().annotate(report_year=_year()).values_list("report_year")
        values = [(y, str(y)) for y in sorted({y for (y,) in years.distinct() if y})]
    if axis in NONE_LABEL:
        values.append((None, NONE_LABEL[axis]))
    return values


# --- grouped SQL -----------------------------------------------------------------------


def _sql(queryset: QuerySet[Any]) -> Statement:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _story_pairs(axis: str, allowed: QuerySet[StoryPage]) -> Statement:
    """SQL of (sid, val): each counted story and each value it has on `axis`, once; a story
    with no value has val NULL."""
    base_sql, base_params = _sql(allowed.values(sid=F("pk")))
    if axis in LABELLED:
        field_name = f"{axis}_id"
        ids = allowed.values("pk")
        own = getattr(StoryPage, f"{axis}s").through.objects.filter(storypage_id__in=ids)
        on_passages = getattr(Passage, f"{axis}s").through.objects.filter(passage__story_id__in=ids)
        labels = own.values(lsid=F("storypage_id"), val=F(field_name)).union(
            on_passages.values(lsid=F("passage__story_id"), val=F(field_name))
        )
        return _compose(STORY_LABELS, (base_sql, base_params), _sql(labels))
    value = {"borough": F("borough_id"), "kind": F("kind"), "year": _year()}[axis]
    return _sql(allowed.values(sid=F("pk"), val=value))


def _passage_pairs(axis: str, allowed: QuerySet[StoryPage], filters: ReportFilters) -> Statement:
    """SQL of (pid, sid, val): each counted passage, its story, and each value on `axis`
    (a passage's own confirmed labels for theme and dimension; its story's otherwise)."""
    passages = Passage.objects.filter(story_id__in=allowed.values("pk"))
    for name in LABELLED:
        value = getattr(filters, name)
        if value:  # a theme or dimension filter counts the passages labelled so
            passages = passages.filter(**{f"{name}s__slug": value})
    if axis in LABELLED:
        through = getattr(Passage, f"{axis}s").through
        return _compose(
            PASSAGE_LABELS,
            _sql(passages.values(pid=F("pk"), psid=F("story_id"))),
            _sql(through.objects.values(lpid=F("passage_id"), val=F(f"{axis}_id"))),
        )
    value = {"borough": F("story__borough_id"), "kind": F("story__kind")}.get(axis)
    if value is None:  # the story's year
        value = Coalesce(
            ExtractYear("story__recorded_on"), ExtractYear("story__first_published_at")
        )
    return _sql(passages.values(pid=F("pk"), sid=F("story_id"), val=value))


# The statements around the pairs. Only these fixed texts and SQL that Django's compiler
# wrote are put together; every value the user gave travels as a parameter.
STORY_LABELS = "SELECT s.sid AS sid, l.val AS val FROM ({0}) s LEFT JOIN ({1}) l ON l.lsid = s.sid"
PASSAGE_LABELS = (
    "SELECT p.pid AS pid, p.psid AS sid, l.val AS val FROM ({0}) p "
    "LEFT JOIN ({1}) l ON l.lpid = p.pid"
)
# Each (story, value) pair is there once, so COUNT(*) counts distinct stories.
STORY_CELLS = (
    "SELECT r.val, c.val, COUNT(*) FROM ({0}) r JOIN ({1}) c ON r.sid = c.sid GROUP BY r.val, c.val"
)
STORY_TOTALS = "SELECT t.val, COUNT(*) FROM ({0}) t GROUP BY t.val"
PASSAGE_CELLS = (
    "SELECT r.val, c.val, COUNT(*), COUNT(DISTINCT r.sid) FROM ({0}) r "
    "JOIN ({1}) c ON r.pid = c.pid GROUP BY r.val, c.val"
)
PASSAGE_TOTALS = (
    "SELECT t.val, COUNT(DISTINCT t.pid), COUNT(DISTINCT t.sid) FROM ({0}) t GROUP BY t.val"
)
PASSAGE_TOTAL = "SELECT COUNT(DISTINCT t.pid), COUNT(DISTINCT t.sid) FROM ({0}) t"

Statement = tuple[str, tuple[Any, ...]]


def _compose(template: str, *parts: Statement) -> Statement:
    sql = template.format(*(part_sql for part_sql, _p in parts))
    return sql, tuple(param for _s, params in parts for param in params)


def _rows(template: str, *parts: Statement) -> list[tuple[Any, ...]]:
    sql, params = _compose(template, *parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def _fill_stories(table: Table, allowed: QuerySet[StoryPage], filters: ReportFilters) -> None:
    rows = _story_pairs(filters.rows, allowed)
    columns = _story_pairs(filters.columns, allowed)
    for row, col, n in _rows(STORY_CELLS, rows, columns):
        table.cells[(_key(row), _key(col))] = Number(n, n)
    for totals, pairs in ((table.row_totals, rows), (table.column_totals, columns)):
        for value, n in _rows(STORY_TOTALS, pairs):
            totals[_key(value)] = Number(n, n)
    n = allowed.count()
    table.total = Number(n, n)


def _fill_passages(table: Table, allowed: QuerySet[StoryPage], filters: ReportFilters) -> None:
    rows = _passage_pairs(filters.rows, allowed, filters)
    columns = _passage_pairs(filters.columns, allowed, filters)
    for row, col, n, stories in _rows(PASSAGE_CELLS, rows, columns):
        table.cells[(_key(row), _key(col))] = Number(n, stories)
    for totals, pairs in ((table.row_totals, rows), (table.column_totals, columns)):
        for value, n, stories in _rows(PASSAGE_TOTALS, pairs):
            totals[_key(value)] = Number(n, stories)
    n, stories = _rows(PASSAGE_TOTAL, rows)[0]
    table.total = Number(n or 0, stories or 0)


def _key(value: Any) -> Any:
    # Years come back as floats or Decimals on some databases.
    return int(value) if isinstance(value, float) or type(value).__name__ == "Decimal" else value


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
