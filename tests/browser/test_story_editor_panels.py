"""The story editor's panels in a real browser (issue 14): axe-core finds no violation on a
story's edit page with its player, transcript state and label suggestions; a suggestion is
confirmed by keyboard alone and the editor lands back on the story."""

from django.urls import reverse

from archive.models import Theme
from search.models import Suggestion, SuggestionStatus
from tests.browser.support import BROWSER, describe_violations, run_axe
from tests.browser.test_reuse_reports import signed_in
from tests.consent.conftest import make_user
from tests.factories import make_story
from tests.search.helpers import add_passage
from transcription.models import Status, Transcript

pytestmark = BROWSER


def test_the_story_editor_panels_are_accessible_and_work_by_keyboard(
    page, live_server, django_user_model, media_root
):
    editor = make_user(django_user_model, "editor")
    story = make_story(title="The corner shop", recording="audio")
    story.save_revision()
    recording = story.story_recordings.get().recording
    Transcript.objects.create(recording=recording, status=Status.DONE, language="en")
    passage = add_passage(story, "They stopped serving us after the rumour.", start=12)
    suggestion = Suggestion.objects.create(
        passage=passage,
        label_kind="key_issue",
        theme=Theme.objects.get(slug="misinformation"),
        reason="close to “Lies and rumours spread”",
    )
    signed_in(page, live_server, editor)
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert page.goto(live_server.url + url).status == 200
    violations = run_axe(page)
    assert not violations, describe_violations(url, violations)

    confirm = page.get_by_role("button", name="Confirm Misinformation at 00:12")
    confirm.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + url
    assert page.get_by_text("No suggestions are waiting for this story.").is_visible()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CONFIRMED
