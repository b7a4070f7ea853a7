"""Content warnings (issue 15): chosen by contributors and editors from a short list, shown
before the player, on cards and in search results; a visitor may hide stories with them."""

import pytest
from django.urls import reverse

from archive import warnings
from archive.forms import ContributionForm
from archive.models import CollectionItem, CollectionPage, HomePage, StoryPage, Theme
from tests.archive.test_pages import attach_recording, make_story
from tests.consent.conftest import contribution_data, make_user, upload
from tests.consent.test_moderation import edit_data

pytestmark = pytest.mark.django_db
WARNED = "Shouted at on the ferry"
PLAIN = "A quiet word at work"


@pytest.fixture
def stories():
    warned = make_story(WARNED, warns_racist_language=True, warning_other="a threat of arson")
    plain = make_story(PLAIN)
    return warned, plain


def test_a_story_reads_its_warnings_in_the_lists_order():
    story = StoryPage(warns_self_harm=True, warns_racist_language=True, warning_other="a raid")
    assert story.content_warnings == ["racist language", "self-harm", "a raid"]
    assert warnings.values(story) == ["racist-language", "self-harm", "other"]
    assert StoryPage().content_warnings == []


def test_warned_finds_only_stories_with_a_warning(stories):
    warned, _plain = stories
    assert list(StoryPage.objects.filter(warnings.warned())) == [warned]


def test_the_form_asks_for_words_when_something_else_is_chosen():
    form = ContributionForm(contribution_data(content_warnings=["violence", "other"]))
    form.is_valid()
    assert form.errors["content_warning_other"] == [
        "Describe the warning in a few words, or untick “something else”."
    ]


def test_a_contributors_warnings_are_kept_on_the_story(client, media_root, ffmpeg):
    data = contribution_data(
        content_warnings=["violence", "other"], content_warning_other="describes a police raid"
    )
    data["recordings"] = [upload("audio")]
    assert client.post(reverse("archive:contribute"), data).status_code == 302
    story = StoryPage.objects.get(title=data["title"])
    assert story.content_warnings == ["violence", "describes a police raid"]


def test_words_given_for_other_are_dropped_when_other_is_not_chosen():
    story = StoryPage()
    warnings.apply(story, ["self-harm"], "left in the box")
    assert story.content_warnings == ["self-harm"]


def test_the_contribution_page_offers_the_list():
    html = ContributionForm().as_div()
    for label in ("Racist language", "Violence", "Self-harm", "Something else"):
        assert label in html


def test_an_editor_sets_warnings_in_the_story_form(client, django_user_model):
    client.force_login(make_user(django_user_model, "editor"))
    story = make_story("Edited story", live=False)
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert "Content warnings" in client.get(url).content.decode()
    data = edit_data(story, warns_violence="on", warning_other="a car chase")
    client.post(url, data)
    story.refresh_from_db()
    assert story.content_warnings == ["violence", "a car chase"]


def test_the_warning_comes_before_the_player_with_a_play_anyway_button(client, stories):
    warned, plain = stories
    attach_recording(warned)
    html = client.get(warned.url).content.decode()
    warning = html.index("Content warning: this story includes racist language, a threat of arson.")
    assert warning < html.index("<video")
    # The button waits for the script; without it the player is shown as on any story.
    assert '<div data-play-anyway-group hidden><button type="button"' in html
    assert 'id="story-recordings"' in html and "content-warning.js" in html
    attach_recording(plain)
    assert "Play anyway" not in client.get(plain.url).content.decode()


def test_cards_and_search_results_show_the_warning(client, stories):
    warned, _plain = stories
    warned.themes.add(Theme.objects.get(slug="fear"))
    warned.save()
    collection = CollectionPage(title="On the water", slug="water")
    HomePage.objects.get().add_child(instance=collection)
    CollectionItem.objects.create(collection=collection, story=warned, sort_order=0)
    pages = ("/stories/", "/stories/theme/fear/", "/water/", "/", "/search/", "/search/?q=ferry")
    for url in pages:
        html = client.get(url).content.decode()
        assert "Content warning</strong> racist language, a threat of arson" in html, url


def test_a_visitor_hides_stories_with_warnings_and_shows_them_again(client, stories):
    response = client.post(reverse("archive:content_warnings"), {"hide": "1", "next": "/stories/"})
    assert response.status_code == 302 and response["Location"] == "/stories/"
    html = client.get("/stories/").content.decode()
    assert WARNED not in html and PLAIN in html
    assert "1 story with content warnings is hidden." in html
    assert "Show stories with content warnings" in html
    home = client.get("/").content.decode()
    assert WARNED not in home and "1 story with content warnings is hidden." in home
    search = client.get("/search/").content.decode()
    assert WARNED not in search and "1 story with content warnings is hidden." in search
    assert "1 story" in search
    found = client.get("/search/?q=ferry").content.decode()
    assert WARNED not in found and "1 story with content warnings is hidden." in found

    client.post(reverse("archive:content_warnings"), {"hide": "0", "next": "/stories/"})
    html = client.get("/stories/").content.decode()
    assert WARNED in html and "Hide stories with content warnings" in html


def test_hiding_counts_only_what_the_list_would_show(client, stories):
    warned, plain = stories
    home = HomePage.objects.get()
    collection = CollectionPage(title="On the water", slug="water")
    home.add_child(instance=collection)
    CollectionItem.objects.create(collection=collection, story=plain, sort_order=0)
    make_story("Unpublished with a warning", live=False, warns_violence=True)
    client.cookies[warnings.HIDE_COOKIE] = "1"
    html = client.get("/water/").content.decode()
    assert PLAIN in html and "Stories with content warnings are hidden." in html
    html = client.get("/stories/").content.decode()
    assert "1 story with content warnings is hidden." in html  # not the unpublished one
    CollectionItem.objects.create(collection=collection, story=warned, sort_order=1)
    assert "1 story with content warnings is hidden." in client.get("/water/").content.decode()


def test_the_choice_goes_back_only_to_this_site(client):
    response = client.post(
        reverse("archive:content_warnings"), {"hide": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert response.cookies[warnings.HIDE_COOKIE]["httponly"]
    assert response.cookies[warnings.HIDE_COOKIE]["max-age"] == 365 * 24 * 3600  # a year
    assert client.get(reverse("archive:content_warnings")).status_code == 405


def test_a_story_without_a_player_still_shows_its_warning(client, stories):
    warned, _plain = stories
    html = client.get(warned.url).content.decode()
    assert "Content warning: this story includes racist language" in html
    assert "Play anyway" not in html
