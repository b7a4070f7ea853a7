"""Issue 10, point 13: under the Content-Security-Policy every public page, the player
(playing, with its transcript and captions), the contribute and withdraw pages, and the
Wagtail admin's dashboard and page editor work with no violation reported by Chromium."""

import pytest
from django.urls import reverse

from tests.browser.support import BROWSER, public_pages

pytestmark = BROWSER

# Chromium reports each blocked resource or script both as a console error and as a
# securitypolicyviolation event; the event is forwarded to the console to catch both.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", event => console.error(
  "CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
  + " at " + event.sourceFile + ":" + event.lineNumber));
"""


@pytest.fixture
def violations(page):
    found = []
    page.add_init_script(REPORT_VIOLATIONS)

    def listen(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            found.append(f"{page.url}: {text}")

    page.on("console", listen)
    return found


def visit(page, url, expected=200):
    response = page.goto(url)
    assert response.status == expected, f"{url} answered {response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")


def with_transcript(story):
    """Give the story's recording a finished transcript, so its page has the transcript."""
    from transcription.engines.base import SegmentResult, TranscriptResult
    from transcription.models import Transcript
    from transcription.running import save_result

    recording = story.story_recordings.first().recording
    transcript = Transcript.objects.create(recording=recording)
    result = TranscriptResult(
        engine="test",
        model="none",
        language="en",
        task="transcribe",
        duration=8,
        segments=[
            SegmentResult(0.0, 3.5, "I was waiting for the ferry."),
            SegmentResult(3.5, 7.5, "Somebody said something I will not forget."),
        ],
    )
    save_result(transcript, result, checksum="", file_name=recording.file.name)


def test_every_public_page_runs_under_the_policy(page, violations, archive_site):
    for name, url in public_pages(archive_site).items():
        visit(page, url, expected=404 if name == "not found" else 200)
    visit(page, "/search/")
    assert page.evaluate("document.body.classList.contains('js-enabled')")  # the file ran
    assert violations == []


def test_the_player_plays_with_its_transcript_under_the_policy(page, violations, archive_site):
    with_transcript(archive_site["video"])
    visit(page, archive_site["video"].url)
    assert page.locator(".transcript__passage").count() == 2
    video = page.locator("video")
    page.wait_for_function("v => v.readyState >= 1", arg=video.element_handle())
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("v => !v.paused && v.currentTime > 0.5", arg=video.element_handle())
    page.locator(".transcript__time").nth(1).click()  # transcript.js seeks the player
    page.wait_for_function("v => v.currentTime >= 3.4", arg=video.element_handle())
    assert violations == []


def test_the_withdraw_page_works_under_the_policy(page, violations, archive_site):
    record = archive_site["video"].consent
    visit(page, reverse("consent:withdraw", args=[record.reference]))
    page.get_by_label("Your code").fill("WRONG-CODE")
    page.get_by_role("button").last.click()
    page.wait_for_load_state("load")
    assert "does not match" in page.content()  # the form posted and answered
    assert violations == []


def test_the_admin_dashboard_and_page_editor_work_under_the_policy(
    page, violations, archive_site, django_user_model
):
    django_user_model.objects.create_superuser("csp-admin", "csp@example.org", "pw-csp-admin")
    visit(page, "/admin/login/")
    page.get_by_label("Username").fill("csp-admin")
    page.get_by_label("Password").fill("pw-csp-admin")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    page.wait_for_load_state("networkidle")
    story = archive_site["video"]
    visit(page, f"/admin/pages/{story.pk}/edit/")
    page.wait_for_load_state("networkidle")
    # The editor's scripts ran: the tabs and the title field are live.
    page.get_by_role("tab", name="Content").first.wait_for()
    assert page.locator("#id_title").input_value() == story.title
    # The live preview opens in a frame inside the editor.
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe").first
    preview.get_by_role("heading", name=story.title, level=1).wait_for()
    assert violations == []
