"""After a withdrawal and its purge, no deleted copy of the story is left in a search index
(issue 10, point 2). Deleting a document only marks it: an engine keeps it in its segment and
its translog until a merge and a flush, and SQLite's FTS5 keeps its terms in the index's
blocks until the segments are merged. The search app's purge (search.purge) merges them."""

from pathlib import Path

import pytest
from django.db import connection
from wagtail.search.backends import get_search_backend

from consent.withdrawal import withdraw
from search.purge import expunge_deleted

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db

CANARY = "Quillowmere"
# FTS5 and Lucene store a term after the prefix it shares with the one before, stemmed
# ("quillowmer"): this tail is in every stored copy.
CANARY_TAIL = "llowmer"


def count_in(data):
    data = bytes(data).lower()
    return data.count(CANARY.lower().encode()) + data.count(CANARY_TAIL.encode())


def engine_residue(backend):
    """(deleted documents, canary hits in the files on disk) over the backend's indexes."""
    client = backend.es
    names = [index.name for index in backend.all_indexes() if index.exists()]
    stats = client.indices.stats(index=names, metric="docs")["indices"]
    deleted = sum(index["total"]["docs"]["deleted"] for index in stats.values())
    uuids = {
        value["settings"]["index"]["uuid"]
        for value in client.indices.get_settings(index=names).values()
    }
    paths = [
        Path(data["path"])
        for node in client.nodes.stats(metric="fs")["nodes"].values()
        for data in node["fs"]["data"]
    ]
    files = [
        file
        for path in paths
        for folder in path.rglob("*")
        if folder.name in uuids
        for file in folder.rglob("*")
        if file.is_file()
    ]
    assert files, "the engine's index files were not found on this machine"
    return deleted, sum(count_in(read(file)) for file in files)


def read(file):
    try:
        return file.read_bytes()
    except FileNotFoundError:  # merged away while we looked
        return b""


def database_residue():
    """SQLite: canary hits in the FTS5 index's blocks. PostgreSQL keeps no index of its own
    beside its tables (consent's purge rewrites them, tests/consent/test_residue.py)."""
    if connection.vendor != "sqlite":
        return 0, 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT block FROM wagtailsearch_indexentry_fts_data")
        return 0, sum(count_in(block) for (block,) in cursor.fetchall() if block)


def residue(search_backend):
    if search_backend == "database":
        return database_residue()
    return engine_residue(get_search_backend())


def test_withdrawal_purge_leaves_no_deleted_copy_in_the_search_index(search_backend, refresh):
    story = consented_story(f"The {CANARY} ferry", summary=f"Words about the {CANARY} ferry.")
    add_passage(story, f"I waited at the {CANARY} stop and he shouted at me.")
    # Other stories in the index, as in an archive: their words share its segments.
    for number in range(3):
        other = consented_story(f"Another story {number}", summary="Words about the bus.")
        add_passage(other, f"Passage {number} about a queue at the post office.")
    refresh()
    assert (
        search_backend == "database" and connection.vendor != "sqlite" or residue(search_backend)[1]
    )

    withdraw(story.consent, "full")
    refresh()
    found = get_search_backend().search(CANARY, type(story).objects.all())
    assert list(found) == []  # gone from searches at once; copies may stay in the files

    expunge_deleted()
    assert residue(search_backend) == (0, 0)
