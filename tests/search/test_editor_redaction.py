"""Redaction by selected words in the transcript editor, on every search backend (issue 14):
the redacted words leave the index and the words either side stay; removing the redaction
brings the words back."""

import pytest

from search import services
from tests.transcription.test_editor import make_transcript
from transcription import editing

from .helpers import consented_story

pytestmark = pytest.mark.django_db


def hits(query):
    return services.search({"q": query}).total


def test_selected_words_leave_every_index_and_come_back_when_unredacted(
    search_backend, refresh, settings, media_root
):
    from archive.models import Recording, StoryRecording

    settings.TRANSCRIPTION_AUTO_QUEUE = False
    story = consented_story("The corner shop")
    recording = Recording.objects.create(title="Interview", type="audio", duration=4)
    StoryRecording.objects.create(story=story, recording=recording)
    transcript, segment = make_transcript(recording)
    transcript.save()  # finished: passages are built from the transcript
    refresh()
    assert hits("Okafer") == 1
    grace, okafer = segment.words.get(word="Grace"), segment.words.get(word="Okafer")
    redaction = editing.redact_words(grace, okafer, None, "her name")
    refresh()
    assert hits("Okafer") == 0 and hits("Grace") == 0
    assert hits("came") == 1  # the next word is still found
    editing.remove_redaction(redaction)
    refresh()
    assert hits("Okafer") == 1
