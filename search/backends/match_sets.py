"""The rows a SQLite full-text search matches, counted and facetted in memory.

Counting the matches of a common word, and then counting them again for each facet, costs
SQLite a join per matched row and per statement (FTS row -> index entry -> model row): about
1 µs a row, so 50 ms for each of the five statements of a search that matches 50,000
passages. Here the FTS index is read once per search, for its row ids only, and everything
else comes from arrays held in this process, as Lucene holds its doc values:

- which model row each index entry is;
- which rows the queryset admits (its filters: consent uses, the gate's list of stories) and
  each row's value of a facetted field, both read in one statement the first time and kept
  until a table they were read from changes.

A change is seen through change tokens. Triggers, installed on every table of the archive's
apps by `install_change_triggers` after each migrate, give the written table a new random
token in the same transaction as the write, however it is made (save(), update(), raw SQL).
A kept array is used only while the tokens of every table its statement reads are the ones
it was read with; a statement that reads a table without triggers is never kept. Tokens are
random rather than counted so that a rolled-back write, which restores the old token, also
restores the old data: a token never comes back with other data behind it.

SQLite only: one writer at a time, so the token rows cannot deadlock writers, as a row every
writer updates would under PostgreSQL's row locks."""

import re
import threading
from collections import OrderedDict

import numpy as np
from django.db import connections, models
from django.db.models import F

TOKENS = "search_tablechange"
TRIGGER = "search_change_"
# Apps whose tables a search's queryset may read (the archive's own, and Wagtail's pages).
WATCHED_APPS = ("archive", "consent", "search", "transcription", "wagtailcore", "wagtailsearch")
# Kept querysets and columns per process, and the largest key an array is made for.
KEPT = 64
MAX_KEY = 50_000_000
QUOTED = re.compile(r'"([^"]+)"')

_lock = threading.Lock()
_kept = OrderedDict()  # (database, kind, key) -> (tokens, value)
_watched = {}  # database -> (schema version, tables with triggers)


def install_change_triggers(using="default", **kwargs):
    """Give every table of WATCHED_APPS triggers that renew its change token (post_migrate)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    from django.apps import apps

    tables = {
        model._meta.db_table
        for config in apps.get_app_configs() if config.label in WATCHED_APPS
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%%'")
        existing = {row[0] for row in cursor.fetchall()}
        # Not a model: flushing the test database must not reset the tokens.
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TOKENS} (name TEXT PRIMARY KEY, token INTEGER NOT NULL)")
        for table in sorted(tables & existing):
            for event in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER}{table}_{event.lower()}" AFTER {event} ON "{table}" '
                    f"BEGIN INSERT INTO {TOKENS} (name, token) VALUES ('{table}', random()) "
                    f"ON CONFLICT (name) DO UPDATE SET token = excluded.token; END"
                )


def _tables(connection):
    """(every table, the tables with change triggers), read again when the schema changes."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA schema_version")
        version = cursor.fetchone()[0]
        name = connection.settings_dict["NAME"]
        held = _watched.get(name)
        if held is None or held[0] != version:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = frozenset(row[0] for row in cursor.fetchall())
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [TRIGGER + "%"],
            )
            held = _watched[name] = (version, tables, frozenset(row[0] for row in cursor.fetchall()))
    return held[1:]


def _tokens(connection, sql):
    """The change tokens of every table `sql` reads, or None if one has no triggers."""
    tables, watched = _tables(connection)
    tables = set(QUOTED.findall(sql)) & tables
    if not tables or not tables <= watched:
        return None
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(f"SELECT name, token FROM {TOKENS} WHERE name IN ({marks})", sorted(tables))
        return tuple(sorted(cursor.fetchall()))


def _kept_or_read(connection, kind, sql, params, read):
    """read() the first time, and again only after a table `sql` reads has changed."""
    tokens = _tokens(connection, sql)
    if tokens is None:
        return None
    key = (connection.settings_dict["NAME"], kind, sql, tuple(map(repr, params)))
    with _lock:
        held = _kept.get(key)
        if held is not None and held[0] == tokens:
            _kept.move_to_end(key)
            return held[1]
    value = read()
    with _lock:
        _kept[key] = (tokens, value)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def forget():
    """Drop what this process holds (tests)."""
    with _lock:
        _kept.clear()
        _watched.clear()


def _keys(text):
    """Row keys from SQLite's group_concat: one string parses far faster than a row each."""
    return np.fromstring(text or "", dtype=np.int64, sep=",")


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
    rows, params = queryset.order_by().annotate(_key=F("pk")).values_list("_key").query.sql_with_params()
    sql = f'SELECT group_concat("_key") FROM ({rows})'

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
    rows, params = (model._base_manager.using(using).order_by()
                    .annotate(_key=F("pk"), _value=F(field_name)).values_list("_key", "_value")
                    .query.sql_with_params())
    sql = f'SELECT "_value", group_concat("_key") FROM ({rows}) GROUP BY "_value"'

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
    sql = (f'SELECT group_concat(id), group_concat(CAST(object_id AS INTEGER)) FROM "{table}" '
           f"WHERE content_type_id IN ({marks})")
    params = sorted(content_types)

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids, objects = cursor.fetchone()
        return _array(_keys(ids), _keys(objects), -1)

    return _kept_or_read(connection, "entries", sql, params, read)


class MatchSet:
    """The queryset's rows that a search matches, from the FTS row ids of its matches; or
    None from `of()` when an array cannot be kept for the queryset."""

    def __init__(self, queryset, row_keys, admitted, entry_keys):
        self.queryset = queryset
        self.keys = row_keys
        self._admitted = admitted
        self._entry_keys = entry_keys

    @classmethod
    def of(cls, queryset, content_types, entry_table, entry_ids):
        key = queryset.model._meta.pk
        while key.is_relation:  # a page's key is its parent's
            key = key.target_field
        if not isinstance(key, models.IntegerField):
            return None  # arrays are indexed by integer keys
        connection = connections[queryset.db]
        entry_keys = _entry_keys(connection, content_types, entry_table)
        admitted = _admitted(queryset) if entry_keys is not None else None
        if admitted is None:
            return None
        match = cls(queryset, None, admitted, entry_keys)
        match.keys = match.admit(entry_ids)
        return match

    def admit(self, entry_ids, *alongside):
        """Row keys of the entries whose rows the queryset admits, in the entries' order;
        with arrays `alongside` entry_ids, (keys, *those arrays) for the same entries."""
        keys = np.full(len(entry_ids), -1, dtype=np.int64)
        known = entry_ids < len(self._entry_keys)
        keys[known] = self._entry_keys[entry_ids[known]]
        inside = (keys >= 0) & (keys < len(self._admitted))
        inside[inside] = self._admitted[keys[inside]]
        return (keys[inside], *(each[inside] for each in alongside)) if alongside else keys[inside]

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
        return OrderedDict(zip([values[i] for i in order.tolist()], counts[order].tolist()))
