"""The header navigation is cached (archive.context_processors) but never stale after an edit
in the same process: publishing and unpublishing clear it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import CollectionPage, HomePage


@pytest.fixture
def home():
    return HomePage.objects.get()


def _add_collection(home, title):
    collection = CollectionPage(title=title, slug=title.lower().replace(" ", "-"))
    home.add_child(instance=collection)
    collection.save_revision().publish()
    return collection


@pytest.mark.django_db
def test_navigation_is_queried_once_then_cached(client, home):
    client.get("/")
    with CaptureQueriesContext(connection) as first:
        client.get("/stories/")
    with CaptureQueriesContext(connection) as second:
        client.get("/stories/")
    assert len(second.captured_queries) <= len(first.captured_queries)
    assert not any("archive_collectionpage" in q["sql"] for q in second.captured_queries)


@pytest.mark.django_db
def test_a_new_collection_appears_in_the_navigation_at_once(client, home):
    client.get("/")  # fills the cache
    collection = _add_collection(home, "Voices from the ferry")
    assert collection.url in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unpublished_collection_leaves_the_navigation_at_once(client, home):
    collection = _add_collection(home, "Voices from the ferry")
    assert collection.url in client.get("/").content.decode()
    collection.unpublish()
    assert collection.url not in client.get("/").content.decode()
