"""Public search, run on every backend by the `search_backend` fixture
(tests/search/conftest.py)."""

import pytest
from django.urls import reverse
from wagtail.search.backends import get_search_backend

from archive.models import Dimension, Theme
from search import services
from search.models import Passage

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def archive(refresh):
    bus = consented_story(
        "Told to go home at the bus stop",
        borough="wirral",
        kind="vox-pop",
        summary="A woman on the bus shouted at me.",
    )
    police = consented_story(
        "Stopped by the police again",
        borough="sefton",
        kind="oral-history",
        summary="Being stopped and searched on the way home from college.",
    )
    school = consented_story(
        "The exclusion letter",
        borough="knowsley",
        kind="oral-history",
        summary="My son was excluded from school.",
        language="pl",
    )
    add_passage(
        police,
        "The police stopped me three times that month. Nobody explained why.",
        start=95,
        end=125,
    )
    add_passage(
        school,
        "Nobody at the council answered, so we stopped trusting them at all.",
        start=30,
        end=58,
        has_captions=False,
    )
    mistrust = Theme.objects.get(slug="mistrust")
    passage = Passage.objects.get(story=school)
    passage.themes.add(mistrust)
    passage.dimensions.add(Dimension.objects.get(slug="institutional"))
    refresh()
    return {"bus": bus, "police": police, "school": school}


def found(params, user=None):
    outcome = services.search(params, user)
    assert not outcome.unavailable
    return [hit.story.title for hit in outcome.page.object_list]


def test_finds_a_story_by_a_word_of_its_title(archive):
    assert found({"q": "exclusion"}) == ["The exclusion letter"]


def test_finds_a_story_by_its_summary(archive):
    assert "Told to go home at the bus stop" in found({"q": "shouted"})


def test_stemming_policing_finds_police(archive):
    assert "Stopped by the police again" in found({"q": "policing"})


def test_every_word_must_match_when_some_story_has_them_all(archive):
    assert found({"q": "police month"}) == ["Stopped by the police again"]


def test_any_word_matches_when_no_story_has_them_all(archive):
    outcome = services.search({"q": "exclusion shouted"})
    assert outcome.any_word
    assert {h.story.title for h in outcome.page.object_list} == {
        "The exclusion letter",
        "Told to go home at the bus stop",
    }


def test_a_story_found_only_by_its_passage_carries_the_passage(archive):
    outcome = services.search({"q": "explained"})
    (hit,) = outcome.page.object_list
    assert hit.story.title == "Stopped by the police again"
    assert [p.timestamp for p in hit.passages] == ["01:35"]


def test_snippet_highlights_the_matching_words(archive):
    (hit,) = services.search({"q": "explained"}).page.object_list
    assert "<mark>explained</mark>" in str(hit.passages[0].snippet)


def test_results_link_to_the_story_at_the_passage_time(client, archive):
    response = client.get(reverse("search:search"), {"q": "explained"})
    assert response.status_code == 200
    assert f"{archive['police'].url}#t=01:35" in response.content.decode()


def test_filter_by_borough(archive):
    assert found({"q": "stopped", "borough": "sefton"}) == ["Stopped by the police again"]


def test_filter_by_kind(archive):
    assert found({"q": "", "kind": "vox-pop"}) == ["Told to go home at the bus stop"]


def test_filter_by_language(archive):
    assert found({"language": "pl"}) == ["The exclusion letter"]


def test_filter_by_confirmed_key_issue_of_a_passage(archive):
    assert found({"q": "stopped", "key_issue": "mistrust"}) == ["The exclusion letter"]


def test_filter_by_confirmed_dimension(archive):
    assert found({"dimension": "institutional"}) == ["The exclusion letter"]


def test_filter_by_has_captions(archive):
    assert found({"q": "stopped", "captions": "1"}) == ["Stopped by the police again"]


def test_facet_counts_cover_the_matched_stories(archive):
    facets = services.search({"q": "nobody"}).facets
    assert {value for value, _label, _n in facets["borough"]} == {"sefton", "knowsley"}
    assert ("mistrust", "Mistrust", 1) in facets["key_issue"]


def test_total_and_facets_count_every_match_beyond_the_listed_ones(client, refresh, monkeypatch):
    """The list holds the CAP most relevant stories; the total and the facet counts cover
    every story that matches, in every borough (more than an engine's default ten buckets)."""
    for n in range(12):
        story = consented_story(f"Story {n}", borough=["wirral", "sefton", "halton"][n % 3])
        add_passage(story, f"The caretaker at the community centre locked us out, time {n}.")
    refresh()
    monkeypatch.setattr(services, "CAP", 5)
    outcome = services.search({"q": "caretaker"})
    assert outcome.total == 12 and outcome.capped
    assert outcome.page.paginator.count == 5
    assert sorted(n for _value, _label, n in outcome.facets["borough"]) == [4, 4, 4]
    page = client.get(reverse("search:search"), {"q": "caretaker"}).content.decode()
    assert "12 stories" in page and "The 5 most relevant are listed" in page


def test_counts_and_facets_agree_however_they_are_asked(refresh):
    """The backends answer a page of hits, the total and several facets from as few requests
    as they can; the answers must be the same as asking each on its own."""
    boroughs = ["wirral", "sefton", "halton", "knowsley", "liverpool", "st-helens"]
    for n in range(13):
        story = consented_story(
            f"Bus story {n}", borough=boroughs[n % 6], kind=["vox-pop", "oral-history"][n % 2]
        )
        add_passage(story, f"The bus driver drove past the stop, every time, number {n}.")
    refresh()
    results = Passage.objects.filter(allow_show=True).search("driver")
    assert len(list(results[:5])) == 5
    assert results.count() == 13 and results[5:].count() == 8 and results[:5].count() == 5
    by_borough = results.facet("borough_id")
    assert (
        sorted(by_borough.values()) == [2, 2, 2, 2, 2, 3]
        and sum(results.facet("kind").values()) == 13
    )
    assert (
        len(results.facet("story_id")) == 13 and sum(results.facet("has_captions").values()) == 13
    )
    fresh = Passage.objects.filter(allow_show=True).search("driver")
    assert fresh.facet("kind") == results.facet("kind") and fresh.count() == 13
    together = Passage.objects.filter(allow_show=True).search("driver")
    facets = {
        name: dict(counts)
        for name, counts in together.facets("borough_id", "kind", "has_captions").items()
    }
    assert facets == {
        "borough_id": dict(by_borough),
        "kind": dict(results.facet("kind")),
        "has_captions": dict(results.facet("has_captions")),
    }
    assert together.count() == 13 and together[5:].count() == 8


def test_nothing_found_shows_what_to_try(client, archive):
    response = client.get(reverse("search:search"), {"q": "zebra"})
    assert response.status_code == 200
    assert "No stories found" in response.content.decode()
    assert "check the spelling" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "((",
        "AND",
        "NOT",
        "OR OR",
        "*",
        "title:",
        "a\x00b",
        "-",
        "NEAR(",
        "🙂",
        "<script>",
        "x" * 5000,
        "\\",
        "{title}:x",
        '"unclosed phrase',
        "%",
        "^",
        "@@",
    ],
)
def test_no_query_string_produces_an_error(client, archive, query):
    response = client.get(reverse("search:search"), {"q": query, "page": "x", "borough": "' OR 1"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</header>")[-1].replace(
        "&lt;script&gt;", ""
    )


def test_story_without_consent_is_not_indexed(refresh):
    from tests.factories import make_story

    make_story(title="Unconsented words about tramlines", consent=False)
    refresh()
    assert found({"q": "tramlines"}) == []
    assert list(get_search_backend().search("tramlines", Passage.objects.all())) == []


def test_unpublished_story_leaves_the_index(archive, refresh):
    archive["bus"].unpublish()
    refresh()
    assert found({"q": "shouted"}) == []


def test_withdrawal_removes_story_and_passages_from_every_index(archive, refresh):
    from consent.services import Scope
    from consent.withdrawal import registered_steps

    police = archive["police"]
    scope = Scope(kind="full", story_id=police.pk, consent_record_id=police.consent.pk)
    for step in registered_steps():
        if step.order < 30:  # unpublish, then every index: what runs before the confirmation
            step.run(police, scope)
    get_search_backend().refresh_indexes()
    assert list(get_search_backend().search("explained", Passage.objects.all())) == []
    assert "Stopped by the police again" not in [
        p.title
        for p in get_search_backend().search("police", type(archive["police"]).objects.all())
    ]


def test_archive_only_consent_keeps_a_story_out_of_results(refresh):
    consented_story(
        "Kept for research only", summary="Quiet words about lanterns.", uses=("training",)
    )
    refresh()
    assert found({"q": "lanterns"}) == []


def test_passages_hold_only_redacted_text(archive, refresh):
    passage = add_passage(archive["bus"], "My name is [redacted] and I live near the park.")
    refresh()
    assert found({"q": "park"}) == ["Told to go home at the bus stop"]
    assert "[redacted]" in passage.text


def test_pages_of_results_keep_the_query(client, refresh):
    for n in range(12):
        consented_story(f"Marmalade story {n}", summary="Marmalade on toast.")
    refresh()
    response = client.get(reverse("search:search"), {"q": "marmalade", "borough": "liverpool"})
    body = response.content.decode()
    assert "12 stories" in body
    assert "q=marmalade&amp;borough=liverpool&amp;page=2" in body
