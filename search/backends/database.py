"""The embedded default: Wagtail's database backend for the current database, with SQLite
served by search.backends.sqlite (ranked in one statement, stemmed, OR-able) and PostgreSQL
by search.backends.postgres (statistics kept current).

Chosen by WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends.database"."""

from django.db import connection
from modelsearch.backends import database as upstream

from .results import FacetsMixin


def SearchBackend(params):
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            from .sqlite import SQLiteSearchBackend

            return SQLiteSearchBackend(params)
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    backend = upstream.SearchBackend(params)  # MySQL, or SQLite without FTS5
    backend.results_class = type(
        backend.results_class.__name__, (FacetsMixin, backend.results_class), {}
    )
    return backend
