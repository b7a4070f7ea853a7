"""The search app's purge after a withdrawal (consent.purge runs it, in the worker): deleted
documents stay in an index's segments until they are merged away, so merge them.

- SQLite's FTS5 index keeps the terms of a deleted document in older segments, with a delete
  marker in a newer one, until they are merged (the SQLite here, 3.40, has no FTS5
  secure-delete option, which came in 3.42): an 'optimize' merges every segment into one.
- An engine (OpenSearch, Elasticsearch) keeps a deleted document in its segment, marked
  deleted, and its source in the translog: a force-merge that expunges deleted documents,
  then a flush.
- PostgreSQL's tables are rewritten by consent's own purge (VACUUM FULL)."""

from wagtail.search.backends import get_search_backend

from . import indexing


def expunge_deleted(tables=()):
    """Apply waiting deletes first (an engine that was down has them queued), then have every
    backend merge its deleted documents away."""
    _applied, failed = indexing.apply_pending()
    if failed:
        raise RuntimeError(f"{failed} index updates still wait: the purge will be tried again")
    for name in indexing.backend_names():
        expunge = getattr(get_search_backend(name), "expunge_deleted", None)
        if expunge is not None:
            expunge()
