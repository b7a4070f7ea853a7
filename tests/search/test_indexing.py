"""Keeping indexes current: queued updates that survive an engine being down, replay, and
search_reconcile. The down engine is a real client talking to a closed port."""

import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.search.backends import get_search_backend

from archive.models import StoryPage
from config.settings.base import search_backends
from search.indexing import apply_pending
from search.models import PendingIndexUpdate

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket closes


@pytest.fixture
def engine_down(settings):
    down = search_backends(f"http://127.0.0.1:{closed_port()}", prefix="down_")["default"]
    settings.WAGTAILSEARCH_BACKENDS = {**search_backends(""), "engine": down}
    return settings


def test_saving_and_publishing_succeed_while_the_engine_is_down(engine_down):
    story = consented_story("Published while the engine slept", summary="Words about kites.")
    assert StoryPage.objects.get(pk=story.pk).live
    waiting = PendingIndexUpdate.objects.filter(backend="engine", object_id=str(story.pk))
    assert waiting.exists() and waiting.first().attempts >= 1
    # The database backend took its update at once.
    assert list(get_search_backend("default").search("kites", StoryPage.objects.all())) == [story]


def test_waiting_updates_are_replayed_when_the_engine_returns(
    engine_down, engine_url, engine_prefix
):
    story = consented_story("Replayed later", summary="Words about lighthouses.")
    add_passage(story, "The lighthouse keeper never asked where I was from.")
    assert PendingIndexUpdate.objects.filter(backend="engine").exists()
    live = search_backends(engine_url, prefix=engine_prefix)["default"]
    engine_down.WAGTAILSEARCH_BACKENDS = {**search_backends(""), "engine": live}
    applied, failed = apply_pending()
    assert failed == 0 and applied >= 2
    assert not PendingIndexUpdate.objects.exists()
    engine = get_search_backend("engine")
    engine.refresh_indexes()
    assert [s.pk for s in engine.search("lighthouses", StoryPage.objects.all())] == [story.pk]
    engine.delete(story)


def test_search_page_says_plainly_when_the_engine_is_down(client, settings):
    settings.WAGTAILSEARCH_BACKENDS = search_backends(f"http://127.0.0.1:{closed_port()}")
    response = client.get(reverse("search:search"), {"q": "anything"})
    assert response.status_code == 503
    assert "Search is not working at the moment" in response.content.decode()


def test_reconcile_restores_a_missing_story_and_removes_a_disallowed_one(search_backend, refresh):
    kept = consented_story("Lost from the index", summary="Words about harbours.")
    hidden = consented_story(
        "Never for the index", summary="Words about harbours too.", consent={"uses": ["training"]}
    )
    refresh()
    backend = get_search_backend()
    backend.delete(kept)
    backend.add(hidden)  # as if indexed before consent was narrowed
    backend.refresh_indexes()
    out = StringIO()
    call_command("search_reconcile", stdout=out)
    backend.refresh_indexes()
    assert [s.pk for s in backend.search("harbours", StoryPage.objects.all())] == [kept.pk]
    assert "archive.StoryPage" in out.getvalue() and "removed" in out.getvalue()


def test_reindex_goes_through_the_gate_in_chunks(search_backend, refresh):
    from search.indexing import reindex

    for n in range(3):
        consented_story(f"Chunked {n}", summary="Words about bridges.")
    consented_story("Not consented", summary="Words about bridges.", consent=False)
    counts = reindex(chunk=2)
    assert counts["archive.StoryPage"] >= 3
    get_search_backend().refresh_indexes()
    titles = {s.title for s in get_search_backend().search("bridges", StoryPage.objects.all())}
    assert titles == {"Chunked 0", "Chunked 1", "Chunked 2"}
