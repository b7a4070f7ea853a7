"""Withdrawing a story deletes its transcripts, segments, words, corrections, redactions
and redacted renditions: the registered withdrawal step reaches every copy."""

import os

import pytest

from consent.withdrawal import Scope, registered_steps
from tests.transcription.conftest import SENTENCES, speech, transcribed_story
from transcription.corrections import redact
from transcription.models import RedactedRendition, Segment, Transcript, Word

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
STEP = "delete transcripts, captions and redacted renditions"


def test_the_step_is_registered():
    assert STEP in [step.name for step in registered_steps()]


def test_withdrawal_forgets_every_transcription_copy(
    whisper_models,
    media_root,
    client,
    django_capture_on_commit_callbacks,
):
    page, recording, transcript = transcribed_story(speech(SENTENCES, gap=0.8, suffix=".mp3"))
    with django_capture_on_commit_callbacks(execute=True):
        redact(transcript.segments.first(), "Liverpool")
    rendition_path = RedactedRendition.objects.get(recording=recording).file.path
    step = next(step for step in registered_steps() if step.name == STEP)
    full = Scope(kind="full", story_id=page.pk, consent_record_id=0)
    step.run(page, full)
    step.run(page, full)  # idempotent: an interrupted withdrawal runs again
    assert not Transcript.objects.exists() and not Segment.objects.exists()
    assert not Word.objects.exists() and not RedactedRendition.objects.exists()
    assert not os.path.exists(rendition_path)
    assert client.get(f"/recordings/{recording.key}/captions/transcribe.vtt").status_code == 404


def test_narrowing_uses_keeps_the_transcript(whisper_models, media_root):
    """A partial withdrawal (fewer uses, or anonymous) keeps the recording, so its transcript."""
    page, _, _ = transcribed_story(speech(SENTENCES[:1], gap=0.5, suffix=".mp3"))
    step = next(step for step in registered_steps() if step.name == STEP)
    step.run(
        page, Scope(kind="uses", story_id=page.pk, consent_record_id=0, uses_removed=["training"])
    )
    assert Transcript.objects.exists() and Segment.objects.exists()
