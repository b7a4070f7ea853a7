"""archive knows nothing of transcription, yet both work together: archive's rendition_finished
signal queues a recording's transcript exactly once, and archive serves the public the
redacted rendition through the public-file registry transcription fills."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from archive.models import Recording, StoryRecording
from archive.public_files import public_file
from archive.signals import rendition_finished
from archive.tasks import make_rendition
from tests.factories import make_recording, make_story
from transcription.models import Redaction, Segment, Status, Transcript
from transcription.redaction import make_redacted_rendition
from transcription.tasks import transcribe_recording

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_jobs(settings):
    """Jobs wait in the database instead of running at once, so they can be counted."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TRANSCRIPTION_AUTO_QUEUE = True
    return lambda: DBTaskResult.objects.filter(task_path=transcribe_recording.module_path)


def test_a_finished_rendition_queues_its_transcription_exactly_once(
    waiting_jobs, media_root, ffmpeg, django_capture_on_commit_callbacks
):
    recording = make_recording("audio", ready=False)  # its rendition job never runs here
    story = make_story()
    StoryRecording.objects.create(story=story, recording=recording)
    with django_capture_on_commit_callbacks(execute=True):
        make_rendition.call(recording.pk)  # the job ends: rendition_finished, ok=True
    recording.refresh_from_db()
    assert recording.is_ready
    assert [job.args_kwargs["args"] for job in waiting_jobs()] == [[recording.pk, "transcribe"]]
    # Every other moment that asks finds it queued already.
    with django_capture_on_commit_callbacks(execute=True):
        rendition_finished.send(sender=Recording, recording=recording, ok=True)
        make_rendition.call(recording.pk)  # already ready: the signal comes again
        story.save_revision().publish()
    assert waiting_jobs().count() == 1
    assert Transcript.objects.get(recording=recording).status == Status.QUEUED


def test_a_failed_rendition_queues_nothing(
    waiting_jobs, media_root, ffmpeg, django_capture_on_commit_callbacks
):
    recording = make_recording("audio", ready=False)
    with django_capture_on_commit_callbacks(execute=True):
        rendition_finished.send(sender=Recording, recording=recording, ok=False)
    assert not waiting_jobs().exists() and not Transcript.objects.exists()


def test_archive_serves_the_redacted_rendition_through_the_registry(media_root, ffmpeg, client):
    recording = make_recording("audio", seconds=3)
    make_story(recording=recording)
    transcript = Transcript.objects.create(recording=recording, status=Status.DONE, language="en")
    segment = Segment.objects.create(transcript=transcript, start=1.0, end=2.0, text="Ada Okafor")
    Redaction.objects.create(segment=segment, phrase="Okafor", start=1.2, end=1.9)
    stream = reverse("archive:recording", args=[recording.key, "stream"])
    # Until the silenced copy is made, the public is served nothing (never the voice).
    assert public_file(recording) is None
    assert client.get(stream).status_code == 404

    redacted = make_redacted_rendition(recording)
    assert public_file(recording) == redacted.file
    served = b"".join(client.get(stream).streaming_content)
    with redacted.file.open("rb") as handle:
        assert served == handle.read()
    with recording.rendition.open("rb") as handle:
        assert served != handle.read()


def test_resume_jobs_leaves_a_stopped_transcription_to_transcription_once(
    waiting_jobs, media_root, ffmpeg, django_capture_on_commit_callbacks
):
    """archive.recovery knows no transcription: the resumer transcription registered queues
    the job again (its progress says it stopped), and archive does not queue it a second time."""
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    recording = make_recording("audio")
    with django_capture_on_commit_callbacks(execute=True):
        transcribe_recording.enqueue(recording.pk, "transcribe")
    job = waiting_jobs().get()
    job.claim("worker-that-died")
    long_ago = timezone.now() - timedelta(days=1)
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=long_ago)
    # The transcript the dead worker was writing: no progress since it died.
    Transcript.objects.update_or_create(recording=recording, task="transcribe")
    Transcript.objects.filter(recording=recording).update(
        status=Status.RUNNING, updated_at=long_ago
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_jobs", stdout=out)
    assert "1 stopped jobs" in out.getvalue() and "1 transcriptions" in out.getvalue()
    assert "0 other jobs" in out.getvalue()
    assert waiting_jobs().filter(status="READY").count() == 1
    assert Transcript.objects.get(recording=recording).status == Status.QUEUED
