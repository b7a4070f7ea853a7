"""The database backend's counts and facets stay exact whatever changes the rows.

They come from arrays each process keeps between searches (search.backends.match_sets),
renewed when a table they were read from changes (search.backends.changes: tokens on SQLite,
a log read against snapshots on PostgreSQL). A search must still see every change at once:
one made without signals (QuerySet.update), one rolled back, one made by another connection,
one to the index itself. Run on SQLite and on PostgreSQL."""

import pytest
from django.db import connection, connections, transaction
from wagtail.search.backends import get_search_backend

from archive.models import Borough
from config.settings.base import search_backends
from search.backends import changes
from search.indexing import apply_pending
from search.models import Passage

from .helpers import add_passage, consented_story

# Committed writes, as a site's requests make them: arrays are never kept inside a transaction
# that has written (PostgreSQL), so a test wrapped in one would only meet the SQL.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False
    settings.WAGTAILSEARCH_BACKENDS = search_backends("")


def shown(query="kettle"):
    return get_search_backend().search(
        query, Passage.objects.filter(allow_show=True), operator="or"
    )


def passages(n, word="kettle"):
    story = consented_story("Kitchen stories", borough="wirral")
    made = [add_passage(story, f"The {word} was cold, time {i}.") for i in range(n)]
    apply_pending()
    return made


def test_counts_facets_and_pages_agree_with_each_asked_alone():
    made = passages(6)
    results = shown()
    facets = results.facets("borough_id", "kind", "has_captions")
    assert results.count() == 6 and sum(facets["borough_id"].values()) == 6
    assert facets["kind"] == shown().facet("kind") and facets["has_captions"] == {True: 6}
    assert {p.pk for p in results[:4]} | {p.pk for p in results[4:]} == {p.pk for p in made}
    assert results[2:].count() == 4


def test_a_change_made_without_signals_is_counted_at_once():
    made = passages(5)
    assert shown().count() == 5
    Passage.objects.filter(pk=made[0].pk).update(allow_show=False)  # no signal, no reindex
    sefton = Borough.objects.get(slug="sefton")
    Passage.objects.filter(pk=made[1].pk).update(borough=sefton)
    results = shown()
    assert results.count() == 4 and made[0] not in list(results[:10])
    assert results.facet("borough_id")[sefton.pk] == 1


def test_a_rolled_back_change_leaves_nothing_behind():
    passages(3)
    sefton = Borough.objects.get(slug="sefton")
    with pytest.raises(RuntimeError), transaction.atomic():
        Passage.objects.update(borough=sefton)
        assert shown().facet("borough_id") == {sefton.pk: 3}  # read inside, then undone
        raise RuntimeError
    assert sefton.pk not in shown().facet("borough_id")
    assert shown().count() == 3


def test_entries_added_to_the_index_are_found_by_the_next_search():
    passages(2)
    assert shown().count() == 2
    passages(3)
    assert shown().count() == 5 and len(list(shown()[:10])) == 5


def test_arrays_are_kept_only_for_tables_whose_changes_are_seen():
    passages(2)
    results = shown()
    assert results.count() == 2 and results.query_compiler._match_set is not None
    assert changes.tables_read(connection, 'SELECT 1 FROM "search_passage"') == {"search_passage"}
    # A table without change triggers: what reads it is answered in SQL, never kept.
    assert (
        changes.tables_read(connection, 'SELECT 1 FROM "search_passage", "django_session"') is None
    )


def test_a_write_committed_by_another_connection_is_seen_at_once():
    made = passages(4)
    assert shown().count() == 4  # the arrays are read, and kept
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(
                "UPDATE search_passage SET allow_show = %s WHERE id = %s", [False, made[0].pk]
            )
        if connection.vendor == "postgresql":  # a reader runs beside an open write
            assert shown().count() == 4  # not yet committed: not seen, nothing kept wrongly
        other.commit()
    finally:
        other.close()
    assert shown().count() == 3 and made[0] not in list(shown()[:10])


def test_public_facets_follow_a_change_made_without_signals():
    from archive.models import StoryPage
    from search import services

    made = passages(2)
    boroughs = {value: n for value, _label, n in services.search({"q": "kettle"}).facets["borough"]}
    assert boroughs == {"wirral": 1}
    sefton = Borough.objects.get(slug="sefton")
    StoryPage.objects.filter(pk=made[0].story_id).update(borough=sefton)  # no signal
    boroughs = {value: n for value, _label, n in services.search({"q": "kettle"}).facets["borough"]}
    assert boroughs == {"sefton": 1}


def test_an_entry_taken_out_of_the_index_is_gone_from_the_next_search():
    from search.indexing import remove_everywhere

    made = passages(3)
    assert shown().count() == 3  # the entries' array is read, and kept
    remove_everywhere([made[0]])  # its row still says allow_show: only the index changed
    apply_pending()
    assert shown().count() == 2 and made[0] not in list(shown()[:10])


def test_an_index_entry_that_now_names_another_row_is_read_again():
    """Entries added since the array was read are read alone (ids only grow), unless the ones
    held have changed, as when a rolled-back entry's id comes back for another row: here an
    entry is pointed at the other passage directly."""
    from wagtail.search.models import IndexEntry

    first, second = passages(2)
    Passage.objects.filter(pk=second.pk).update(text="Nothing about the stove.")
    assert {p.pk for p in shown()} == {first.pk, second.pk}  # the arrays are read, and kept
    entries = IndexEntry.objects.filter(object_id__in=[str(first.pk), str(second.pk)])
    entries.filter(object_id=str(second.pk)).delete()
    entries.filter(object_id=str(first.pk)).update(object_id=str(second.pk))
    assert [p.pk for p in shown()] == [second.pk]


def test_the_index_entries_sums_follow_every_write_and_a_rollback():
    """What lets a search after a write read only the entries added (match_sets._entry_keys):
    sums kept by triggers, equal to the entries' own after inserts, deletes, a moved entry and
    a rolled-back insert. PostgreSQL's index is its own table: nothing is kept there."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    types = [ContentType.objects.get_for_model(Passage).pk]
    if connection.vendor != "sqlite":
        assert changes.entry_sums(connection, types) is None
        return

    def counted():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), coalesce(sum(id), 0), "
                "coalesce(sum(CAST(object_id AS INTEGER)), 0), "
                "coalesce(sum((id %% 65521) * (CAST(object_id AS INTEGER) %% 65521)), 0) "
                "FROM wagtailsearch_indexentry WHERE content_type_id = %s",
                types,
            )
            return tuple(cursor.fetchone())

    first, second, third = passages(3)
    assert changes.entry_sums(connection, types) == counted() and counted()[0] == 3
    IndexEntry.objects.filter(object_id=str(first.pk)).delete()
    IndexEntry.objects.filter(object_id=str(second.pk)).update(object_id=str(first.pk))
    assert changes.entry_sums(connection, types) == counted() and counted()[0] == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        passages(2)
        assert changes.entry_sums(connection, types) == counted() and counted()[0] == 4
        raise RuntimeError
    assert changes.entry_sums(connection, types) == counted() and counted()[0] == 2


def test_the_entry_sums_are_counted_afresh_when_their_triggers_are_missing():
    """As after a migration that remakes Wagtail's entries table (its triggers go with it)."""
    from django.contrib.contenttypes.models import ContentType

    if connection.vendor != "sqlite":
        return  # entry_sums is None there (the test above)
    types = [ContentType.objects.get_for_model(Passage).pk]
    passages(2)
    with connection.cursor() as cursor:
        for event in ("insert", "update", "delete"):
            cursor.execute(f'DROP TRIGGER "{changes.SQLITE_ENTRY_SUMS}_{event}"')
        cursor.execute(f"UPDATE {changes.SQLITE_ENTRY_SUMS} SET entries = 99")  # noqa: S608 - the module's own constant
    changes.forget()
    assert changes.entry_sums(connection, types) is None  # unwatched: nothing is trusted
    changes.install_change_triggers()
    changes.forget()
    assert changes.entry_sums(connection, types)[0] == 2
    assert shown().count() == 2


def test_after_a_passage_write_a_search_reads_the_passages_stories_once():
    """The story-id facet and the story facts share one read (match_sets.foreign_keys)."""
    from django.test.utils import CaptureQueriesContext

    from search import services

    made = passages(3)
    assert services.search({"q": "kettle"}).total == 1
    Passage.objects.filter(pk=made[0].pk).update(has_captions=False)  # a raw write
    with CaptureQueriesContext(connection) as queries:
        outcome = services.search({"q": "kettle"})
    assert outcome.total == 1 and outcome.facets["captions"][0][2] == 1
    reads = [q["sql"] for q in queries if 'COALESCE("search_passage"."story_id"' in q["sql"]]
    assert len(reads) == 1, reads
