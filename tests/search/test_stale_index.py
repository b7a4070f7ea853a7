"""The public search asks the index for what its consent fields say may be shown (live
stories, passages with allow_show) rather than sending the gate's list of stories with each
search (issue 13, part 3), and checks every story the index names against the gate. So an
index that has not yet heard of a withdrawal or a narrowing (its queued update not yet run)
never puts the story on the page, in the total or in the facets; and once the update runs,
the indexed consent field itself follows."""

import pytest
from wagtail.search.backends import get_search_backend

from consent.models import ConsentRecord, ConsentStatus
from search import services
from search.models import Passage

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db

WORDS = "The lollipop lady waved every car through but stopped ours at the crossing."


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def two_stories(refresh):
    kept = consented_story("Crossing patrol", borough="wirral")
    gone = consented_story("The school crossing", borough="sefton")
    add_passage(kept, WORDS)
    add_passage(gone, WORDS)
    refresh()
    return kept, gone


def indexed_passages(story):
    """The story's passages the index still finds as allowed to be shown: proof that the
    index is stale (the database's rows are not consulted for allow_show here)."""
    backend = get_search_backend()
    backend.refresh_indexes()
    found = backend.search("lollipop", Passage.objects.filter(story=story, allow_show=True))
    return [p.pk for p in found]


def change_consent_without_updates(story, **fields):
    """The consent record changed with no signal sent: nothing is queued, nothing synced, so
    the index and the passages' own allow_show still say the story may be shown, as when
    the queued update has not run yet (the worker busy, the engine down)."""
    ConsentRecord.objects.filter(story=story).update(**fields)


def shown(outcome):
    return {hit.story_id for hit in outcome.page.object_list}


def borough_counts(outcome):
    return {value: n for value, _label, n in outcome.facets["borough"]}


def test_both_stories_are_found_before_any_change(search_backend, two_stories):
    kept, gone = two_stories
    outcome = services.search({"q": "lollipop"})
    assert shown(outcome) == {kept.pk, gone.pk}
    assert outcome.total == 2
    assert borough_counts(outcome) == {"wirral": 1, "sefton": 1}


@pytest.mark.parametrize(
    "change",
    [
        {"status": ConsentStatus.WITHDRAWN},
        # Narrowed: the website taken back, training and reports kept.
        {"use_public_website": False},
    ],
    ids=["withdrawn", "narrowed"],
)
def test_a_stale_index_never_lists_a_story_the_gate_no_longer_shows(
    search_backend, two_stories, change
):
    kept, gone = two_stories
    change_consent_without_updates(gone, **change)
    assert indexed_passages(gone), "the index should still hold the story's passage"
    outcome = services.search({"q": "lollipop"})
    assert shown(outcome) == {kept.pk}
    assert all(p.story_id == kept.pk for hit in outcome.page.object_list for p in hit.passages)
    assert outcome.total == 1
    assert borough_counts(outcome) == {"wirral": 1}
    # Browsing (no words) and a chosen filter go through the gate's list too.
    assert gone.pk not in shown(services.search({}))
    assert services.search({"q": "lollipop", "borough": "sefton"}).total == 0


def test_the_indexed_consent_field_follows_a_narrowing_once_the_update_runs(
    search_backend, two_stories, refresh
):
    kept, gone = two_stories
    record = ConsentRecord.objects.get(story=gone)
    record.use_public_website = False
    record.save()  # the normal path: the passages' allow_show and index updates are queued
    refresh()
    passage = Passage.objects.get(story=gone)
    assert not passage.allow_show
    # The index's own allow_show: the database row is set back to True, so only the index
    # can leave the passage out of a search for allow_show=True.
    Passage.objects.filter(pk=passage.pk).update(allow_show=True)
    if search_backend != "database":  # the database backend's allow_show is the row itself
        assert indexed_passages(gone) == []
    # On both, the gate still leaves the narrowed story off the page.
    assert shown(services.search({"q": "lollipop"})) == {kept.pk}


def test_a_story_saved_unchanged_leaves_its_passages_unwritten(search_backend, two_stories):
    kept, _gone = two_stories
    before = list(Passage.objects.filter(story=kept).values_list("pk", "allow_show"))
    from search.passages import sync_story_facts

    assert sync_story_facts(kept) == []  # nothing to copy, nothing to index again
    assert list(Passage.objects.filter(story=kept).values_list("pk", "allow_show")) == before
