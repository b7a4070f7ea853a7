"""Keyboard only: the skip link, the main menu, and reaching and playing the player
without a mouse; focus is always visible and never trapped."""

from tests.browser.support import BROWSER

pytestmark = BROWSER

FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName, text: (el.innerText || '').trim(), id: el.id,
          href: el.getAttribute('href'), background: getComputedStyle(el).backgroundColor};
}"""
GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"


def tab(page):
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def test_skip_link_is_first_and_moves_focus_to_the_content(page, archive_site):
    page.goto("/")
    focused = tab(page)
    assert focused["text"] == "Skip to main content"
    assert focused["background"] == GOVUK_FOCUS_YELLOW  # the focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "main-content"
    # The next Tab continues from the content, past the header.
    assert tab(page)["text"] == "Browse all stories"


def test_main_menu_is_reached_and_followed_by_keyboard(page, archive_site):
    page.goto("/")
    seen = [tab(page) for _ in range(6)]
    texts = [item["text"] for item in seen]
    assert texts[:5] == [
        "Skip to main content",
        "Lived Experience Archive",
        "Stories",
        "About the strategy",
        "Collections",
    ]
    assert all(item["background"] == GOVUK_FOCUS_YELLOW for item in seen[1:5])
    page.goto("/")
    for _ in range(3):
        tab(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/stories/")
    assert page.get_by_role("heading", level=1).inner_text() == "All stories"


def test_player_is_reached_with_tab_and_plays_with_space(page, archive_site):
    page.goto(archive_site["video"].url)
    presses = next((n for n in range(1, 40) if tab(page)["tag"] == "VIDEO"), None)
    assert presses is not None, "Tab never reached the player"
    # Everything before the player is the skip link, the header and the breadcrumbs.
    assert presses < 12
    video = page.locator("video")
    assert video.evaluate("v => v.paused")
    page.keyboard.press("Space")
    page.wait_for_function("v => !v.paused && v.currentTime > 0.3", arg=video.element_handle())
    page.keyboard.press("Space")
    page.wait_for_function("v => v.paused", arg=video.element_handle())

    # No trap: Tab carries on through the player's controls and out to the links below.
    for _ in range(15):
        focused = tab(page)
        if focused["tag"] != "VIDEO":
            break
    assert focused["tag"] == "A" and focused["href"] == "/stories/borough/wirral/"


def test_audio_player_plays_with_enter(page, archive_site):
    page.goto(archive_site["audio"].url)
    for _ in range(40):
        if tab(page)["tag"] == "VIDEO":
            break
    player = page.locator("video")
    page.keyboard.press("Enter")
    page.wait_for_function("v => !v.paused && v.currentTime > 0.3", arg=player.element_handle())
