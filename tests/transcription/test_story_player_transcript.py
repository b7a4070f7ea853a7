"""The public transcript beside the player (issue 15): each word carries its times so the
word being spoken can be highlighted and a selection becomes a moment; a translation is a
second version under a language switch; an audio story has a caption area; a link to a
moment is offered only where the teller agreed to public display."""

import pytest
from bs4 import BeautifulSoup

from tests.consent.conftest import make_user
from tests.factories import make_recording, make_story
from transcription.corrections import redact
from transcription.models import Segment, Task, Transcript, Word

pytestmark = pytest.mark.django_db


def transcribed(story_consent=True, kind="audio"):
    recording = make_recording(kind, language="fr")
    story = make_story(recording=recording, consent=story_consent)
    original = Transcript.objects.create(recording=recording, status="done", language="fr")
    segment = Segment.objects.create(
        transcript=original, start=0.5, end=3.0, text="Bonjour à Halton, Bartholomew."
    )
    for start, end, word in [(0.5, 1.1, " Bonjour"), (1.1, 1.4, " à"), (1.4, 2.2, " Halton,")]:
        Word.objects.create(segment=segment, start=start, end=end, word=word)
    Word.objects.create(segment=segment, start=2.2, end=3.0, word=" Bartholomew.")
    translation = Transcript.objects.create(
        recording=recording, task=Task.TRANSLATE, status="done", language="fr"
    )
    Segment.objects.create(transcript=translation, start=0.5, end=3.0, text="Hello Halton.")
    return story, segment


def soup_of(client, story):
    response = client.get(story.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_each_word_carries_its_times_and_the_redacted_word_is_never_sent(client, media_root):
    story, segment = transcribed()
    words = soup_of(client, story).select(
        ".transcript__version[data-task=transcribe] .transcript__word"
    )
    assert [(w["data-start"], w["data-end"], w.text) for w in words] == [
        ("0.50", "1.10", "Bonjour"),
        ("1.10", "1.40", "à"),
        ("1.40", "2.20", "Halton,"),
        ("2.20", "3.00", "Bartholomew."),
    ]
    redact(segment, "Bartholomew")
    page = soup_of(client, story)
    words = page.select(".transcript__version[data-task=transcribe] .transcript__word")
    assert [w.text for w in words][-2:] == ["Halton,", "[redacted]"]
    assert "Bartholomew" not in str(page)


def test_the_translation_is_a_second_version_in_its_own_language(client, media_root):
    story, _ = transcribed()
    versions = soup_of(client, story).select(".transcript__version")
    assert [(v["data-task"], v["data-language"], v["data-label"]) for v in versions] == [
        ("transcribe", "fr", "French"),
        ("translate", "en", "English (machine translation)"),
    ]
    assert versions[0].select_one("ol")["lang"] == "fr"
    assert versions[1].select_one("ol")["lang"] == "en"
    assert "Hello Halton." in versions[1].text
    # Each version has its own downloads.
    assert versions[1].select_one("a[download]")["href"].endswith("/translate.vtt")


def test_an_audio_story_has_a_caption_area_and_a_video_story_does_not(client, media_root):
    audio_story, _ = transcribed(kind="audio")
    assert soup_of(client, audio_story).select_one("[data-captions-for]") is not None
    video_story, _ = transcribed(kind="video")
    assert soup_of(client, video_story).select_one("[data-captions-for]") is None


def test_a_moment_can_be_shared_only_where_the_teller_agreed_to_public_display(
    client, media_root, django_user_model
):
    public_story, _ = transcribed()
    assert soup_of(client, public_story).select_one("[data-shareable] .transcript__share")

    # An editor (who moderates) sees a story its teller kept off the public website, but a link to a
    # moment in it would lead nobody anywhere, and share what was not agreed.
    private_story, _ = transcribed(story_consent={"uses": ["training", "reports"]})
    client.force_login(make_user(django_user_model, "editor"))
    page = soup_of(client, private_story)
    assert page.select_one(".transcript") is not None
    assert page.select_one("[data-shareable]") is None
    assert page.select_one(".transcript__share") is None
