""" "Only show the words I said" (transcript-only consent): the public story page shows the
redacted transcript and no player, and the voice, the face and the poster are not served
(issue 10, point 6)."""

import pytest

from archive.models import StoryRecording
from tests.factories import make_recording, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def words_only_story(media_root, ffmpeg, settings):
    from transcription.corrections import redact
    from transcription.models import Segment, Transcript

    settings.TRANSCRIPTION_AUTO_QUEUE = False
    recording = make_recording("video")
    story = make_story(consent={"media_mode": "transcript-only"})
    StoryRecording.objects.create(story=story, recording=recording)
    transcript = Transcript.objects.create(recording=recording, status="done", language="en")
    first = Segment.objects.create(
        transcript=transcript,
        start=0,
        end=4,
        text="My neighbour Bartholomew Quigley shouted at me.",
    )
    Segment.objects.create(
        transcript=transcript, start=4, end=9, text="Nobody on the tram said a word."
    )
    redact(first, "Bartholomew Quigley")
    return story, recording


def test_the_page_shows_the_redacted_words_without_a_player(client, words_only_story):
    story, recording = words_only_story
    html = client.get(story.url).content.decode()
    assert 'data-testid="words-only"' in html
    assert "Nobody on the tram said a word." in html and "[redacted]" in html
    assert "Quigley" not in html and "Bartholomew" not in html  # redacted
    assert "<video" not in html and "<audio" not in html
    assert recording.get_stream_url() not in html and "/poster" not in html
    assert "transcript.js" not in html  # nothing to seek
    assert f"/recordings/{recording.key}/transcript/transcribe.txt" in html


def test_the_voice_face_and_poster_are_not_served(client, words_only_story):
    _story, recording = words_only_story
    for variant in ("stream", "poster"):
        assert client.get(f"/recordings/{recording.key}/{variant}").status_code == 404
    words = client.get(f"/recordings/{recording.key}/transcript/transcribe.txt")
    assert words.status_code == 200 and "Quigley" not in words.content.decode()


def test_voice_and_face_consent_still_gets_the_player(client, media_root, ffmpeg):
    recording = make_recording("audio")
    story = make_story()
    StoryRecording.objects.create(story=story, recording=recording)
    html = client.get(story.url).content.decode()
    assert "<video" in html and recording.get_stream_url() in html
    assert 'data-testid="words-only"' not in html
