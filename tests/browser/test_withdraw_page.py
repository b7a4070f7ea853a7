"""The withdrawal page in Chromium: each choice reveals only its own questions (GOV.UK
Frontend's conditional radios, from a static script), uses already stopped are not offered,
and the page has 0 axe-core violations in each state (issue 10)."""

import pytest

from tests.browser.support import BROWSER, describe_violations, ready_recording, run_axe

pytestmark = BROWSER

CODE = "ABCD-EFGH-JKLM"


@pytest.fixture
def record(browser_media):
    from archive.models import StoryRecording
    from consent.codes import normalise_code
    from tests.factories import make_story

    story = make_story(consent={"uses": ["public_website", "training", "reports"]})
    StoryRecording.objects.create(story=story, recording=ready_recording("audio", "Interview"))
    record = story.consent
    record.set_withdrawal_code(normalise_code(CODE))
    record.save()
    return record


def assert_accessible(page):
    violations = run_axe(page)
    assert violations == [], describe_violations(page.url, violations)


def test_each_choice_reveals_only_its_own_questions(page, record):
    page.goto(f"/contribute/withdraw/{record.reference}/")
    website = page.get_by_label("On the public website, where anyone can see it")
    which_recording = page.get_by_label("Recording 1 (audio file, 8 seconds)")
    assert website.count() == which_recording.count() == 1  # on the page, but hidden
    assert website.is_hidden() and which_recording.is_hidden()
    assert_accessible(page)

    page.get_by_label("Stop some uses of my story").check()
    assert website.is_visible() and which_recording.is_hidden()
    assert page.get_by_label("Stop playing my voice and face: show only the words").is_visible()
    assert_accessible(page)

    page.get_by_label("Delete one of my recordings").check()
    assert website.is_hidden() and which_recording.is_visible()

    page.get_by_label("Take my whole story back: delete it and every copy").check()
    assert website.is_hidden() and which_recording.is_hidden()


def test_after_a_narrowing_stopped_uses_are_not_offered(page, record):
    page.goto(f"/contribute/withdraw/{record.reference}/")
    page.get_by_label("Your code").fill(CODE)
    page.get_by_label("Stop some uses of my story").check()
    page.get_by_label("On the public website, where anyone can see it").check()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/done/")
    assert page.get_by_role("heading", name="You have stopped some uses of your story").is_visible()
    assert "training" in page.get_by_test_id("continues").inner_text()
    assert_accessible(page)

    page.goto(f"/contribute/withdraw/{record.reference}/")
    page.get_by_label("Stop some uses of my story").check()
    assert page.get_by_label("In training sessions", exact=False).is_visible()
    assert page.get_by_label("On the public website, where anyone can see it").count() == 0
