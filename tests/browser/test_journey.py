"""A visitor's journey, as a person would make it: home, browse by borough, open a story,
play it and seek. Real Chromium, real media, real HTTP Range requests."""

import re

import pytest

from tests.browser.support import BROWSER

pytestmark = BROWSER


@pytest.mark.every_database
def test_home_to_borough_to_story_then_play_and_seek(page, archive_site):
    stream_statuses = []
    page.on(
        "response",
        lambda response: "/stream" in response.url and stream_statuses.append(response.status),
    )

    page.goto("/")
    page.get_by_role("link", name="Wirral", exact=True).click()
    page.wait_for_url("**/stories/borough/wirral/")
    assert page.get_by_role("heading", level=1).inner_text() == "Stories from Wirral"

    page.get_by_role("link", name="Ferry queue").click()
    page.wait_for_url("**/stories/ferry-queue/")
    assert page.get_by_text("Fictional demo story").first.is_visible()

    video = page.locator("video")
    video.scroll_into_view_if_needed()
    page.wait_for_function("v => v.readyState >= 1", arg=video.element_handle())
    duration = video.evaluate("v => v.duration")
    assert 7 < duration < 9

    video.click()  # a click on the picture plays it, as in any browser's native player
    page.wait_for_function("v => !v.paused && v.currentTime > 0.5", arg=video.element_handle())

    # Seek, as dragging the timeline does, to 6 s: the browser fetches with a Range request.
    video.evaluate("v => { v.currentTime = 6; }")
    page.wait_for_function("v => !v.seeking && v.currentTime >= 6", arg=video.element_handle())
    assert video.evaluate("v => v.currentTime") < duration
    assert 206 in stream_statuses, f"no partial content served: {stream_statuses}"


def test_audio_story_plays(page, archive_site):
    page.goto(archive_site["audio"].url)
    player = page.get_by_label(re.compile("^Audio: "))
    page.wait_for_function("v => v.readyState >= 1", arg=player.element_handle())
    player.evaluate("v => v.play()")
    page.wait_for_function("v => v.currentTime > 0.5", arg=player.element_handle())
    assert player.evaluate("v => v.videoWidth") == 0  # sound only


@pytest.mark.parametrize("path", ["/stories/borough/atlantis/", "/no-such-page/"])
def test_missing_pages_are_friendly(page, archive_site, path):
    response = page.goto(path)
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    page.get_by_role("link", name="Go to the home page").click()
    page.wait_for_url(re.compile(r"/$"))
