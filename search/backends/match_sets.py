"""The rows a database full-text search matches, counted and facetted in memory.

Counting the matches of a common word, and then counting them again for each facet, costs a
join per matched row and per statement (index entry -> model row, and the queryset's filters):
about 1 µs a row, so 50 ms for each of the five statements of a search that matches 50,000
passages. Here the full-text index is read once per search, for the keys of its matches only
(and on PostgreSQL their ranks), and everything else comes from arrays held in this process,
as Lucene holds its doc values:

- which model row each index entry is (SQLite: its FTS rows are index entries; PostgreSQL's
  search_document holds the row's key already);
- which rows the queryset admits (its filters: consent uses, the gate's list of stories) and
  each row's value of a facetted field, both read in one statement the first time and kept
  until a table they were read from changes (search.backends.changes says when), or for
  changes.MAX_AGE at most."""

from collections import OrderedDict

import numpy as np
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections, models
from django.db.models import F
from django.db.models.functions import Coalesce

from . import changes

# The largest key an array is made for.
MAX_KEY = 50_000_000


def _kept_or_read(connection, kind, sql, params, read):
    """read() the first time, and again only after a table `sql` reads has changed; None if
    what `sql` reads cannot be watched, or nothing may be kept now."""
    return changes.kept(connection, (kind, sql, tuple(map(repr, params))), sql, read)


def _concat(connection, column):
    """SQL aggregating `column`'s integers into one string (_keys() reads it): PostgreSQL's
    as 8 bytes each, SQLite's as comma-separated text."""
    if connection.vendor == "postgresql":
        return f"string_agg(int8send(({column})::int8), ''::bytea)"
    return f"group_concat({column})"


def _keys(value):
    """Integers from one string made by _concat(): it parses far faster than a row each."""
    if isinstance(value, (bytes, memoryview)):
        return np.frombuffer(value, dtype=">i8").astype(np.int64)
    return np.fromstring(value or "", dtype=np.int64, sep=",")


def _array(keys, values, empty):
    """An array indexed by row key holding values (empty elsewhere), or None if a key is out
    of range."""
    if len(keys) and (keys.min() < 0 or keys.max() > MAX_KEY):
        return None
    array = np.full(int(keys.max()) + 1 if len(keys) else 1, empty, dtype=np.asarray(values).dtype)
    array[keys] = values
    return array


def _admitted(queryset):
    """Boolean array: row key -> the queryset admits the row."""
    connection = connections[queryset.db]
    try:
        rows, params = (
            queryset.order_by().annotate(_key=F("pk")).values_list("_key").query.sql_with_params()
        )
    except (
        EmptyResultSet
    ):  # a filter that admits nothing, e.g. story_id__in=[] (no clippable story)
        return _array(np.array([], dtype=np.int64), True, False)
    keys = _concat(connection, '"_key"')
    # `rows` is Django's own compiled SQL, its values in `params`; `keys` is SQL made here.
    sql = f"SELECT {keys} FROM ({rows}) AS admitted"  # noqa: S608 - see above

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            keys = _keys(cursor.fetchone()[0])
        return _array(keys, True, False)

    return _kept_or_read(connection, "admitted", sql, params, read)


def _column(model, field_name, using):
    """(codes, values): row key -> index into values of the row's value of field_name (-1:
    no such row)."""
    connection = connections[using]
    if _is_foreign_key(model, field_name):
        return _foreign_key_column(model, field_name, using)
    rows, params = (
        model._base_manager.using(using)
        .order_by()
        .annotate(_key=F("pk"), _value=F(field_name))
        .values_list("_key", "_value")
        .query.sql_with_params()
    )
    keys = _concat(connection, '"_key"')
    # `rows` is Django's own compiled SQL, its values in `params`; `keys` is SQL made here.
    sql = f'SELECT "_value", {keys} FROM ({rows}) AS rows GROUP BY "_value"'  # noqa: S608 - see above

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            groups = cursor.fetchall()
        values = [value for value, _keys_text in groups]
        keys = [_keys(text) for _value, text in groups]
        codes = [np.full(len(k), code, dtype=np.int32) for code, k in enumerate(keys)]
        if not groups:
            return np.full(1, -1, dtype=np.int32), []
        column = _array(np.concatenate(keys), np.concatenate(codes), -1)
        return None if column is None else (column, values)

    return _kept_or_read(connection, f"column {field_name}", sql, params, read)


def _is_foreign_key(model, field_name):
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return False
    if not isinstance(field, models.ForeignKey):
        return False
    target = field.target_field
    while target.is_relation:  # a page's key is its parent's
        target = target.target_field
    return isinstance(target, models.IntegerField)


def _foreign_keys_query(model, field_name, using):
    # A row without one holds 0 (ids start at 1): group_concat would skip a NULL, and the
    # keys and the values would no longer pair up.
    return (
        model._base_manager.using(using)
        .order_by()
        .annotate(_key=F("pk"), _value=Coalesce(F(field_name), 0))
        .values_list("_key", "_value")
    )


def foreign_keys(model, field_name, using):
    """Array: row key -> the id the row's foreign key field_name holds (0: none; -1: no
    such row), read as two aggregated columns (twice as fast as grouping by value), or None
    where it cannot be kept. Shared: the public search's story facts read the passages'
    stories here too (search.facts), so a write to a passage reads them again once."""
    connection = connections[using]
    rows = _foreign_keys_query(model, field_name, using)
    sql, params = rows.query.sql_with_params()

    def read():
        keys, values = integer_columns(rows)
        return _array(keys, values, -1)

    return _kept_or_read(connection, f"foreign keys {field_name}", sql, params, read)


def _foreign_key_column(model, field_name, using):
    """_column() of a foreign key, made from foreign_keys()."""
    connection = connections[using]
    sql, params = _foreign_keys_query(model, field_name, using).query.sql_with_params()

    def read():
        ids = foreign_keys(model, field_name, using)
        if ids is None:
            return None
        present = ids >= 0
        values, codes = np.unique(ids[present], return_inverse=True)
        column = np.full(len(ids), -1, dtype=np.int32)
        column[present] = codes.reshape(-1)
        return column, [value or None for value in values.tolist()]

    return _kept_or_read(connection, f"column {field_name}", sql, params, read)


def _entry_keys(connection, content_types, table):
    """Array: index entry id -> row key of the entry's object (-1: another model's entry).

    After a write to the entries, only the entries added since are read, when the ones held
    are provably unchanged: entry ids only grow (AUTOINCREMENT), an entry indexed again keeps
    its id and object (Wagtail updates its text in place), and the sums of every entry's id,
    object and their product, kept by triggers (changes.entry_sums), must equal those of the
    entries held and added; so a deletion, a moved entry or a rolled-back insert whose id came
    back reads them all again. Reading all 200,000 passages' entries took 100 ms after every
    write; checking them with a pass over the table, 40 ms more."""
    marks = ", ".join(["%s"] * len(content_types))
    where = f'FROM "{table}" WHERE content_type_id IN ({marks})'
    # Both lists come from one pass over the same rows, so they are in the same order.
    sql = f"SELECT group_concat(id), group_concat(CAST(object_id AS INTEGER)) {where}"
    params = sorted(content_types)

    def entries(extra="", more=()):
        with connection.cursor() as cursor:
            cursor.execute(sql + extra, [*params, *more])
            ids, objects = cursor.fetchone()
        return _keys(ids), _keys(objects)

    def read():
        ids, objects = entries()
        return _held(_array(ids, objects, -1), ids)

    def extend(held):
        array, top, _sums_held = held
        expected = changes.entry_sums(connection, params)
        if array is None or expected is None:
            return None
        ids, objects = entries(" AND id > %s", [top])
        if not len(ids):
            return held if _sums_held == expected else None
        grown = _array(np.concatenate([np.flatnonzero(array >= 0), ids]), 0, -1)
        if grown is None:
            return None
        grown[: len(array)] = array
        grown[ids] = objects
        extended = (grown, int(ids.max()), _sums(grown))
        return extended if extended[2] == expected else None

    held = changes.kept(connection, ("entries", sql, tuple(params)), sql, read, extend)
    return None if held is None else held[0]


def _held(array, ids):
    return (array, int(ids.max()) if len(ids) else 0, _sums(array))


def _sums(array):
    """changes.entry_sums over an entries array."""
    if array is None:
        return None
    ids = np.flatnonzero(array >= 0).astype(np.int64)
    objects = array[ids]
    prime = changes.ENTRY_PRIME
    return (
        len(ids),
        int(ids.sum()),
        int(objects.sum()),
        int(((ids % prime) * (objects % prime)).sum()),
    )


def _is_key(model, field_name):
    """Whether field_name is the model's key (a page's own key is its parent's)."""
    names = {"pk", model._meta.pk.name, model._meta.pk.attname}
    parent = model._meta.pk
    while parent.is_relation:
        parent = parent.target_field
        names |= {parent.name, parent.attname}
    return field_name in names


def integer_columns(queryset):
    """The integer columns of a values_list() queryset, as one numpy array each, read with
    one aggregated row (far faster than a row per result)."""
    connection = connections[queryset.db]
    queryset = queryset.order_by()  # a model's default ordering would add its columns
    try:
        rows, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return tuple(np.zeros(0, dtype=np.int64) for _ in queryset.query.values_select or [0])
    width = len(queryset.query.values_select) + len(queryset.query.annotation_select)
    names = [f"_c{i}" for i in range(width)]
    # `rows` is Django's own compiled SQL, its values in `params`; the rest is SQL made here.
    sql = "WITH picked ({}) AS ({}) SELECT {} FROM picked".format(  # noqa: S608 - see above
        ", ".join(f'"{n}"' for n in names),
        rows,
        ", ".join(_concat(connection, f'"{n}"') for n in names),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(_keys(value) for value in cursor.fetchone())


class MatchSet:
    """The queryset's rows that a search matches: their keys, and their ranks where the index
    gives them (PostgreSQL); or None from `of()` when an array cannot be kept."""

    def __init__(self, queryset, admitted, entry_keys=None):
        self.queryset = queryset
        self._admitted = admitted
        self._entry_keys = entry_keys
        self.keys = np.zeros(0, dtype=np.int64)
        self.ranks = None

    @classmethod
    def of(cls, queryset, read_matches, entries=None):
        """read_matches() -> (ids, ranks or None) is called only if arrays can be kept. Its ids
        are row keys, or with `entries` = (content types, entry table) index entry ids."""
        key = queryset.model._meta.pk
        while key.is_relation:  # a page's key is its parent's
            key = key.target_field
        if not isinstance(key, models.IntegerField):
            return None  # arrays are indexed by integer keys
        connection = connections[queryset.db]
        entry_keys = None
        if entries is not None:
            entry_keys = _entry_keys(connection, *entries)
            if entry_keys is None:
                return None
        admitted = _admitted(queryset)
        if admitted is None:
            return None
        match = cls(queryset, admitted, entry_keys)
        ids, ranks = read_matches()
        if ranks is None:
            match.keys = match.admit(ids)
        else:
            match.keys, match.ranks = match.admit(ids, ranks)
        return match

    def admit(self, ids, *alongside):
        """Row keys of the ids (entries, or rows) whose rows the queryset admits, in the ids'
        order; with arrays `alongside` the ids, (keys, *those arrays) for the same rows."""
        if self._entry_keys is None:
            keys = ids
        else:
            keys = np.full(len(ids), -1, dtype=np.int64)
            known = ids < len(self._entry_keys)
            keys[known] = self._entry_keys[ids[known]]
        inside = (keys >= 0) & (keys < len(self._admitted))
        inside[inside] = self._admitted[keys[inside]]
        return (keys[inside], *(each[inside] for each in alongside)) if alongside else keys[inside]

    def best(self, start, stop):
        """Row keys of the start..stop best matches by rank, tied ranks highest key first
        (the order of the full ranking's ORDER BY rank DESC, pk DESC)."""
        ranks, keys = self.ranks, self.keys
        if stop < len(ranks):  # only the ranks as high as the stop-th, ties included, are sorted
            kth = np.partition(ranks, len(ranks) - stop)[len(ranks) - stop]
            chosen = ranks >= kth
            ranks, keys = ranks[chosen], keys[chosen]
        return keys[np.lexsort((-keys, -ranks))][start:stop].tolist()

    def count(self):
        return len(self.keys)

    def facet(self, field_name):
        """OrderedDict value -> matching rows, most first (as the SQL facet orders them), or
        None if the field's column cannot be kept."""
        if _is_key(self.queryset.model, field_name):
            # Each match is its own value: no column to read (a public search facets on
            # the story's id, and reading 10,000 ids again after every write cost 100 ms).
            keys = np.unique(self.keys)
            return OrderedDict((key, 1) for key in keys[::-1].tolist())
        held = _column(self.queryset.model, field_name, self.queryset.db)
        if held is None:
            return None
        column, values = held
        keys = self.keys[self.keys < len(column)]
        codes = column[keys]
        counts = np.bincount(codes[codes >= 0], minlength=len(values))
        present = np.flatnonzero(counts)
        order = present[np.argsort(-counts[present], kind="stable")]
        return OrderedDict(
            zip([values[i] for i in order.tolist()], counts[order].tolist(), strict=True)
        )
