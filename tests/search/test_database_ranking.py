"""The database backend ranks a page of results from its full-text index alone, then checks only
the best candidates against the queryset (search.backends.candidates). A page must still be
exactly the page the full ranking gives, and the index it reads (on PostgreSQL the narrow
search_document table, kept by triggers) must follow every edit, delete and rebuild at once.
Run on SQLite and on PostgreSQL."""

import pytest
from wagtail.search.backends import get_search_backend

from archive.models import Borough
from config.settings.base import search_backends
from search.indexing import apply_pending, queue, reindex
from search.models import Passage

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False
    settings.WAGTAILSEARCH_BACKENDS = search_backends("")


def search(query, queryset=None):
    queryset = Passage.objects.filter(allow_show=True) if queryset is None else queryset
    return get_search_backend().search(query, queryset, operator="or")


def test_a_page_is_the_page_the_full_ranking_gives_ties_included():
    story = consented_story("Kitchen stories", borough="wirral")
    # 250 passages that rank the same, more than the first candidates, and three that rank
    # higher: the page must break the tie as the full ranking does (newest first), not take
    # whichever tied rows the index lists first.
    for i in range(250):
        add_passage(story, f"The kettle was cold, time {i:03}.")
    for i in range(3):
        add_passage(story, f"Kettle, kettle, kettle: the kettle again, time {i:03}.")
    apply_pending()
    full = [p.pk for p in search("kettle")]  # unsliced: ranked in one statement
    assert len(full) == 253
    for start, stop in ((0, 5), (0, 20), (5, 12), (240, 260)):
        assert [p.pk for p in search("kettle")[start:stop]] == full[start:stop]


def test_a_page_is_filled_when_the_filters_turn_away_the_best_candidates():
    wirral = consented_story("Wirral stories", borough="wirral")
    sefton = consented_story("Sefton stories", borough="sefton")
    # The 250 best matches are all in Wirral; the page asks for Sefton's.
    for i in range(250):
        add_passage(wirral, f"The kettle, the kettle, the kettle, time {i}.")
    for i in range(4):
        add_passage(sefton, f"A kettle once, time {i}.")
    apply_pending()
    in_sefton = Passage.objects.filter(allow_show=True, borough=Borough.objects.get(slug="sefton"))
    page = search("kettle", in_sefton)[:3]
    assert len(page) == 3 and {p.story_id for p in page} == {sefton.pk}
    assert search("kettle", in_sefton).count() == 4


def test_an_edited_passage_is_found_by_its_new_words_and_not_its_old_ones():
    story = consented_story("Kitchen stories", borough="wirral")
    passage = add_passage(story, "The kettle was cold.")
    apply_pending()
    passage.text = "The teapot was warm."
    passage.save()
    queue(passage)
    apply_pending()
    assert search("kettle").count() == 0 and list(search("kettle")[:10]) == []
    assert [p.pk for p in search("teapot")[:10]] == [passage.pk]


def test_a_deleted_passage_leaves_counts_and_pages_at_once():
    story = consented_story("Kitchen stories", borough="wirral")
    kept = add_passage(story, "The kettle was cold.")
    gone = add_passage(story, "The kettle was hot.")
    apply_pending()
    gone.delete()
    apply_pending()
    assert search("kettle").count() == 1
    assert [p.pk for p in search("kettle")[:10]] == [kept.pk]


def test_a_rebuilt_index_holds_what_the_database_holds_and_nothing_more():
    story = consented_story("Kitchen stories", borough="wirral")
    for i in range(3):
        add_passage(story, f"The kettle was cold, time {i}.")
    apply_pending()
    Passage.objects.filter(text__contains="time 0").delete()  # no signal reaches the index
    for index in get_search_backend().all_indexes():
        index.reset()
    assert search("kettle").count() == 0
    reindex(models=[Passage])
    assert search("kettle").count() == 2 and len(search("kettle")[:10]) == 2
