"""A content warning on a phone (issue 15): at 320 px the warning comes before the player,
which waits for "Play anyway"; the button shows the player and puts focus on it; a visitor
can hide stories with warnings from the browse page. No sideways scrolling, no axe
violation."""

from tests.browser.support import BROWSER, PHONE, assert_fits_and_accessible

pytestmark = BROWSER


def test_the_warning_comes_before_play_and_play_anyway_moves_to_the_player(page, archive_site):
    from archive.models import StoryPage

    story = archive_site["video"]
    StoryPage.objects.filter(pk=story.pk).update(warns_racist_language=True, warns_violence=True)
    page.set_viewport_size(PHONE)
    page.goto(story.url)
    warning = page.get_by_text("Content warning: this story includes racist language, violence.")
    player = page.get_by_label("Video: Ferry queue interview")
    play_anyway = page.get_by_role("button", name="Play anyway")
    assert warning.is_visible() and play_anyway.is_visible()
    assert not player.is_visible()
    assert_fits_and_accessible(page)

    play_anyway.focus()
    page.keyboard.press("Enter")
    assert player.is_visible() and warning.is_visible()
    assert not play_anyway.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Video: Ferry queue interview"
    )
    assert_fits_and_accessible(page)

    page.goto("/stories/")
    assert page.get_by_text("Content warning racist language, violence").is_visible()
    page.get_by_role("button", name="Hide stories with content warnings").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 story with content warnings is hidden.").is_visible()
    assert page.get_by_role("link", name="Ferry queue").count() == 0
    assert_fits_and_accessible(page)
