"""The transcript editor in a real browser, keyboard only (issue 14): an editor corrects a
word and a speaker label, and the public captions and search follow; they select two
adjacent words and redact them: the words either side stay in the transcript and the
captions, and exactly that span is silent in the public rendition (measured with ffmpeg).
axe-core finds no violation on the editor screen."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser.support import BROWSER, describe_violations, run_axe
from tests.browser.test_content_security_policy import violations  # noqa: F401 - a fixture
from tests.browser.test_reuse_reports import signed_in
from tests.consent.conftest import make_user
from tests.transcription.conftest import (
    SENTENCES,
    speech,
    transcribed_story,
    whisper_models,  # noqa: F401 - a fixture used here
)
from tests.transcription.test_redaction import peak_db
from transcription.editing import normalise
from transcription.models import Redaction
from transcription.outputs import public_media_file

pytestmark = [*BROWSER, pytest.mark.slow, pytest.mark.usefixtures("whisper_models")]

FOCUSED_ID = "() => document.activeElement.id"
FOCUSED_WORD = "() => document.activeElement.dataset.word || ''"


def test_an_editor_corrects_and_redacts_by_keyboard_only(
    page,
    live_server,
    django_user_model,
    browser_media,
    violations,  # noqa: F811 - the fixture
):
    story, recording, transcript = transcribed_story(speech(SENTENCES, gap=0.8, suffix=".mp3"))
    segment = transcript.segments.get(text__icontains="Liverpool")
    signed_in(page, live_server, make_user(django_user_model, "editor"))
    editor_url = reverse("transcription_editor", args=[transcript.pk])
    page.goto(editor_url)
    violations = run_axe(page)
    assert not violations, describe_violations(editor_url, violations)
    assert page.get_by_text("Back 5 seconds").is_visible()

    # The player's shortcuts: forward and back 5 s, faster and slower, play and pause.
    media = page.locator("#editor-media")
    page.wait_for_function("() => document.getElementById('editor-media').readyState >= 1")
    page.keyboard.press("Alt+KeyL")
    page.wait_for_function("() => document.getElementById('editor-media').currentTime === 5")
    page.keyboard.press("Alt+KeyJ")
    page.wait_for_function("() => document.getElementById('editor-media').currentTime === 0")
    page.keyboard.press("Alt+Period")
    assert media.evaluate("m => m.playbackRate") == 1.25
    assert page.locator("[data-editor-rate]").inner_text() == "1.25"
    page.keyboard.press("Alt+Comma")
    assert media.evaluate("m => m.playbackRate") == 1
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('editor-media').paused")
    page.keyboard.press("Escape")
    assert media.evaluate("m => m.paused")

    # Alt+N moves from segment to segment; the words are corrected and the speaker named.
    for _ in range(transcript.segments.count()):
        page.keyboard.press("Alt+KeyN")
        if page.evaluate(FOCUSED_ID) == f"text-{segment.pk}":
            break
    assert page.evaluate(FOCUSED_ID) == f"text-{segment.pk}"
    corrected = segment.text.replace("Liverpool", "Birkenhead")
    page.keyboard.press("Control+KeyA")
    page.keyboard.type(corrected)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED_ID) == f"speaker-{segment.pk}"
    page.keyboard.type("Teller")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    segment.refresh_from_db()
    assert segment.text == corrected and segment.speaker == "Teller"
    # Back where the editor was, to carry on.
    page.wait_for_function(f"() => document.activeElement.id === 'text-{segment.pk}'")

    public = Client()
    vtt = public.get(f"/recordings/{recording.key}/captions/transcribe.vtt").content.decode()
    assert "<v Teller>" in vtt and "Birkenhead" in vtt and "Liverpool" not in vtt
    story_page = public.get(story.url).content.decode()
    assert '<strong class="transcript__speaker">Teller:</strong>' in story_page
    found = public.get("/search/", {"q": "Birkenhead"}).content.decode()
    assert story.title in found

    # Two adjacent words selected with Shift+arrows, redacted with a reason.
    words = list(segment.words.order_by("start"))
    spoken = [normalise(w.word) for w in words]
    at = spoken.index("family")
    assert spoken[at + 1 : at + 3] == ["moved", "to"], spoken
    before, first, last, after = words[at : at + 4]
    page.keyboard.press("Alt+KeyW")
    # Enter on a word plays from there: the player seeks and the word is highlighted.
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('editor-media').currentTime - {words[0].start})"
        " < 0.01"
    )
    assert "is-current" in (page.locator(f"[data-word='{words[0].pk}']").get_attribute("class"))
    for _ in range(at + 1):
        page.keyboard.press("ArrowRight")
    assert page.evaluate(FOCUSED_WORD) == str(first.pk)
    page.keyboard.press("Shift+ArrowRight")
    assert page.locator("#editor-selection").inner_text().startswith("Selected “moved to”")
    page.keyboard.press("Alt+KeyR")
    page.keyboard.type("Where she lived")
    # Preview the silence: played from 1.5 s before, muted during the span only.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-editor]').dataset.previewed")
    muted_at = float(page.locator("[data-editor]").get_attribute("data-muted-at"))
    assert max(first.start, before.end) - 0.05 <= muted_at < min(last.end, after.start)
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    redaction = Redaction.objects.get()
    assert (redaction.start, redaction.end) == (
        max(first.start, before.end),
        min(last.end, after.start),
    )
    # The screen with a history, a diff, a message and the redactions table: still no violation.
    page.locator(f"#segment-{segment.pk} details summary").focus()
    page.keyboard.press("Enter")
    assert page.locator(f"#segment-{segment.pk} ins").first.is_visible()
    violations = run_axe(page)
    assert not violations, describe_violations(editor_url + " (after edits)", violations)
    listed = page.locator("#redactions + table")
    assert listed.get_by_role("cell", name=redaction.when, exact=True).is_visible()  # m:ss.s

    vtt = public.get(f"/recordings/{recording.key}/captions/transcribe.vtt").content.decode()
    shown = " ".join(re.sub(r"<[^>]+>", "", vtt).split())
    assert re.search(r"family,? \[redacted\] Birkenhead", shown), shown
    text = public.get(f"/recordings/{recording.key}/transcript/transcribe.txt").content.decode()
    assert "[redacted] Birkenhead" in text and "moved to" not in text

    recording.refresh_from_db()
    silenced = public_media_file(recording)
    assert silenced and silenced.name != recording.rendition.name
    margin = min(0.05, (redaction.end - redaction.start) / 4)
    assert peak_db(silenced.path, redaction.start + margin, redaction.end - margin) < -70
    original = recording.rendition.path
    for word in (before, after):  # the words either side keep their sound
        kept = peak_db(silenced.path, word.start + 0.02, word.end - 0.02)
        assert kept > -40 and abs(kept - peak_db(original, word.start + 0.02, word.end - 0.02)) < 3
    assert not violations  # the editor's script is a file: nothing the policy blocks
