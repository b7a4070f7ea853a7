"""PostgreSQL full-text search as Wagtail's backend does it, with its planner statistics kept
current after bulk indexing, as on SQLite: the expression indexes of search's migration 0004
are only chosen once ANALYZE has seen the new entries."""

from modelsearch.backends.database.postgres import postgres as upstream


class PostgresIndex(upstream.PostgresIndex):
    def analyze(self):
        table = upstream.IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


class PostgresSearchBackend(upstream.PostgresSearchBackend):
    index_class = PostgresIndex


SearchBackend = PostgresSearchBackend
