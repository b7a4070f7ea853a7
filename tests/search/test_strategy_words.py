"""Search knows the strategy's words (issue 13): stories and passages are found by the names of
their confirmed themes and dimensions and by the glossary's synonyms, on every backend (the
`search_backend` fixture); misspellings get "did you mean"; a query naming a theme or dimension
shows its page first."""

import pytest
from django.urls import reverse

from archive.models import Dimension, GlossaryTerm, Theme
from search import services, vocabulary

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db

# Words no theme, dimension or glossary term contains: what the stories say themselves.
PLAIN = "We walked to the market on a Tuesday and bought apples."


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    # A rolled-back test's glossary terms must not stay in the process's vocabulary.
    vocabulary.forget()
    yield
    vocabulary.forget()


def outcome(query):
    found = services.search({"q": query})
    assert not found.unavailable
    return found


def titles(query):
    return [hit.story.title for hit in outcome(query).page.object_list]


def passages_found(query):
    return [p.pk for hit in outcome(query).page.object_list for p in hit.passages]


@pytest.fixture
def labelled(refresh):
    """One story linked to every theme and dimension itself, one whose passage is, and one
    linked to nothing; none says any label's name."""
    themes, dimensions = Theme.objects.all(), Dimension.objects.all()
    story = consented_story("The market story", summary=PLAIN)
    story.themes.set(themes)
    story.dimensions.set(dimensions)
    story.save()  # a story's labels are kept (ParentalManyToManyField) when it is saved
    told = consented_story("The apples story", summary=PLAIN)
    passage = add_passage(told, PLAIN)
    passage.themes.set(themes)
    passage.dimensions.set(dimensions)
    consented_story("The unlabelled story", summary=PLAIN)
    refresh()
    return {"story": story, "told": told, "passage": passage}


def test_each_theme_and_dimension_finds_its_linked_story_and_passage(search_backend, labelled):
    names = [t.name for t in Theme.objects.all()] + [d.name for d in Dimension.objects.all()]
    assert len(names) >= 20
    for name in names:
        found = outcome(name)
        listed = [hit.story.title for hit in found.page.object_list]
        assert "The market story" in listed, name
        assert "The apples story" in listed, name
        assert "The unlabelled story" not in listed, name
        assert not found.any_word, name
        passages = [p.pk for hit in found.page.object_list for p in hit.passages]
        assert labelled["passage"].pk in passages, name


def test_the_key_issues_of_the_issue_are_found(search_backend, labelled):
    for query in ("mistrust", "fear", "misinformation", "institutional"):
        assert set(titles(query)) == {"The market story", "The apples story"}, query


def test_a_dimension_is_found_as_the_strategy_names_it(search_backend, labelled):
    # "Institutional racism" is the glossary's term and the dimension's name with "racism".
    assert set(titles("institutional racism")) == {"The market story", "The apples story"}


def test_a_glossary_synonym_finds_the_passage_and_story(search_backend, refresh):
    consented_story("Growing up", summary="Black, Asian and Minority Ethnic families.")
    told = consented_story("The youth club", summary=PLAIN)
    passage = add_passage(told, "As a BAME lad I was always the one they picked on.")
    refresh()
    assert set(titles("BAME")) == {"Growing up", "The youth club"}
    assert passage.pk in passages_found("BAME")
    assert set(titles("Black, Asian and Minority Ethnic")) == {"Growing up", "The youth club"}
    assert passage.pk in passages_found("black asian and minority ethnic")


def test_a_label_added_or_removed_later_reaches_the_index(search_backend, refresh):
    story = consented_story("Later", summary=PLAIN)
    told = consented_story("Told later", summary=PLAIN)
    passage = add_passage(told, PLAIN)
    refresh()
    assert titles("fear") == []
    story.themes.add(Theme.objects.get(slug="fear"))
    story.save()
    Dimension.objects.get(slug="structural").passages.add(passage)  # from the label's side
    refresh()
    assert titles("fear") == ["Later"]
    assert passage.pk in passages_found("structural")
    story.themes.clear()
    story.save()
    Dimension.objects.get(slug="structural").passages.clear()
    refresh()
    assert titles("fear") == []
    assert titles("structural") == []


def test_a_renamed_theme_is_found_by_its_new_name(search_backend, refresh):
    consented_story("Renamed", summary=PLAIN, themes=["mistrust"])
    refresh()
    theme = Theme.objects.get(slug="mistrust")
    theme.name = "Distrust"
    theme.save()
    refresh()
    assert titles("distrust") == ["Renamed"]


def test_unpublished_or_withdrawn_labelled_stories_are_never_found(
    search_backend, labelled, refresh
):
    from consent.withdrawal import Scope, registered_steps

    labelled["story"].unpublish()
    told = labelled["told"]
    scope = Scope(kind="full", story_id=told.pk, consent_record_id=told.consent.pk)
    for step in registered_steps():
        if step.order < 30:  # unpublish, then every index: what runs before the confirmation
            step.run(told, scope)
    refresh()
    for query in ("mistrust", "institutional", "BAME", "fear"):
        assert titles(query) == [], query


# --- the glossary's synonyms -----------------------------------------------------------------


def test_the_glossary_gives_bame_and_its_full_form():
    forms = vocabulary.alternatives("BAME")
    assert forms[0] == "BAME"
    assert "Black, Asian and Minority Ethnic" in forms
    assert "BAME" in " ".join(vocabulary.alternatives("Black, Asian and Minority Ethnic"))


def test_the_glossary_term_and_the_dimension_are_one_concept():
    forms = vocabulary.alternatives("institutional racism police")
    assert "Institutional police" in forms and "Institutional racism police" not in forms


def test_a_query_naming_nothing_is_searched_as_typed():
    assert vocabulary.alternatives("stopped at the bus stop") == ["stopped at the bus stop"]


def test_a_new_glossary_term_is_known_at_once():
    GlossaryTerm.objects.create(
        term="Hostile Environment",
        slug="hostile-environment",
        definition="The Hostile Environment (HE) policy.",
    )
    assert "HE" in vocabulary.alternatives("hostile environment")


# --- did you mean ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("mistrst", "mistrust"),
        ("misinfomation", "misinformation"),
        ("institutonal", "institutional"),
        ("fear of the polise mistrst", "fear of the polise mistrust"),
        ("knowsly", "knowsley"),
    ],
)
def test_did_you_mean_corrects_a_misspelt_word(typed, meant):
    assert vocabulary.did_you_mean(typed) == meant


@pytest.mark.parametrize("query", ["mistrust", "fears", "mistrusting", "BAME", "bus", "zebra"])
def test_did_you_mean_never_offers_the_query_or_a_stranger(query):
    assert vocabulary.did_you_mean(query) == ""


def test_the_page_offers_the_corrected_search_as_a_link(client, refresh):
    consented_story("Labelled", summary=PLAIN, themes=["mistrust"])
    refresh()
    page = client.get(reverse("search:search"), {"q": "mistrst"}).content.decode()
    assert 'Did you mean <a class="govuk-link" href="/search/?q=mistrust">mistrust</a>?' in page
    found = client.get(reverse("search:search"), {"q": "mistrust"}).content.decode()
    assert "Did you mean" not in found and "1 story matching" in found


def test_things_to_try_never_suggest_the_query_itself(client):
    page = client.get(reverse("search:search"), {"q": "mistrust"}).content.decode()
    assert "No stories found" in page
    try_line = next(line for line in page.splitlines() if "search for a theme" in line)
    assert "“fear”" in try_line and "“misinformation”" in try_line
    assert "mistrust" not in try_line


# --- the theme or dimension page as a first result ------------------------------------------


def test_a_query_naming_a_theme_shows_its_page_first(client, refresh):
    consented_story("Labelled", summary=PLAIN, themes=["mistrust"])
    refresh()
    page = client.get(reverse("search:search"), {"q": "mistrust"}).content.decode()
    card = page.index('href="/stories/theme/mistrust/">Mistrust</a>')
    assert "Key issue" in page[card - 300 : card]
    assert card < page.index(">Labelled</a>")


def test_a_query_naming_a_dimension_shows_its_page_even_with_no_story(client):
    page = client.get(reverse("search:search"), {"q": "institutional racism"}).content.decode()
    assert 'href="/stories/dimension/institutional/">Institutional racism</a>' in page
    assert "Dimension of racism" in page and "No stories found" in page


def test_a_query_naming_no_label_shows_no_card(client):
    page = client.get(reverse("search:search"), {"q": "BAME"}).content.decode()
    assert "/stories/theme/" not in page.split("results-heading")[-1]
    assert "/stories/dimension/" not in page.split("results-heading")[-1]


def test_a_passage_labelled_from_its_own_side_is_found(search_backend, refresh):
    told = consented_story("Told", summary=PLAIN)
    passage = add_passage(told, PLAIN)
    refresh()
    passage.themes.add(Theme.objects.get(slug="misinformation"))
    refresh()
    assert passage.pk in passages_found("misinformation")
    passage.themes.remove(Theme.objects.get(slug="misinformation"))
    refresh()
    assert titles("misinformation") == []


def test_labels_are_read_with_the_indexed_objects(django_assert_num_queries):
    from archive.models import StoryPage
    from search.models import Passage

    for index in range(3):
        story = consented_story(f"Story {index}", themes=["fear"], dimensions=["systemic"])
        add_passage(story, PLAIN).themes.add(Theme.objects.get(slug="fear"))
    stories, passages = list(StoryPage.get_indexed_objects()), list(Passage.get_indexed_objects())
    with django_assert_num_queries(0):
        names = [s.label_names() for s in stories] + [p.label_names() for p in passages]
    assert names == ["Fear Systemic"] * 3 + ["Fear"] * 3


def test_spellings_people_type_are_synonyms():
    assert "Internalised" in vocabulary.alternatives("internalized")
    assert "Liverpool City Region" in vocabulary.alternatives("LCR")


def test_the_vocabulary_is_read_again_after_five_minutes():
    vocabulary.vocabulary()
    # bulk_create sends no signal: only the age of what is kept brings the new term in.
    GlossaryTerm.objects.bulk_create(
        [
            GlossaryTerm(
                term="Hostile Environment", slug="he", definition="The Hostile Environment (HE)."
            )
        ]
    )
    assert vocabulary.alternatives("hostile environment") == ["hostile environment"]
    vocabulary._cached.read_at -= vocabulary.KEEP_SECONDS + 1
    assert "HE" in vocabulary.alternatives("hostile environment")


def test_a_snippet_marks_the_synonym_found_but_not_its_minor_words(refresh):
    told = consented_story("The youth club", summary=PLAIN)
    add_passage(told, "The Black, Asian and Minority Ethnic staff and the rest of us.")
    refresh()
    hit = outcome("BAME").page.object_list[0]
    snippet = str(hit.passages[0].snippet)
    assert "<mark>Black</mark>, <mark>Asian</mark> and <mark>Minority</mark>" in snippet
