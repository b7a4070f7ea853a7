"""The public story player on a phone (issue 15), in a real browser: an audio story's
captions show in the area under its waveform, the transcript switches between the French
original and its English translation (the captions follow), the word being spoken is
highlighted, and selected words become a link that plays just that moment. axe-core finds
no violation and the page fits 320 px."""

from tests.browser.support import BROWSER, PHONE, assert_fits_and_accessible, ready_recording
from tests.factories import make_story
from transcription.models import Segment, Task, Transcript, Word

pytestmark = BROWSER
WORDS = [(0.5, 1.2, "Bonjour"), (1.2, 1.6, "à"), (1.6, 2.4, "Halton,"), (2.4, 3.4, "merci.")]


def french_story_with_translation():
    recording = ready_recording("audio", "Halton memories")
    story = make_story(title="Bonjour Halton", recording=recording, language="fr")
    original = Transcript.objects.create(recording=recording, status="done", language="fr")
    first = Segment.objects.create(
        transcript=original, start=0.5, end=3.4, text="Bonjour à Halton, merci."
    )
    for start, end, word in WORDS:
        Word.objects.create(segment=first, start=start, end=end, word=word)
    Segment.objects.create(transcript=original, start=4.0, end=7.0, text="Deuxième passage.")
    translation = Transcript.objects.create(
        recording=recording, task=Task.TRANSLATE, status="done", language="fr"
    )
    Segment.objects.create(transcript=translation, start=0.5, end=3.4, text="Hello Halton.")
    Segment.objects.create(transcript=translation, start=4.0, end=7.0, text="Second passage.")
    return story


def seek(page, video, seconds):
    video.evaluate(f"v => {{ v.currentTime = {seconds}; }}")
    page.wait_for_function(
        f"v => Math.abs(v.currentTime - {seconds}) < 0.05 && !v.seeking", arg=video
    )


def test_captions_language_switch_word_highlight_and_a_shared_moment(page, browser_media):
    story = french_story_with_translation()
    page.set_viewport_size(PHONE)
    page.goto(story.url)
    video = page.locator("video").element_handle()
    captions = page.locator(".player-captions")
    page.wait_for_function("v => v.readyState >= 1", arg=video)

    # Captions of an audio story: in the area under the waveform, in the story's language.
    seek(page, video, 1.0)
    captions.wait_for(state="visible")
    page.wait_for_function(
        "() => document.querySelector('.player-captions__text').textContent.includes('Bonjour')"
    )
    assert captions.locator("p").get_attribute("lang") == "fr"
    # The browser draws no captions itself: the track is loaded but hidden.
    assert video.evaluate("v => Array.from(v.textTracks).map(t => t.mode)") == [
        "hidden",
        "disabled",
    ]

    # The word being spoken is highlighted.
    current = page.locator(".transcript__word--current")
    assert current.count() == 1 and current.text_content() == "Bonjour"
    seek(page, video, 2.0)
    page.wait_for_function(
        "() => document.querySelector('.transcript__word--current')?.textContent === 'Halton,'"
    )

    # The language switch: the English translation, and the captions follow it.
    page.get_by_label("English (machine translation)").check()
    assert page.get_by_text("Hello Halton.").is_visible()
    assert not page.get_by_text("Deuxième passage.").is_visible()
    page.wait_for_function(
        "() => document.querySelector('.player-captions__text').textContent.includes('Hello')"
    )
    assert captions.locator("p").get_attribute("lang") == "en"
    page.get_by_label("French").check()
    assert page.get_by_text("Deuxième passage.").is_visible()

    assert_fits_and_accessible(page, "captions and the language switch")

    # Selected words become a link to just that moment.
    page.evaluate(
        """() => {
          const words = document.querySelectorAll('.transcript__word');
          const range = document.createRange();
          range.setStart(words[1].firstChild, 0);
          range.setEnd(words[2].firstChild, 3);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }"""
    )
    page.get_by_role("button", name="Make a link to this moment").click()
    link = page.get_by_label("Link to the moment")
    assert link.input_value() == f"{page.url.split('#')[0]}#t=1.2,2.4"
    assert page.get_by_role("status").text_content() == "Link made to the 2 selected words."

    # By keyboard alone: pause somewhere and make a link to the passage playing there.
    seek(page, video, 5.0)
    page.get_by_role("button", name="Make a link to this moment").focus()
    page.keyboard.press("Enter")
    assert link.input_value().endswith("#t=4,7")

    # Opening the link plays from the moment's start, marks its words and stops at its end.
    page.goto("about:blank")
    page.goto(f"{story.url}#t=1.2,2.4")
    video = page.locator("video").element_handle()
    page.wait_for_function(
        "v => v.readyState >= 1 && Math.abs(v.currentTime - 1.2) < 0.1", arg=video
    )
    marked = page.locator(".transcript__word--moment")
    assert [marked.nth(i).text_content() for i in range(marked.count())] == ["à", "Halton,"]
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("v => v.paused && v.currentTime >= 2.3", arg=video, timeout=10_000)
    assert video.evaluate("v => v.currentTime") < 3.0
