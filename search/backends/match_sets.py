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
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import F

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


def _entry_keys(connection, content_types, table):
    """Array: index entry id -> row key of the entry's object (-1: another model's entry)."""
    marks = ", ".join(["%s"] * len(content_types))
    # Both lists come from one pass over the same rows, so they are in the same order.
    sql = (  # `table` is a model's db_table; the content types are bound parameters.
        f'SELECT group_concat(id), group_concat(CAST(object_id AS INTEGER)) FROM "{table}" '  # noqa: S608 - see above
        f"WHERE content_type_id IN ({marks})"
    )
    params = sorted(content_types)

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids, objects = cursor.fetchone()
        return _array(_keys(ids), _keys(objects), -1)

    return _kept_or_read(connection, "entries", sql, params, read)


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
