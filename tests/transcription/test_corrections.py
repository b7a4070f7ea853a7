"""Editors correct a segment's text, timing and speaker in the Wagtail admin; every change
is kept as a version and the public captions show the correction at once."""

import pytest

from tests.transcription.conftest import SENTENCES, speech, transcribed_story

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


@pytest.fixture
def story(whisper_models, media_root):
    return transcribed_story(speech(SENTENCES, gap=0.8, suffix=".mp3"))


def test_an_editor_corrects_text_timing_and_speaker(story, editor_client):
    _, recording, transcript = story
    segment = transcript.segments.first()
    machine_text = segment.text
    response = editor_client.post(
        f"/admin/segments/edit/{segment.pk}/",
        {
            "start": "0.2",
            "end": str(segment.end),
            "speaker": "Ada",
            "text": "My family moved to Liverpool when I was seven.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    segment.refresh_from_db()
    assert segment.corrected and segment.speaker == "Ada" and segment.start == 0.2
    revision = segment.revisions.get()
    assert revision.text == machine_text and revision.changed_by.username == "ed"
    vtt = editor_client.get(f"/recordings/{recording.key}/captions/transcribe.vtt").content.decode()
    assert "when I was seven." in vtt.replace("\n", " ")


def test_every_change_is_a_new_version(story, editor_client):
    _, _, transcript = story
    segment = transcript.segments.first()
    for text in ("First try.", "Second try.", "Third try."):
        editor_client.post(
            f"/admin/segments/edit/{segment.pk}/",
            {
                "start": segment.start,
                "end": segment.end,
                "speaker": "",
                "text": text,
            },
        )
    assert list(segment.revisions.values_list("text", flat=True))[:2] == [
        "Second try.",
        "First try.",
    ]


def test_the_corrections_listing_shows_segments(story, editor_client):
    _, _, transcript = story
    listing = editor_client.get("/admin/segments/").content.decode()
    assert "Liverpool" in listing
