"""Withdrawing a story deletes its transcripts, segments, words, corrections, redactions
and redacted renditions: the registered withdrawal step reaches every copy."""

import pytest

from consent.withdrawal import registered_steps
from tests.factories import media_root  # noqa: F401
from tests.transcription.conftest import SENTENCES, speech, transcribed_story
from transcription import services
from transcription.models import RedactedRendition, Segment, Transcript, Word

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
STEP = "delete transcripts, captions and redacted renditions"


def test_the_step_is_registered():
    assert STEP in [step.name for step in registered_steps()]


def test_withdrawal_forgets_every_transcription_copy(
    whisper_models, media_root, client, django_capture_on_commit_callbacks  # noqa: F811
):
    page, recording, transcript = transcribed_story(speech(SENTENCES, gap=0.8, suffix=".mp3"))
    with django_capture_on_commit_callbacks(execute=True):
        services.redact(transcript.segments.first(), "Liverpool")
    rendition_path = RedactedRendition.objects.get(recording=recording).file.path
    step = next(step for step in registered_steps() if step.name == STEP)
    step.run(page, "full")
    step.run(page, "full")  # idempotent: an interrupted withdrawal runs again
    assert not Transcript.objects.exists() and not Segment.objects.exists()
    assert not Word.objects.exists() and not RedactedRendition.objects.exists()
    assert not __import__("os").path.exists(rendition_path)
    assert client.get(f"/recordings/{recording.key}/captions/transcribe.vtt").status_code == 404
