"""A story page's "Related stories" (issue 13, part 4): other stories with shared themes,
dimensions and words, ranked by the search backend through Wagtail's search API, on every
backend; never the story itself, never one the consent gate would not show."""

import pytest

from archive.models import Theme
from consent.withdrawal import withdraw
from search.moments import frequent_words, related_stories

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def confirmed(passage, slug):
    passage.themes.add(Theme.objects.get(slug=slug))
    return passage


@pytest.fixture
def stories(refresh):
    this = consented_story(
        "Letters to the housing office", summary="The housing office lost our letters again."
    )
    confirmed(add_passage(this, "The housing office never answered our letters."), "mistrust")
    both = consented_story("The council repairs", summary="Waiting on the council for repairs.")
    confirmed(add_passage(both, "The housing office ignored every letter about damp."), "mistrust")
    words = consented_story("A new flat", summary="We moved in spring.")
    add_passage(words, "The housing office sent letters to the wrong flat.")
    label = consented_story("At the doctor's", summary="The receptionist would not listen.")
    confirmed(add_passage(label, "I stopped going to the surgery."), "mistrust")
    unrelated = consented_story("Football on Sunday", summary="We won the cup final.")
    add_passage(unrelated, "The match went to penalties.")
    narrowed = consented_story("Housing letters twice", uses=("public_website", "training"))
    confirmed(add_passage(narrowed, "The housing office lost my letters twice."), "mistrust")
    withdrawn = consented_story("Housing office letters", summary="Letters to the office.")
    confirmed(add_passage(withdrawn, "The housing office letters went unanswered."), "mistrust")
    refresh()
    return {
        "this": this,
        "both": both,
        "words": words,
        "label": label,
        "unrelated": unrelated,
        "narrowed": narrowed,
        "withdrawn": withdrawn,
    }


def titles(found):
    return [story.title for story in found]


def test_related_stories_share_labels_and_words_ranked_best_first(search_backend, stories):
    found = titles(related_stories(stories["this"], limit=10))
    # A shared label and shared words first; then either; never the unrelated story.
    both_first = {"The council repairs", "Housing letters twice", "Housing office letters"}
    assert set(found[:3]) == both_first
    assert set(found[3:]) == {"A new flat", "At the doctor's"}


def test_never_the_story_itself(search_backend, stories):
    assert stories["this"].pk not in [s.pk for s in related_stories(stories["this"])]


def test_never_a_story_narrowed_or_withdrawn_since_it_was_indexed(search_backend, stories):
    # Consent changes after indexing (and after the ranking is kept), and the index is not
    # refreshed: the gate still decides.
    assert "Housing letters twice" in titles(related_stories(stories["this"], limit=10))
    withdraw(stories["narrowed"].consent, "uses", uses=["public_website"])
    withdraw(stories["withdrawn"].consent, "full")
    found = titles(related_stories(stories["this"], limit=10))
    assert "Housing letters twice" not in found
    assert "Housing office letters" not in found
    assert found[0] == "The council repairs"


def test_a_handful_at_most(search_backend, stories, refresh):
    extra = consented_story("Housing again", summary="More letters to the housing office.")
    confirmed(add_passage(extra, "The housing office letters again."), "mistrust")
    refresh()
    assert len(related_stories(stories["this"])) == 5  # of six like it
    assert len(related_stories(stories["this"], limit=2)) == 2


def test_the_story_page_links_its_related_stories(client, search_backend, stories):
    withdraw(stories["withdrawn"].consent, "full")
    html = client.get(stories["this"].url).content.decode()
    block = html[html.index('id="related-heading"') :]
    assert "Related stories" in block
    assert f'href="{stories["both"].url}"' in block
    assert "(vox pop from Liverpool)" in block
    assert "Housing office letters" not in block
    assert f'href="{stories["this"].url}"' not in block


def test_a_story_like_no_other_shows_no_related_block(client, search_backend, refresh):
    lonely = consented_story("Zebra crossings", summary="Zygomorphic xylophones.")
    refresh()
    assert related_stories(lonely) == []
    assert "Related stories" not in client.get(lonely.url).content.decode()


def test_the_query_uses_the_story_s_own_most_frequent_words(stories):
    words = frequent_words(stories["this"])
    assert words[:3] == ["housing", "office", "letters"]
    assert "never" not in words  # too common to say what a story is about


def test_the_ranking_is_kept_for_a_while_and_the_gate_asked_every_time(
    search_backend, stories, refresh
):
    from django.core.cache import cache

    first = titles(related_stories(stories["this"], limit=10))
    newer = consented_story("Housing letters at last", summary="The housing office letters.")
    confirmed(add_passage(newer, "The housing office answered our letters at last."), "mistrust")
    refresh()
    assert titles(related_stories(stories["this"], limit=10)) == first  # two searches saved
    cache.clear()  # as when RANKING_SECONDS have passed
    assert "Housing letters at last" in titles(related_stories(stories["this"], limit=10))


def test_every_theme_and_dimension_name_makes_a_query_each_backend_takes(
    search_backend, stories, refresh
):
    """The strategy's names hold commas, apostrophes, hyphens and long sentences."""
    from archive.models import Dimension

    this = stories["this"]
    passage = this.passages.get()
    passage.themes.add(*Theme.objects.all())
    passage.dimensions.add(*Dimension.objects.all())
    refresh()
    found = titles(related_stories(this, limit=10))
    # Long names stay out of the query: the story's own words still rank the best first.
    assert found[0] in {"The council repairs", "Housing letters twice", "Housing office letters"}
    assert this.title not in found
