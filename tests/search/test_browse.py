"""Browse with facets (issue 15): several facets at once, each option counted over the
stories the other choices leave, only stories the consent gate shows the public, and an
address that can be shared."""

import pytest
from django.http import QueryDict

from consent.models import ConsentRecord, ConsentStatus
from search import browse
from tests.factories import make_story
from tests.search.helpers import add_passage

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    made = {
        "bus": make_story(title="Bus", borough="wirral", kind="oral-history", themes=["fear"]),
        "ferry": make_story(
            title="Ferry", borough="wirral", kind="vox-pop", themes=["fear"], warns_violence=True
        ),
        "shop": make_story(title="Shop", borough="halton", kind="oral-history", language="fr"),
        # Never counted nor listed: a draft, and a story whose consent was withdrawn.
        "draft": make_story(title="Draft", borough="wirral", kind="oral-history", live=False),
        "gone": make_story(title="Gone", borough="wirral", kind="oral-history", themes=["fear"]),
    }
    ConsentRecord.objects.filter(story=made["gone"]).update(status=ConsentStatus.WITHDRAWN)
    add_passage(made["shop"], "Words with captions.")
    return made


def counts(found, facet):
    return {value: n for value, _label, n in found.facets[facet]}


def titles(found):
    from archive.models import StoryPage

    return sorted(StoryPage.objects.filter(pk__in=found.story_ids).values_list("title", flat=True))


def query(text):
    return QueryDict(text)


def test_with_nothing_chosen_every_shown_story_is_counted(stories):
    found = browse.browse(query(""), None)
    assert titles(found) == ["Bus", "Ferry", "Shop"]
    assert counts(found, "borough") == {"wirral": 2, "halton": 1}
    assert counts(found, "kind") == {"oral-history": 2, "vox-pop": 1}
    assert counts(found, "theme")["fear"] == 2
    assert counts(found, "language") == {"en": 2, "fr": 1}
    assert counts(found, "captions") == {"1": 1}
    assert counts(found, "warning") == {
        "racist-language": 0,
        "violence": 1,
        "self-harm": 0,
        "other": 0,
        "none": 2,
    }


def test_each_facet_is_counted_over_what_the_other_choices_leave(stories):
    found = browse.browse(query("borough=wirral&kind=oral-history"), None)
    assert titles(found) == ["Bus"]
    # Boroughs counted among oral histories; kinds among Wirral's stories.
    assert counts(found, "borough") == {"wirral": 1, "halton": 1}
    assert counts(found, "kind") == {"oral-history": 1, "vox-pop": 1}
    assert counts(found, "warning")["none"] == 1


def test_values_of_one_facet_are_alternatives(stories):
    found = browse.browse(query("borough=wirral&borough=halton&warning=none"), None)
    assert titles(found) == ["Bus", "Shop"]
    assert counts(found, "borough") == {"wirral": 1, "halton": 1}
    assert titles(browse.browse(query("captions=1"), None)) == ["Shop"]
    assert titles(browse.browse(query("theme=fear&warning=violence"), None)) == ["Ferry"]


def test_a_hidden_warning_is_counted_as_hidden_not_listed(stories):
    found = browse.browse(query("borough=wirral"), None, hide_warned=True)
    assert titles(found) == ["Bus"] and found.hidden_warned == 1
    assert counts(found, "kind") == {"oral-history": 1}


def test_the_page_lists_the_choices_with_counts_and_keeps_them_in_its_links(client, stories):
    for number in range(30):  # a second page, whose link must keep the filters
        make_story(title=f"More {number}", borough="halton", kind="oral-history")
    html = client.get("/stories/?borough=halton&kind=oral-history").content.decode()
    assert "31 stories" in html
    assert 'name="borough" type="checkbox" value="halton" checked' in html
    assert 'name="kind" type="checkbox" value="oral-history" checked' in html
    assert "Halton (31)" in html and "Wirral (1)" in html  # Wirral's oral histories
    assert 'value="vox-pop"' not in html  # no vox pop from Halton: nothing to choose
    assert 'href="?borough=halton&amp;kind=oral-history&amp;page=2"' in html
    assert "Draft" not in html and "Gone" not in html
    # The same address gives the same page: it can be shared.
    assert client.get("/stories/?kind=oral-history&borough=halton").status_code == 200
    assert browse.chosen_from(query("borough=halton&kind=oral-history")) == {
        **{name: [] for name in browse.FACETS},
        "borough": ["halton"],
        "kind": ["oral-history"],
    }


def test_nonsense_in_the_address_is_ignored(client, stories):
    response = client.get("/stories/?borough=nowhere&kind=%00&theme=" + "x" * 500)
    assert response.status_code == 200
    assert "No story has all of these." in response.content.decode()
