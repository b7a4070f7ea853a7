"""The whole consent journey in Chromium: a contributor shares a story with their
consent, an editor moderates and publishes it, the contributor takes it back by link
and code, and it is gone. Each public page has 0 axe-core violations."""

import pytest

from tests.browser.support import BROWSER, describe_violations, run_axe

pytestmark = BROWSER


def assert_accessible(page):
    violations = run_axe(page)
    assert violations == [], describe_violations(page.url, violations)


def contribute(page, media_file):
    page.goto("/")
    page.get_by_role("link", name="Share your story").click()
    page.wait_for_url("**/contribute/")
    assert_accessible(page)
    page.get_by_label("Your recording", exact=True).set_input_files(str(media_file))
    page.get_by_label("Give your story a title").fill("Told to go back at the market")
    page.get_by_label("Tell us in a few sentences").fill("A stallholder shouted at me.")
    page.get_by_label("Which borough is your story from?").select_option(label="St Helens")
    page.get_by_label("Which language is your recording in?").select_option("en")
    page.get_by_label("A made-up name (a pseudonym)").check()
    page.get_by_label("The made-up name to use").fill("Sam")
    page.get_by_label("On the public website, where anyone can see it").check()
    page.get_by_label("My voice and face may be played").check()
    page.get_by_label("I have read the consent form above and agree").check()
    page.get_by_role("button", name="Send my story").click()
    page.wait_for_url("**/contribute/thanks/")
    assert page.get_by_role("heading", name="Your story has been sent").is_visible()
    assert_accessible(page)
    code = page.get_by_test_id("withdrawal-code").inner_text()
    link = page.get_by_test_id("withdrawal-link").inner_text()
    return code, link


def moderate_and_publish():
    """The editor's part: both workflow tasks approved, which publishes the story."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from archive.models import StoryPage

    editor = get_user_model().objects.create_user("editor", "editor@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
    story = StoryPage.objects.get(title="Told to go back at the market")
    for _task in ("consent check", "editorial review"):
        state = story.current_workflow_state
        state.current_task_state.approve(user=editor)
        story = StoryPage.objects.get(pk=story.pk)
    assert story.live
    return story


@pytest.mark.every_database
def test_contribute_publish_and_withdraw_by_link(page, browser_media):
    from tests.factories import make_media_file

    code, link = contribute(page, make_media_file("audio", seconds=3))
    story = moderate_and_publish()

    response = page.goto(story.url)
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Told to go back at the market"

    page.goto(link)
    assert_accessible(page)
    page.get_by_label("Your code").fill(code)
    page.get_by_label("Take my whole story back: delete it and every copy").check()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/done/")
    assert page.get_by_role("heading", name="You have taken your story back").is_visible()
    assert_accessible(page)

    assert page.goto(story.url).status == 404
    assert not [path for path in browser_media.rglob("*") if path.is_file()]


def test_a_refused_file_keeps_what_was_typed(page, browser_media, tmp_path):
    bogus = tmp_path / "story.mp3"
    bogus.write_text("not a recording\n" * 100)
    page.goto("/contribute/")
    page.get_by_label("Your recording", exact=True).set_input_files(str(bogus))
    page.get_by_label("Give your story a title").fill("Kept title")
    page.get_by_label("On the public website, where anyone can see it").check()
    page.get_by_label("My voice and face may be played").check()
    page.get_by_label("I have read the consent form above and agree").check()
    page.get_by_role("button", name="Send my story").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert page.get_by_label("Give your story a title").input_value() == "Kept title"
    assert page.get_by_label("On the public website, where anyone can see it").is_checked()
    assert_accessible(page)


@pytest.mark.parametrize("width", [360])
def test_the_form_works_on_a_phone_with_the_keyboard(page, browser_media, width):
    page.set_viewport_size({"width": width, "height": 780})
    page.goto("/contribute/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Keyboard only: the skip link first, then into the form.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.get_by_label("Give your story a title").focus()
    page.keyboard.type("Typed with the keyboard")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "summary"
    assert_accessible(page)
