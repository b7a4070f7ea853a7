"""In a real browser: the story's player shows the captions by default (an audio story's
under its waveform), the transcript highlights the passage being played, a time in the
transcript seeks there, and an address ending in #t=M:SS starts there.

One test walks through all of it: each browser test pays for a live server and a
database flush. The browser fixtures come from the tests.browser.support plugin."""

import pytest

from tests.browser.support import BROWSER
from tests.transcription.conftest import SENTENCES, speech, transcribed_story

pytestmark = [*BROWSER, pytest.mark.slow]


def test_captions_transcript_highlight_seek_and_start_time(page, whisper_models, browser_media):
    story, _, transcript = transcribed_story(speech(SENTENCES, gap=0.8, suffix=".mp3"))
    second = transcript.segments.all()[1]

    # Captions are on by default, for the audio player too: drawn in the area under its
    # waveform, from the track the browser keeps loaded but hidden.
    page.goto(story.url)
    video = page.locator("video").element_handle()
    page.wait_for_function(
        "v => v.textTracks.length && v.textTracks[0].mode === 'hidden' && v.textTracks[0].cues"
        " && v.textTracks[0].cues.length > 0",
        arg=video,
    )
    assert page.locator(".player-captions").is_visible()
    assert "family" in video.evaluate("v => v.textTracks[0].cues[0].text").lower()

    # Choosing the second passage's time seeks there and highlights that passage.
    passage = page.locator(".transcript__passage").nth(1)
    passage.locator(".transcript__time").click()
    page.wait_for_function(f"v => Math.abs(v.currentTime - {second.start}) < 0.6", arg=video)
    page.wait_for_function(
        "el => el.classList.contains('transcript__passage--current')", arg=passage.element_handle()
    )
    assert passage.get_attribute("aria-current") == "true"
    assert page.url.endswith(f"#t=0:{int(second.start):02d}")

    # An address with a time starts there, on a fresh visit.
    video.evaluate("v => v.pause()")
    page.goto("about:blank")
    page.goto(f"{story.url}#t=0:05")
    video = page.locator("video").element_handle()
    page.wait_for_function("v => v.readyState >= 1 && Math.abs(v.currentTime - 5) < 0.3", arg=video)
