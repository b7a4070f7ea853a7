"""Captions and transcripts reach visitors only through the consent gate: a caption track
on the player (default on, audio too), an interactive transcript on the story page and
downloads as SRT, TXT and JSON."""

import json

import pytest
import webvtt

from tests.transcription.conftest import SENTENCES, speech, transcribed_story
from transcription.accuracy import word_error_rate as wer

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def story(whisper_models, media_root):
    return transcribed_story(speech(SENTENCES, gap=0.8, suffix=".mp3"))


def test_story_page_has_a_default_caption_track_and_the_transcript(story, client):
    page, recording, _ = story
    html = client.get(page.url).content.decode()
    captions_url = f"/recordings/{recording.key}/captions/transcribe.vtt"
    assert (
        f'<track kind="captions" src="{captions_url}" srclang="en" label="English" default>' in html
    )
    assert 'data-transcript-for="player-' in html and "transcription/transcript.js" in html
    assert 'href="#t=0:00"' in html and "Liverpool" in html
    # The transcript is marked with the language Whisper detected, for screen readers.
    assert '<ol class="govuk-list transcript__passages" lang="en">' in html


def test_captions_are_valid_webvtt_with_the_spoken_words(story, client):
    _, recording, _ = story
    response = client.get(f"/recordings/{recording.key}/captions/transcribe.vtt")
    assert response["Content-Type"].startswith("text/vtt")
    cues = webvtt.from_string(response.content.decode())
    assert wer(" ".join(SENTENCES), " ".join(c.text for c in cues)) <= 0.3
    starts = [c.start_in_seconds for c in cues]
    assert starts == sorted(starts) and cues[-1].end_in_seconds <= recording.duration + 1


@pytest.mark.parametrize(
    "fmt, content_type",
    [
        ("srt", "application/x-subrip"),
        ("txt", "text/plain"),
        ("json", "application/json"),
    ],
)
def test_downloads(story, client, fmt, content_type):
    _, recording, _ = story
    response = client.get(f"/recordings/{recording.key}/transcript/transcribe.{fmt}")
    assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="transcript.{fmt}"'
    body = response.content.decode()
    if fmt == "json":
        body = " ".join(s["text"] for s in json.loads(body)["segments"])
    assert "Liverpool" in body


def test_nothing_is_served_for_a_story_that_is_not_public(story, client):
    page, recording, _ = story
    page.unpublish()
    for url in (
        f"/recordings/{recording.key}/captions/transcribe.vtt",
        f"/recordings/{recording.key}/transcript/transcribe.txt",
    ):
        assert client.get(url).status_code == 404


def test_unknown_formats_and_tasks_are_not_found(story, client):
    _, recording, _ = story
    assert client.get(f"/recordings/{recording.key}/transcript/transcribe.doc").status_code == 404
    assert client.get(f"/recordings/{recording.key}/captions/other.vtt").status_code == 404
