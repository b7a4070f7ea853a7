"""A recording in another language gets its language detected and stored, and an English
translation (Whisper's translate task, multilingual base) as a second caption track,
marked as machine translation."""

import pytest

from tests.factories import make_recording, make_story
from tests.transcription.conftest import speech
from transcription.models import Status, Task, Transcript
from transcription.tasks import transcribe_recording

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
SPANISH = "Mi familia llegó a Liverpool cuando yo tenía siete años."


def test_spanish_speech_gets_an_english_machine_translation_track(
    whisper_models,
    media_root,
    client,
    django_capture_on_commit_callbacks,
):
    recording = make_recording(speech(SPANISH, voice="es", speed=130, suffix=".mp3"), language="es")
    story = make_story(recording=recording)
    with django_capture_on_commit_callbacks(execute=True):
        transcribe_recording.call(recording.pk)
    original = Transcript.objects.get(recording=recording, task=Task.TRANSCRIBE)
    translation = Transcript.objects.get(recording=recording, task=Task.TRANSLATE)
    assert original.language == "es" and original.model == "base"
    assert translation.status == Status.DONE
    english = " ".join(translation.segments.values_list("text", flat=True)).lower()
    assert "family" in english and "years" in english, english
    html = client.get(story.url).content.decode()
    assert 'srclang="es" label="Spanish" default>' in html or 'srclang="es"' in html
    assert (
        f'<track kind="captions" src="/recordings/{recording.key}/captions/translate.vtt" '
        'srclang="en" label="English (machine translation)">'
    ) in html
