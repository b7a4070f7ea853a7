"""Publishing queues a transcription; the task stores segments and words with times, the
detected language and the recording's version; it is idempotent, retryable, keeps human
corrections, and a failure leaves the previous transcript whole with the reason shown."""

import hashlib

import pytest

from tests.factories import make_recording, make_story
from tests.transcription.conftest import SENTENCES, speech
from transcription.accuracy import word_error_rate as wer
from transcription.corrections import correct_segment
from transcription.models import Segment, Status, Task, Transcript
from transcription.tasks import queue_transcription, transcribe_recording

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def recording(fast_engine, media_root):
    return make_recording(speech(SENTENCES, gap=0.8, suffix=".mp3"), title="Spoken")


def transcript_of(recording, task=Task.TRANSCRIBE):
    return Transcript.objects.get(recording=recording, task=task)


def test_task_stores_segments_words_language_and_version(recording):
    transcribe_recording.call(recording.pk)
    transcript = transcript_of(recording)
    assert transcript.status == Status.DONE and transcript.progress == 1.0
    assert transcript.language == "en" and transcript.model == "tiny.en"
    with recording.file.open("rb") as handle:
        assert transcript.recording_checksum == hashlib.sha256(handle.read()).hexdigest()
    text = " ".join(transcript.segments.values_list("text", flat=True))
    assert wer(" ".join(SENTENCES), text) <= 0.3, text
    for segment in transcript.segments.all():
        words = list(segment.words.all())
        assert words and segment.start <= words[0].start <= words[-1].end <= segment.end + 0.5
        assert all(0 <= w.probability <= 1 for w in words)


def test_running_again_is_idempotent(recording):
    transcribe_recording.call(recording.pk)
    before = list(transcript_of(recording).segments.values_list("start", "end", "text"))
    assert queue_transcription(recording) is None  # same file: nothing to do
    transcribe_recording.call(recording.pk)
    assert list(transcript_of(recording).segments.values_list("start", "end", "text")) == before
    assert Transcript.objects.filter(recording=recording).count() == 1


def test_a_rerun_never_overwrites_a_corrected_segment(recording, django_user_model):
    transcribe_recording.call(recording.pk)
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    first = transcript_of(recording).segments.first()
    correct_segment(first, editor, text="My family moved to Liverpool in 1962.", speaker="Ada")
    transcribe_recording.call(recording.pk)
    segments = list(transcript_of(recording).segments.all())
    assert segments[0].text == "My family moved to Liverpool in 1962." and segments[0].corrected
    assert segments[0].speaker == "Ada"
    assert sum("seven" in s.text.lower() or " 7 " in f" {s.text} " for s in segments) == 0
    assert first.revisions.get().text != first.text.replace("", "")  # the machine text is kept
    assert all(s.start >= segments[0].end - 0.2 for s in segments[1:])


def test_a_failed_run_keeps_the_previous_transcript_and_says_why(recording):
    transcribe_recording.call(recording.pk)
    count = Segment.objects.filter(transcript__recording=recording).count()
    recording.file.storage.delete(recording.file.name)  # the original went missing
    result = transcribe_recording.enqueue(recording.pk)
    assert result.status == "FAILED"
    transcript = transcript_of(recording)
    assert transcript.status == Status.FAILED and "FileNotFoundError" in transcript.error
    assert Segment.objects.filter(transcript__recording=recording).count() == count


def test_publishing_a_story_queues_its_recordings(
    recording, settings, django_capture_on_commit_callbacks
):
    settings.TRANSCRIPTION_AUTO_QUEUE = True
    story = make_story(recording=recording)
    assert not Transcript.objects.filter(recording=recording).exists()
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    assert transcript_of(recording).status == Status.DONE


def test_editors_see_status_and_can_run_again(recording, client, django_user_model):
    transcribe_recording.call(recording.pk)
    Transcript.objects.filter(recording=recording).update(
        status=Status.FAILED, error="Boom: disk full"
    )
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    listing = client.get("/admin/transcripts/").content.decode()
    assert "Spoken" in listing and "Failed" in listing and "Boom: disk full" in listing
    transcript = transcript_of(recording)
    response = client.post(f"/admin/transcription/retry/{transcript.pk}/")
    assert response.status_code == 302
    transcript.refresh_from_db()
    assert transcript.status in (Status.QUEUED, Status.DONE)


def test_a_job_cut_off_by_a_stopped_worker_is_shown_and_resumed(
    recording, client, django_user_model, django_capture_on_commit_callbacks
):
    """A worker killed mid-job leaves the transcript marked running with no progress: editors
    see that it stopped, and the next worker start (or the command) runs it again."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    transcribe_recording.call(recording.pk)
    before = list(transcript_of(recording).segments.values_list("text", flat=True))
    Transcript.objects.filter(recording=recording).update(
        status=Status.RUNNING, progress=0.4, updated_at=timezone.now() - timedelta(minutes=30)
    )
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    assert "Stopped part-way: run it again" in client.get("/admin/transcripts/").content.decode()
    assert list(transcript_of(recording).segments.values_list("text", flat=True)) == before

    with django_capture_on_commit_callbacks(execute=True):  # tasks run inline in tests
        call_command("resume_transcriptions")
    transcript = transcript_of(recording)
    assert transcript.status == Status.DONE and transcript.progress == 1.0
    assert list(transcript.segments.values_list("text", flat=True)) == before


def test_a_job_still_making_progress_is_left_alone(recording):
    from django.core.management import call_command
    from django.utils import timezone

    transcribe_recording.call(recording.pk)
    Transcript.objects.filter(recording=recording).update(
        status=Status.RUNNING, updated_at=timezone.now()
    )
    call_command("resume_transcriptions")
    assert transcript_of(recording).status == Status.RUNNING
    assert transcript_of(recording).state == "Running"


def test_an_upload_is_transcribed_once_its_rendition_is_ready(
    fast_engine,
    media_root,
    settings,
    django_capture_on_commit_callbacks,
):
    from archive.tasks import make_rendition

    settings.TRANSCRIPTION_AUTO_QUEUE = True
    recording = make_recording(speech(SENTENCES[0], suffix=".mp3"), ready=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_rendition.enqueue(recording.pk)
    transcript = transcript_of(recording)
    assert transcript.status == Status.DONE
    assert "Liverpool" in " ".join(transcript.segments.values_list("text", flat=True))
