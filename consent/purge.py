"""After a withdrawal, the database files forget the story's words too (issue 10, point 2).

Deleting a row does not remove its bytes from disk:
- SQLite keeps them in the free space of pages and in free pages, and its write-ahead log
  holds every version of every page written since the last checkpoint. `secure_delete` (set
  on every connection in settings) zeroes deleted rows and freed pages as they are freed; a
  TRUNCATE checkpoint then copies the zeroed pages into the database file and empties the log.
  FTS5 keeps the terms of deleted documents in older segments until they are merged: the
  search app's own purge merges them before this one runs.
- PostgreSQL keeps deleted rows as dead tuples; a plain VACUUM prunes them but leaves their
  bytes in the page's free space whenever no live tuple is moved over them (measured: the last
  row written to a page survives VACUUM byte for byte, in the table and in its index), and a
  GIN index keeps its keys for good. VACUUM FULL writes the table, its TOAST table and every
  index anew and empties the old files, so it is run on each table the withdrawal wrote to.

A withdrawal notes the tables it writes to (note_writes, its first step); its last step queues
consent.tasks.purge_withdrawal, which runs every registered purge in the worker and records
on the Withdrawal when the story was purged, for editors to see."""

import logging
import re
import time

from django.db import connections
from django.utils import timezone

from .models import Withdrawal
from .records import audit
from .withdrawal import registered_purges

logger = logging.getLogger(__name__)

# A statement that leaves an old row version behind: Django's DELETE and UPDATE.
WRITE = re.compile(r'^\s*(?:DELETE\s+FROM|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)
# Tables written by triggers when another is written (the search app's search_document).
_written_with = {}
CHECKPOINT_TRIES = 20
VACUUM_MEMORY = "256MB"
# How long the purge waits for older snapshots to end before failing (and being retried).
SNAPSHOT_WAIT = 120


def written_with(table, *others):
    """Declare that writing `table` also writes `others` (a trigger does): they are purged too."""
    _written_with.setdefault(table, set()).update(others)


class WriteLog:
    """An execute wrapper that notes which tables DELETE and UPDATE statements write to."""

    def __init__(self):
        self.tables = set()

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


def start_noting(using="default"):
    # A withdrawal that fails part-way leaves its log in place; the retry replaces it.
    wrappers = connections[using].execute_wrappers
    wrappers[:] = [w for w in wrappers if not isinstance(w, WriteLog)]  # one at a time
    wrappers.append(WriteLog())


def stop_noting(using="default"):
    """The tables written since start_noting, with those their triggers write."""
    wrappers = connections[using].execute_wrappers
    tables = set()
    for wrapper in [w for w in wrappers if isinstance(w, WriteLog)]:
        tables |= wrapper.tables
        wrappers.remove(wrapper)
    for table in list(tables):
        tables |= _written_with.get(table, set())
    return sorted(tables)


def purge_database_files(tables, using="default"):
    """Leave no byte of the deleted rows in the database's files. Not inside a transaction:
    neither a checkpoint nor VACUUM can run in one."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise RuntimeError("the database purge must run outside a transaction")
    if connection.vendor == "sqlite":
        checkpoint(connection)
    elif connection.vendor == "postgresql":
        vacuum_full(connection, tables)


def checkpoint(connection):
    """Copy every page of the log into the database file and truncate the log to nothing.
    Readers in other processes can hold it back for a moment: try again, then give up (the
    purge fails and is retried)."""
    with connection.cursor() as cursor:
        for _ in range(CHECKPOINT_TRIES):
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log, _done = cursor.fetchone()
            if not busy:
                return
            time.sleep(0.5)
    raise RuntimeError("the write-ahead log is in use: the checkpoint will be tried again")


def vacuum_full(connection, tables):
    existing = set(connection.introspection.table_names())
    wait_for_older_snapshots(connection)
    with connection.cursor() as cursor:
        # Rebuilding the GIN indexes of the search tables is most of the time; more memory
        # than the default 64 MB lets each be built in one pass.
        cursor.execute(f"SET maintenance_work_mem TO '{VACUUM_MEMORY}'")
        try:
            for table in sorted(set(tables) & existing):
                cursor.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")
        finally:
            cursor.execute("RESET maintenance_work_mem")


def wait_for_older_snapshots(connection):
    """VACUUM FULL copies a deleted row that some other session's snapshot may still see (a
    report's long query, autovacuum's ANALYZE): wait until every session on this database
    that began before now has finished, so the withdrawal's rows are gone for everyone.
    Past SNAPSHOT_WAIT seconds the purge fails and is retried later (run_purges)."""
    with connection.cursor() as cursor:
        # An id newer than the withdrawal's own transactions, which have committed.
        cursor.execute("SELECT mod(txid_current(), 4294967296)")
        now = cursor.fetchone()[0]
        waited = 0.0
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL "
                "AND age(backend_xmin) > age(%s::text::xid)",
                [now],
            )
            if not cursor.fetchone()[0]:
                return
            if waited >= SNAPSHOT_WAIT:
                raise RuntimeError(
                    "another session still sees the withdrawn rows: the purge will be tried again"
                )
            time.sleep(0.5)
            waited += 0.5


def run_purges(withdrawal, tables):
    """Run every registered purge for a finished withdrawal, then record when it was done
    (shown to editors beside the withdrawal). A failure is recorded and raised: the task fails
    and `manage.py lapse_expired_consent` queues it again
    (consent.tasks.requeue_unpurged)."""
    started = time.perf_counter()
    for purge in registered_purges():
        try:
            purge.run(tables)
        except Exception:
            logger.exception("Withdrawal %s: purge %r failed", withdrawal.pk, purge.name)
            audit(
                withdrawal.consent_record_id,
                f"purge: {purge.name}",
                withdrawal=withdrawal,
                outcome="failed",
                actor_label="background task",
                seconds=time.perf_counter() - started,
            )
            raise
    seconds = time.perf_counter() - started
    withdrawal.purged_at = timezone.now()
    Withdrawal.objects.filter(pk=withdrawal.pk).update(purged_at=withdrawal.purged_at)
    audit(
        withdrawal.consent_record_id,
        "purged from database files and search indexes",
        withdrawal=withdrawal,
        actor_label="background task",
        seconds=seconds,
    )
    return seconds
