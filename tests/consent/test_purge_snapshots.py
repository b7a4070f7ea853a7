"""PostgreSQL's VACUUM FULL keeps a deleted row that another session's snapshot may still
see, so the purge after a withdrawal first waits for every older snapshot on the database to
end (consent.purge.wait_for_older_snapshots), and fails to be retried if one outlasts it.
SQLite has no snapshots to wait for: its purge is a checkpoint."""

import pytest
from django.db import connection, connections

from consent import purge

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_purge_waits_for_a_snapshot_older_than_the_withdrawals_deletes(monkeypatch):
    if connection.vendor != "postgresql":
        assert purge.purge_database_files([]) is None  # a checkpoint, with nothing to wait for
        return
    monkeypatch.setattr(purge, "SNAPSHOT_WAIT", 1)
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:  # a long report: its snapshot sees every row as it was
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT count(*) FROM consent_consentrecord")
        with connection.cursor() as cursor:  # the withdrawal's deletes commit after it
            cursor.execute("SELECT txid_current()")
        with pytest.raises(RuntimeError, match="tried again"):
            purge.wait_for_older_snapshots(connection)
        other.rollback()  # the report ends: nothing older than the deletes is left
        purge.wait_for_older_snapshots(connection)
    finally:
        other.close()
