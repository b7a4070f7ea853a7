"""Sections in a real browser (issue 14): the public story page shows the table of contents,
a section's time is reached with Tab and plays the recording from there with Enter, the
player loads the chapters track; axe-core finds no violation on the story page, the
editors' sections list or the screen that edits one recording's sections."""

from django.urls import reverse

from tests.browser.support import BROWSER, describe_violations, run_axe
from tests.browser.test_reuse_reports import signed_in
from transcription.models import Section

pytestmark = BROWSER


def sections_for(story):
    recording = story.story_recordings.get().recording
    Section.objects.create(recording=recording, start=0, title="At the terminal")
    Section.objects.create(
        recording=recording,
        start=4,
        title="The remark in the queue",
        synopsis="A stranger tells her to go home.",
        keywords="ferry; queue",
    )
    return recording


def tab_to(page, text, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.innerText.trim()") == text:
            return True
    return False


def test_the_story_page_shows_the_sections_and_plays_from_one_by_keyboard(page, archive_site):
    story = archive_site["video"]
    sections_for(story)
    page.goto(story.url)
    toc = page.get_by_role("navigation", name="In this recording")
    assert toc.get_by_text("The remark in the queue").is_visible()
    assert toc.get_by_text("A stranger tells her to go home.").is_visible()
    assert tab_to(page, "0:04"), "Tab never reached the section's time"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('video').currentTime >= 3.9")
    assert page.evaluate("() => location.hash") == "#t=0:04"
    chapters = page.evaluate(
        """() => new Promise((resolve) => {
          const track = document.querySelector('track[kind=chapters]');
          const read = () => resolve(Array.from(track.track.cues || []).map((c) => c.text));
          track.track.mode = 'hidden';
          if (track.readyState === 2) read(); else track.addEventListener('load', read);
        })"""
    )
    assert chapters == ["At the terminal", "The remark in the queue"]
    violations = run_axe(page)
    assert not violations, describe_violations(story.url, violations)


def test_a_link_to_a_section_starts_the_recording_there(page, archive_site):
    story = archive_site["audio"]  # no transcript: the contents alone handle #t=
    sections_for(story)
    page.goto(story.url + "#t=0:04")
    page.wait_for_function("() => document.querySelector('video').currentTime >= 3.9")


def test_the_sections_screens_have_no_axe_violations(
    page, live_server, archive_site, django_user_model
):
    recording = sections_for(archive_site["video"])
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    signed_in(page, live_server, editor)
    for url in (
        reverse("sections:index"),
        reverse("sections:recordings"),
        reverse("sections:recording", args=[recording.pk]),
        reverse("sections:add"),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        violations = run_axe(page)
        assert not violations, describe_violations(url, violations)
    assert page.get_by_label("Starts at").is_visible()
    assert page.get_by_text("Minutes and seconds, like 4:05 or 4:05.5").is_visible()


def test_the_players_time_becomes_a_new_sections_start(
    page, live_server, archive_site, django_user_model
):
    recording = sections_for(archive_site["video"])
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    signed_in(page, live_server, editor)
    page.goto(live_server.url + reverse("sections:recording", args=[recording.pk]))
    page.wait_for_function("() => document.getElementById('sections-player').readyState >= 1")
    page.evaluate("() => { document.getElementById('sections-player').currentTime = 6.2; }")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('sections-player').currentTime - 6.2) < 0.05"
    )
    new = page.locator("#section-2-section")  # the third panel: "Add a section"
    new.get_by_role("button", name="Use the player's time").click()
    assert new.get_by_label("Starts at").input_value() == "0:06.2"
    new.get_by_label("Title").fill("Going home")
    new.get_by_label("Title").press("Enter")  # Enter saves, as in any form
    page.wait_for_url("**/sections/recording/*/")
    assert Section.objects.filter(recording=recording, title="Going home").get().start == 6.2
