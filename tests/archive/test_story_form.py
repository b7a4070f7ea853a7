"""Publishing a story asks for what its public pages, theme pages and reports rely on
(issue 14): at least one theme or dimension (its own, or its passages' confirmed ones not
left off) and the date it was recorded, each with a plain message; saving a draft does not."""

import re

import pytest
from django.urls import reverse

from archive.models import StoryPage, Theme
from archive.page_forms import NO_DATE, NO_LABEL
from tests.consent.conftest import make_user
from tests.consent.test_moderation import edit_data
from tests.factories import make_story
from tests.search.helpers import add_passage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(make_user(django_user_model, "editor"))


def send(client, story, action="action-publish", **fields):
    data = {**edit_data(story, **fields), action: action}
    return client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data, follow=True)


def unlabelled(data):
    return {key: value for key, value in data.items() if key != "themes"}


def test_publishing_without_a_theme_or_dimension_is_refused_in_plain_words(client, editor):
    story = make_story(live=False)
    data = unlabelled(edit_data(story))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]), {**data, "action-publish": "1"}
    )
    html = response.content.decode().replace("&#x27;", "'")
    assert NO_LABEL in html
    assert not StoryPage.objects.get(pk=story.pk).live


def test_publishing_without_a_recording_date_is_refused(client, editor):
    story = make_story(live=False)
    response = send(client, story, recorded_on="")
    assert NO_DATE in response.content.decode()
    assert not StoryPage.objects.get(pk=story.pk).live


def test_a_draft_may_be_saved_without_them(client, editor):
    story = make_story(live=False)
    data = unlabelled(edit_data(story, recorded_on=""))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)
    assert response.status_code == 302  # saved: back to the editor
    assert StoryPage.objects.get(pk=story.pk).get_latest_revision() is not None


def test_a_label_confirmed_on_a_passage_is_enough_unless_it_is_left_off(client, editor):
    story = make_story(live=False)
    fear = Theme.objects.get(slug="fear")
    add_passage(story, "They told us to go home.").themes.add(fear)
    data = unlabelled(edit_data(story))
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    left_off = client.post(url, {**data, "excluded_themes": [fear.pk], "action-publish": "1"})
    assert NO_LABEL in left_off.content.decode().replace("&#x27;", "'")
    assert not StoryPage.objects.get(pk=story.pk).live
    client.post(url, {**data, "action-publish": "1"})
    assert StoryPage.objects.get(pk=story.pk).live


def test_the_recording_choice_offers_free_recordings_and_the_story_s_own(
    client, editor, media_root
):
    from wagtail.test.utils.form_data import inline_formset

    from tests.factories import make_recording

    mine = make_story(live=False, recording="audio")
    own = mine.story_recordings.get().recording
    others = make_story(recording="audio").story_recordings.get().recording
    free = make_recording("audio", title="Not yet in a story", ready=False)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[mine.pk])).content.decode()
    choice = html.split('name="story_recordings-__prefix__-recording"', 1)[1].split("</select>", 1)[
        0
    ]
    offered = set(re.findall(r'<option value="(\d+)"', choice))
    assert offered == {str(free.pk), str(own.pk)}

    # Another story's recording, posted anyway, is refused and stays where it was.
    data = edit_data(mine, story_recordings=inline_formset([{"recording": others.pk}]))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[mine.pk]), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not mine.story_recordings.filter(recording=others).exists()
