"""Has a table changed since an array was read from it? What lets search.backends.match_sets
keep arrays between searches and never answer from a stale one.

Triggers, installed on every table of the archive's apps (and Wagtail's pages and index) by
`install_change_triggers` after each migrate, record each write in the writer's own
transaction, however it is made: save(), update(), raw SQL, TRUNCATE. A kept array is used
only while no table its statement reads has been written since; a statement reading a table
without the triggers is never kept.

- SQLite (one writer at a time): each write gives the table a new random token. An array is
  current while the tokens are the ones it was read with. Random, not counted, so that a
  rolled-back write, which restores the old token, also restores the old data.
- PostgreSQL (many writers): a row per table and writing transaction is appended to a log,
  never updated, so writers never wait for each other. An array remembers the snapshot it was
  read under; it is stale once the log holds a committed write that snapshot did not see.
  A write not yet committed is seen when it commits, a rolled-back one never. Inside a
  transaction that has written, nothing is kept or used: its own writes may still roll back.
  The log is pruned below the oldest snapshot any kept array can have (arrays are re-read
  after MAX_AGE; a horizon older than that bounds their snapshots)."""

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.apps import apps
from django.db import connections

T = TypeVar("T")
TRIGGER = "search_change_"
# Apps whose tables a search's queryset may read (the archive's own, and Wagtail's pages).
WATCHED_APPS = ("archive", "consent", "search", "transcription", "wagtailcore", "wagtailsearch")
# An array older than this is read again, whatever the log says (PostgreSQL's pruning needs it).
MAX_AGE = 600
QUOTED = re.compile(r'"([^"]+)"')

SQLITE_TOKENS = "search_tablechange"
# Running sums over Wagtail's index entries, per content type (see entry_sums).
SQLITE_ENTRY_SUMS = "search_entrysums"
ENTRY_TABLE = "wagtailsearch_indexentry"
# Keeps each entry's product of id and object inside 32 bits, so 200,000 of them sum in 64.
ENTRY_PRIME = 65521
PG_LOG = "search_change_log"
PG_HORIZON = "search_change_horizon"
PG_PRUNE_EVERY = 600
# Values kept per process (kept()), least recently used dropped first.
KEPT = 64

_lock = threading.Lock()
_kept = OrderedDict()  # (database, key) -> (stamp, read at, value)
_sqlite_tables = {}  # database name -> (schema version, tables, tables with triggers)
_pg_pruned = {}  # database name -> monotonic time of the last prune


def _model_tables():
    return {
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.label in WATCHED_APPS
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def install_change_triggers(using="default", **kwargs):
    """Give every table of WATCHED_APPS its change triggers (post_migrate; safe to repeat)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        _install_sqlite(connection)
    elif connection.vendor == "postgresql":
        _install_postgres(connection)


def tables_read(connection, sql):
    """The watched tables `sql` reads, or None if it reads a table without triggers (or none)."""
    names = set(QUOTED.findall(sql))
    if connection.vendor == "sqlite":
        tables, watched = _sqlite_watched(connection)
    elif connection.vendor == "postgresql":
        tables, watched = _postgres_watched(connection, names)
    else:
        return None
    names &= tables
    return frozenset(names) if names and names <= watched else None


def stamp(connection, tables, held=None):
    """(stamp, whether `held`, an earlier stamp for the same tables, is still current). The
    stamp is taken before the data it vouches for is read; None: keep nothing now."""
    if connection.vendor == "sqlite":
        return _sqlite_stamp(connection, tables, held)
    return _postgres_stamp(connection, tables, held)


def kept(
    connection: Any,
    key: tuple[Any, ...],
    sql: str,
    read: Callable[[], T],
    extend: Callable[[T], T | None] | None = None,
) -> T | None:
    """read()'s value, kept in this process under `key` and read again only once a table that
    `sql` names has changed (or after MAX_AGE). None when those tables cannot be watched or
    nothing may be kept now (inside a PostgreSQL transaction that has written): the caller
    reads for itself. `extend(value)`, if given, is tried first when the kept value is stale:
    the value brought up to date from the old one, or None to read it all again."""
    tables = tables_read(connection, sql)
    if tables is None:
        return None
    key = (connection.settings_dict["NAME"], *key)
    with _lock:
        held = _kept.get(key)
    fresh = held is not None and time.monotonic() - held[1] < MAX_AGE
    now, current = stamp(connection, tables, held[0] if fresh else None)
    if now is None:
        return None
    if current:
        with _lock:
            if key in _kept:
                _kept.move_to_end(key)
        return held[2]
    read_at = time.monotonic()
    value = extend(held[2]) if extend is not None and fresh else None
    if value is None:
        value = read()
    else:
        read_at = held[1]  # MAX_AGE still counts from the full read
    with _lock:
        _kept[key] = (now, read_at, value)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def forget():
    """Drop what this process holds (tests)."""
    with _lock:
        _kept.clear()
        _sqlite_tables.clear()
        _pg_pruned.clear()


# SQLite: a random token per table.


def _install_sqlite(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%%'"
        )
        existing = {row[0] for row in cursor.fetchall()}
        # Not a model: flushing the test database must not reset the tokens.
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {SQLITE_TOKENS} "
            "(name TEXT PRIMARY KEY, token INTEGER NOT NULL)"
        )
        for table in sorted(_model_tables() & existing):
            for event in ("INSERT", "UPDATE", "DELETE"):
                # A trigger's body cannot take bound parameters; `table` is a model's db_table
                # that sqlite_master also lists, never text from a request.
                cursor.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER}{table}_{event.lower()}" '  # noqa: S608 - table names from model metadata (see above)
                    f'AFTER {event} ON "{table}" '
                    f"BEGIN INSERT INTO {SQLITE_TOKENS} (name, token) VALUES ('{table}', random()) "
                    f"ON CONFLICT (name) DO UPDATE SET token = excluded.token; END"
                )
        if ENTRY_TABLE in existing:
            _install_sqlite_entry_sums(cursor)


def _entry_terms(row):
    """SQL for one entry's (id, object, product) as entry_sums adds them up."""
    obj = f"CAST({row}.object_id AS INTEGER)"
    return f"{row}.id", obj, f"({row}.id % {ENTRY_PRIME}) * ({obj} % {ENTRY_PRIME})"


def _install_sqlite_entry_sums(cursor):
    """Triggers keep the sums in the writer's own transaction (a rolled-back write takes its
    change to them back too). Made afresh, with the sums counted from the entries, whenever
    the triggers are missing (a new database; a migration that remade the entries' table)."""
    if _entry_sums_kept(cursor):
        return
    columns = "content_type_id INTEGER PRIMARY KEY, entries, ids, objects, products"
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {SQLITE_ENTRY_SUMS} ({columns})")

    def change(row, sign):
        return (
            f"INSERT INTO {SQLITE_ENTRY_SUMS} VALUES ({row}.content_type_id, {sign}1, "  # noqa: S608 - constant names and SQL made here
            + ", ".join(f"{sign}{term}" for term in _entry_terms(row))
            + ") ON CONFLICT (content_type_id) DO UPDATE SET "
            "entries = entries + excluded.entries, ids = ids + excluded.ids, "
            "objects = objects + excluded.objects, products = products + excluded.products;"
        )

    bodies = {
        "insert": change("NEW", ""),
        "delete": change("OLD", "-"),
        "update": change("OLD", "-") + change("NEW", ""),
    }
    for event, body in bodies.items():
        name = f"{SQLITE_ENTRY_SUMS}_{event}"
        # Constant names and SQL made here only: a trigger's body takes no bound parameters.
        cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        cursor.execute(
            f'CREATE TRIGGER "{name}" AFTER {event.upper()} ON "{ENTRY_TABLE}" BEGIN {body} END'
        )
    terms = ", ".join(f"sum({term})" for term in _entry_terms(ENTRY_TABLE))
    cursor.execute(f"DELETE FROM {SQLITE_ENTRY_SUMS}")  # noqa: S608 - our own table
    cursor.execute(
        f"INSERT INTO {SQLITE_ENTRY_SUMS} SELECT content_type_id, count(*), {terms} "  # noqa: S608 - constant names and SQL made here
        f"FROM {ENTRY_TABLE} GROUP BY content_type_id"
    )


def _entry_sums_kept(cursor):
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
        [f"{SQLITE_ENTRY_SUMS}_%"],
    )
    return cursor.fetchone()[0] == 3


def entry_sums(connection, content_types):
    """(count, sum of ids, sum of objects, sum of their products modulo ENTRY_PRIME) over the
    index entries of `content_types`, in one read; None where no triggers keep them (only
    SQLite's index lives in Wagtail's entries table)."""
    if connection.vendor != "sqlite":
        return None
    marks = ", ".join(["%s"] * len(content_types))
    with connection.cursor() as cursor:
        if not _entry_sums_kept(cursor):
            return None
        cursor.execute(
            "SELECT coalesce(sum(entries), 0), coalesce(sum(ids), 0), "  # noqa: S608 - our own table; the content types are bound
            "coalesce(sum(objects), 0), coalesce(sum(products), 0) "
            f"FROM {SQLITE_ENTRY_SUMS} WHERE content_type_id IN ({marks})",
            list(content_types),
        )
        return tuple(cursor.fetchone())


def _sqlite_watched(connection):
    """(every table, the tables with change triggers), read again when the schema changes."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA schema_version")
        version = cursor.fetchone()[0]
        name = connection.settings_dict["NAME"]
        held = _sqlite_tables.get(name)
        if held is None or held[0] != version:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = frozenset(row[0] for row in cursor.fetchall())
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE %s",
                [TRIGGER + "%"],
            )
            held = _sqlite_tables[name] = (
                version,
                tables,
                frozenset(row[0] for row in cursor.fetchall()),
            )
    return held[1:]


def _sqlite_stamp(connection, tables, held):
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(
            f"SELECT name, token FROM {SQLITE_TOKENS} WHERE name IN ({marks})",  # noqa: S608 - our own table's name; the names are bound parameters
            sorted(tables),
        )
        tokens = tuple(sorted(cursor.fetchall()))
    return tokens, held == tokens


# PostgreSQL: an append-only log of (transaction, table), read against snapshots.


def _install_postgres(connection):
    with connection.cursor() as cursor:
        # Not models: flushing the test database must not empty the log.
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {PG_LOG} "
            "(xid xid8 NOT NULL DEFAULT pg_current_xact_id(), "
            "table_name text NOT NULL, PRIMARY KEY (xid, table_name))"
        )
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {PG_HORIZON} "
            "(taken_at timestamptz NOT NULL DEFAULT now(), oldest xid8 NOT NULL)"
        )
        cursor.execute(
            "CREATE OR REPLACE FUNCTION search_change_record() RETURNS trigger "  # noqa: S608 - PG_LOG is our own constant table name
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO {PG_LOG} (table_name) VALUES (TG_TABLE_NAME) ON CONFLICT DO NOTHING; "
            "RETURN NULL; END $$"
        )
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        existing = {row[0] for row in cursor.fetchall()}
        for table in sorted(_model_tables() & existing):
            # DDL takes no bound parameters; `table` is a model's db_table that pg_tables lists.
            cursor.execute(
                f'CREATE OR REPLACE TRIGGER "{TRIGGER}{table}" '
                "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION search_change_record()'
            )


def _postgres_watched(connection, names):
    """(those of `names` that are tables, those with change triggers)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, EXISTS (SELECT 1 FROM pg_trigger t "
            "WHERE t.tgrelid = c.oid AND t.tgname = %s || c.relname) "
            "FROM pg_class c WHERE c.relname = ANY(%s) AND c.relkind IN ('r', 'p') "
            "AND c.relnamespace = current_schema()::regnamespace",
            [TRIGGER, sorted(names)],
        )
        rows = cursor.fetchall()
    return {name for name, _ in rows}, {name for name, watched in rows if watched}


def _postgres_stamp(connection, tables, held):
    sql = "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NOT NULL"
    params = []
    if held is not None:
        sql += (
            f", EXISTS (SELECT 1 FROM {PG_LOG} WHERE xid >= pg_snapshot_xmin(%s::pg_snapshot) "  # noqa: S608 - PG_LOG is our own constant; the values are bound parameters
            "AND table_name = ANY(%s) AND NOT pg_visible_in_snapshot(xid, %s::pg_snapshot))"
        )
        params = [held, sorted(tables), held]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        snapshot, writing, *changed = cursor.fetchone()
    if writing:
        return None, False  # this transaction's own writes may yet roll back
    _prune(connection)
    return snapshot, held is not None and not changed[0]


def _prune(connection):
    """Now and then, drop log rows older than a horizon taken more than 6 x MAX_AGE ago: every
    kept array's snapshot is younger, so none of them can need those rows."""
    name = connection.settings_dict["NAME"]
    now = time.monotonic()
    with _lock:
        if now - _pg_pruned.get(name, 0) < PG_PRUNE_EVERY or connection.in_atomic_block:
            return
        _pg_pruned[name] = now
    age = timedelta(seconds=6 * MAX_AGE)
    # PG_LOG and PG_HORIZON are our own constant table names; the age is a bound parameter.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {PG_LOG} WHERE ctid IN (SELECT ctid FROM {PG_LOG} WHERE xid < "  # noqa: S608 - see above
            f"(SELECT max(oldest) FROM {PG_HORIZON} WHERE taken_at < now() - %s) "
            "FOR UPDATE SKIP LOCKED)",
            [age],
        )
        cursor.execute(
            f"INSERT INTO {PG_HORIZON} (oldest) VALUES (pg_snapshot_xmin(pg_current_snapshot()))"  # noqa: S608 - see above
        )
        cursor.execute(
            f"DELETE FROM {PG_HORIZON} WHERE taken_at < now() - 2 * %s AND taken_at < "  # noqa: S608 - see above
            f"(SELECT max(taken_at) FROM {PG_HORIZON} WHERE taken_at < now() - %s)",
            [age, age],
        )
