"""Search's own withdrawal step (search.withdrawal): the story page, its recordings and its
passages leave every index through the one removal path. An engine that is down gets the
removal queued, and a later retry applies it: nothing is lost. The down engine is a real client
talking to a closed port, as in test_indexing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.search.backends import get_search_backend

from archive.models import StoryPage
from config.settings.base import search_backends
from consent.models import ConsentRecord
from consent.withdrawal import registered_steps
from search.indexing import apply_pending, prepare_indexes
from search.models import IndexAction, Passage, PendingIndexUpdate
from search.purge import expunge_deleted
from search.withdrawal import STEP, remove_from_search_indexes

from .helpers import add_passage, consented_story, scope_of
from .test_indexing import closed_port

pytestmark = pytest.mark.django_db

WORDS = "The kestrel hovered over the ring road every morning."


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def passages_found(name="default"):
    backend = get_search_backend(name)
    backend.refresh_indexes()
    return [p.pk for p in backend.search("kestrel", Passage.objects.all())]


def stories_found(name="default"):
    backend = get_search_backend(name)
    backend.refresh_indexes()
    return [s.pk for s in backend.search("kestrels", StoryPage.objects.all())]


def engine_holds(word, model):
    """Documents in the engine's index for `model` that hold `word`, whether or not their rows
    are still in the database (a search through Wagtail leaves out deleted rows)."""
    backend = get_search_backend("engine")
    backend.refresh_indexes()
    index = backend.get_index_for_model(model).name
    found = backend.es.count(index=index, body={"query": {"query_string": {"query": word}}})
    return found["count"]


def waiting(model, pk, backend="engine"):
    return PendingIndexUpdate.objects.filter(
        backend=backend,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(pk),
        action=IndexAction.DELETE,
    )


def test_the_step_is_registered_from_search(search_backend):
    steps = {step.name: step for step in registered_steps()}
    assert STEP in steps
    assert any(step.run is remove_from_search_indexes for step in steps.values())
    assert {s.order for s in registered_steps() if s.run is remove_from_search_indexes} <= {20, 21}


def test_a_full_withdrawal_empties_every_index_at_once_when_all_are_up(search_backend, refresh):
    story = consented_story("Kestrels over the ring road", summary="Words about kestrels.")
    passage = add_passage(story, WORDS)
    refresh()
    assert passages_found() == [passage.pk] and stories_found() == [story.pk]
    remove_from_search_indexes(story, scope_of(story, "full"))
    assert passages_found() == [] and stories_found() == []
    assert not Passage.objects.filter(story=story).exists()  # copies of the transcript
    assert not PendingIndexUpdate.objects.exists()  # nothing had to wait


def test_running_it_again_is_harmless(search_backend, refresh):
    """Until merge consent/steps.py removes the page and recordings too, and an interrupted
    withdrawal is run again from the start: a second removal changes nothing."""
    story = consented_story("Kestrels twice", summary="Words about kestrels.")
    add_passage(story, WORDS)
    refresh()
    scope = scope_of(story, "full")
    remove_from_search_indexes(story, scope)
    remove_from_search_indexes(story, scope)
    remove_from_search_indexes(None, scope)  # re-run after the page was deleted
    refresh()
    assert passages_found() == [] and stories_found() == []


def test_expiry_takes_the_story_and_its_passages_out_of_every_index(search_backend, refresh):
    story = consented_story("Kestrels, lapsed", summary="Words about kestrels.")
    passage = add_passage(story, WORDS)
    refresh()
    # As consent lapsing does: the record first (without its signals), then the steps.
    ConsentRecord.objects.filter(pk=story.consent.pk).update(status="expired")
    story = StoryPage.objects.get(pk=story.pk)
    remove_from_search_indexes(story, scope_of(story, "expired"))
    refresh()
    assert passages_found() == [] and stories_found() == []
    passage.refresh_from_db()  # kept, not deleted: an expiry deletes nothing
    assert not passage.allow_show and not passage.allow_clip


def test_a_withdrawal_while_the_engine_is_down_is_queued_and_a_retry_applies_it(
    settings, engine_url, engine_prefix
):
    live = search_backends(engine_url, prefix=engine_prefix)["default"]
    down = search_backends(f"http://127.0.0.1:{closed_port()}", prefix=engine_prefix)["default"]
    settings.WAGTAILSEARCH_BACKENDS = {**search_backends(""), "engine": live}
    prepare_indexes()
    story = consented_story("Kestrels, withdrawn", summary="Words about kestrels.")
    passage = add_passage(story, WORDS)
    _applied, failed = apply_pending()
    assert failed == 0
    assert passages_found("engine") == [passage.pk] and stories_found("engine") == [story.pk]

    settings.WAGTAILSEARCH_BACKENDS = {**search_backends(""), "engine": down}
    remove_from_search_indexes(story, scope_of(story, "full"))  # does not fail
    assert passages_found() == [] and stories_found() == []  # the database backend: at once
    assert waiting(Passage, passage.pk).exists() and waiting(StoryPage, story.pk).exists()
    with pytest.raises(RuntimeError, match="still wait"):
        expunge_deleted()  # the purge after a withdrawal is tried again until they are applied

    settings.WAGTAILSEARCH_BACKENDS = {**search_backends(""), "engine": live}
    # Still in the engine until the retry: the removal waited, it was not dropped.
    assert engine_holds("kestrel", Passage) == 1
    expunge_deleted()
    assert not PendingIndexUpdate.objects.exists()
    assert engine_holds("kestrel", Passage) == 0 and engine_holds("kestrels", StoryPage) == 0
    assert passages_found("engine") == [] and stories_found("engine") == []
