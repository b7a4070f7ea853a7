"""The story editor's own panels (issue 14): the player and transcript state of each of the
story's recordings with "Run again", and its passages' label suggestions to confirm or reject
with the reason shown; each action brings the editor back to the story."""

import pytest
from django.urls import reverse

from archive.models import Theme
from search.models import Suggestion, SuggestionStatus
from tests.consent.conftest import make_user
from tests.factories import make_story
from tests.search.helpers import add_passage
from transcription.models import Section, Status, Transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = make_user(django_user_model, "editor")
    client.force_login(user)
    return user


def with_recording(title):
    """A story whose recording is in its latest revision, as the editor's form saves it."""
    story = make_story(title=title, recording="audio")
    story.save_revision()
    return story, story.story_recordings.get().recording


def edit_url(story):
    return reverse("wagtailadmin_pages:edit", args=[story.pk])


def test_the_editor_plays_each_recording_and_sees_its_transcript_state(client, editor, media_root):
    story, recording = with_recording("Bus stop")
    Transcript.objects.create(recording=recording, status=Status.DONE, language="en")
    page = client.get(edit_url(story)).content.decode()
    assert "Player and transcript" in page
    assert f'src="{recording.get_stream_url()}"' in page
    assert "Machine transcript, not yet checked." in page
    assert reverse("transcription_editor", args=[recording.transcripts.get().pk]) in page
    assert "Not divided into sections yet." in page
    Section.objects.create(recording=recording, start=75.2, title="The bus stop")
    page = client.get(edit_url(story)).content.decode()
    assert "1:15.2 The bus stop" in page
    assert reverse("sections:recording", args=[recording.pk]) in page
    # An action is a button, not a submit: Enter in a field still saves the page.
    assert (
        'type="button" class="button button-small button-secondary" data-controller="w-action"'
        in page
    )


def test_run_again_from_the_story_queues_the_transcript_and_returns_to_the_story(
    client, editor, media_root
):
    story, recording = with_recording("Market day")
    transcript = Transcript.objects.create(
        recording=recording, status=Status.FAILED, error="The recording could not be read."
    )
    assert "The recording could not be read." in client.get(edit_url(story)).content.decode()
    response = client.post(
        reverse("transcription_retry", args=[transcript.pk]), {"next": edit_url(story)}
    )
    assert response.status_code == 302 and response.url == edit_url(story)
    transcript.refresh_from_db()
    assert transcript.status == Status.QUEUED


def test_a_suggestion_is_shown_with_its_reason_and_decided_from_the_story(client, editor):
    story = make_story(title="School gate")
    passage = add_passage(story, "Everyone repeated the rumour about the hotel.", start=75)
    suggestion = Suggestion.objects.create(
        passage=passage,
        label_kind="key_issue",
        theme=Theme.objects.get(slug="misinformation"),
        reason="close to “Lies and rumours spread”",
    )
    page = client.get(edit_url(story)).content.decode()
    assert "Label suggestions" in page
    assert "close to “Lies and rumours spread”" in page
    assert "At 01:15" in page
    confirm = reverse("search_suggestion_decide", args=[suggestion.pk, "confirm"])
    assert f'data-w-action-url-value="{confirm}"' in page

    response = client.post(confirm, {"next": edit_url(story)})
    assert response.status_code == 302 and response.url == edit_url(story)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CONFIRMED
    assert passage.themes.filter(slug="misinformation").exists()
    page = client.get(edit_url(story)).content.decode()
    assert "No suggestions are waiting for this story." in page
    assert "1 confirmed, 0 rejected" in page


def test_an_unknown_decision_is_not_found(client, editor):
    passage = add_passage(make_story(), "A passage.")
    suggestion = Suggestion.objects.create(
        passage=passage, label_kind="key_issue", theme=Theme.objects.get(slug="mistrust")
    )
    assert client.post(f"/admin/label-suggestions/{suggestion.pk}/maybe/").status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUGGESTED


def test_a_next_address_off_the_site_is_not_followed(client, editor):
    passage = add_passage(make_story(), "A passage.")
    suggestion = Suggestion.objects.create(
        passage=passage, label_kind="key_issue", theme=Theme.objects.get(slug="fear")
    )
    url = reverse("search_suggestion_decide", args=[suggestion.pk, "reject"])
    response = client.post(url, {"next": "https://elsewhere.example/"})
    assert response.url == reverse("search_suggestions")


def test_a_new_story_has_nothing_to_play_or_suggest_yet(client, editor):
    from tests.factories import story_index

    add = reverse("wagtailadmin_pages:add", args=["archive", "storypage", story_index().pk])
    page = client.get(add).content.decode()
    assert "Player and transcript" not in page
    assert "No suggestions are waiting for this story." not in page
