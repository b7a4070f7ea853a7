"""The public note above a transcript tells the truth (issue 14): machine words nobody has
checked say so; corrections in part say so; only a transcript an editor marked as checked
says "checked by the archive team" with the date, until the engine writes new words."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_story
from transcription.engines.base import SegmentResult, TranscriptResult, WordResult
from transcription.models import Transcript
from transcription.running import save_result

pytestmark = pytest.mark.django_db

UNCHECKED = "Machine transcript, not yet checked by the archive team"
IN_PART = "partly corrected by the archive team and not yet checked in full"


def machine_words(*texts):
    segments = [
        SegmentResult(
            i * 5.0,
            i * 5.0 + 4.0,
            text,
            [
                WordResult(i * 5.0 + j * 0.5, i * 5.0 + j * 0.5 + 0.4, w, 0.9)
                for j, w in enumerate(text.split())
            ],
        )
        for i, text in enumerate(texts)
    ]
    return TranscriptResult("faster-whisper", "base", "en", "transcribe", 20.0, segments)


@pytest.fixture
def story(media_root, settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False
    story = make_story(recording="audio")
    recording = story.story_recordings.get().recording
    transcript = Transcript.objects.create(recording=recording)
    save_result(transcript, machine_words("We moved here in spring.", "Nobody spoke to us."), "x")
    return story, Transcript.objects.get(pk=transcript.pk)


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    user.first_name, user.last_name = "Esi", "Mensah"
    user.save()
    return user


def note(client, story):
    html = client.get(story.url).content.decode()
    return html.split('class="govuk-body-s transcript__note">', 1)[1].split("</p>", 1)[0]


def test_machine_words_nobody_checked_say_so(client, story):
    page, _ = story
    assert note(client, page).startswith(UNCHECKED)
    assert "checked by the archive team on" not in note(client, page)


def test_a_correction_in_part_says_so(client, story, editor):
    page, transcript = story
    segment = transcript.segments.first()
    client.force_login(editor)
    client.post(
        f"/admin/segments/edit/{segment.pk}/",
        {"start": segment.start, "end": segment.end, "speaker": "", "text": "We came in spring."},
    )
    client.logout()
    assert IN_PART in note(client, page)


def test_an_editor_marks_it_checked_and_the_public_sees_the_date(client, story, editor):
    page, transcript = story
    client.force_login(editor)
    listing = client.get(reverse("transcripts:index")).content.decode()
    assert "Mark as checked" in listing
    response = client.post(reverse("transcription_checked", args=[transcript.pk]))
    assert response.status_code == 302
    assert "Esi Mensah" in client.get(reverse("transcripts:index")).content.decode()
    client.logout()
    today = timezone.now()
    assert note(client, page).startswith(
        f"Transcribed by machine and checked by the archive team on {today:%-d %B %Y}."
    )


def test_new_machine_words_undo_the_check(client, story, editor):
    page, transcript = story
    client.force_login(editor)
    client.post(reverse("transcription_checked", args=[transcript.pk]))
    save_result(transcript, machine_words("A new run with other words.", "And more."), "y")
    client.logout()
    assert note(client, page).startswith(UNCHECKED)


def test_only_editors_may_mark_a_transcript_checked(client, story, django_user_model):
    _page, transcript = story
    client.force_login(django_user_model.objects.create_user("someone", password="pw"))
    assert client.post(reverse("transcription_checked", args=[transcript.pk])).status_code in (
        302,
        403,
    )
    transcript.refresh_from_db()
    assert transcript.checked_at is None
    assert client.get(reverse("transcription_checked", args=[transcript.pk])).status_code != 200
