"""Theme and dimension pages gather the time-coded moments linked to them (issue 13, part 4):
each moment's words, its story's title and borough, its time, and a link that starts the
story's player there; only moments the consent gate lets the public see."""

import re

import pytest

from archive.models import Dimension, Theme
from consent.withdrawal import withdraw
from tests.search.helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db

THEME_PAGE = "/stories/theme/mistrust/"
DIMENSION_PAGE = "/stories/dimension/institutional/"


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def labelled_passage(story, text, start, theme="mistrust", dimension=None):
    passage = add_passage(story, text, start=start, end=start + 30)
    if theme:
        passage.themes.add(Theme.objects.get(slug=theme))
    if dimension:
        passage.dimensions.add(Dimension.objects.get(slug=dimension))
    return passage


def moments_section(html):
    """The moments part of the page: from its heading to the end of the column."""
    start = html.index('id="moments-heading"')
    return html[start : html.index("archive-facets", start)]


def test_a_theme_page_lists_each_moment_with_its_story_borough_and_time(client):
    story = consented_story("Waiting at the council", borough="wirral")
    labelled_passage(story, "They never answered our letters, so we stopped asking.", 95)
    add_passage(story, "The weather was grey that spring.", start=10, end=40)
    html = client.get(THEME_PAGE).content.decode()
    moments = moments_section(html)
    assert "1 moment in stories" in moments
    assert "They never answered our letters, so we stopped asking." in moments
    assert "Waiting at the council, at 01:35" in moments
    assert "from Wirral" in moments
    assert f'href="{story.url}#t=01:35"' in moments
    # A passage with no confirmed label of this theme is not a moment of it.
    assert "grey that spring" not in moments


def test_a_dimension_page_lists_its_moments_too(client):
    story = consented_story("The housing office", borough="sefton")
    labelled_passage(
        story, "The form asked for papers nobody had.", 3725, theme=None, dimension="institutional"
    )
    moments = moments_section(client.get(DIMENSION_PAGE).content.decode())
    assert "The form asked for papers nobody had." in moments
    assert f'href="{story.url}#t=1:02:05"' in moments
    assert "from Sefton" in moments


def test_only_moments_the_public_may_see(client):
    shown = consented_story("Shown story")
    labelled_passage(shown, "Words the public may read.", 5)
    narrowed = consented_story("Narrowed story", uses=("public_website", "training"))
    labelled_passage(narrowed, "Words kept for trainers only.", 5)
    withdraw(narrowed.consent, "uses", uses=["public_website"])
    withdrawn = consented_story("Withdrawn story")
    labelled_passage(withdrawn, "Words taken back by their teller.", 5)
    withdraw(withdrawn.consent, "full")
    draft = consented_story("Draft story", live=False)
    labelled_passage(draft, "Words not yet published.", 5)
    no_consent = consented_story("Story without consent", consent=False)
    labelled_passage(no_consent, "Words nobody agreed to show.", 5)

    moments = moments_section(client.get(THEME_PAGE).content.decode())
    assert "1 moment in stories" in moments
    assert "Words the public may read." in moments
    for hidden in ("trainers only", "taken back", "not yet published", "nobody agreed"):
        assert hidden not in moments


def test_a_passage_not_allowed_to_be_shown_is_left_out_even_on_a_shown_story(client):
    story = consented_story("Mixed story")
    labelled_passage(story, "A moment the public may see.", 5)
    hidden = labelled_passage(story, "A moment marked not to be shown.", 60)
    type(hidden).objects.filter(pk=hidden.pk).update(allow_show=False)
    moments = moments_section(client.get(THEME_PAGE).content.decode())
    assert "1 moment in stories" in moments
    assert "marked not to be shown" not in moments


def test_moments_are_counted_and_paged(client):
    story = consented_story("A long interview")
    for minute in range(13):
        labelled_passage(story, f"Moment number {minute} of the interview.", minute * 60)
    html = client.get(THEME_PAGE).content.decode()
    moments = moments_section(html)
    assert "13 moments in stories" in moments
    assert "Showing moments 1 to 10 of 13." in moments
    assert len(re.findall(r"#t=\d\d:\d\d", moments)) == 10
    assert 'href="?moments=2#moments-heading"' in moments
    second = moments_section(client.get(THEME_PAGE, {"moments": 2}).content.decode())
    assert "Showing moments 11 to 13 of 13." in second
    assert "Moment number 12 of the interview." in second
    # The stories list keeps its own page.
    assert "1 story" in client.get(THEME_PAGE, {"moments": 2}).content.decode()


def test_an_empty_theme_says_so_in_plain_words(client):
    html = client.get(THEME_PAGE).content.decode()
    moments = moments_section(html)
    assert "0 moments in stories" in moments
    assert "No moments in the stories have been linked to this yet." in moments


def test_the_all_stories_page_has_no_moments_section(client):
    consented_story("Any story")
    assert 'id="moments-heading"' not in client.get("/stories/").content.decode()


@pytest.mark.parametrize("hostile", ["x", "-1", "0", "99999999999", "2%00", "<script>"])
def test_a_hostile_moments_page_number_shows_a_page_of_moments(client, hostile):
    story = consented_story("A long interview")
    for minute in range(13):
        labelled_passage(story, f"Moment number {minute} of the interview.", minute * 60)
    response = client.get(THEME_PAGE, {"moments": hostile})
    assert response.status_code == 200
    moments = moments_section(response.content.decode())
    assert "of 13." in moments
    assert "<script>" not in moments
