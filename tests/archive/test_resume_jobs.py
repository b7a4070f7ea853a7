"""`manage.py resume_jobs` (archive.recovery): every kind of job a stopped worker left
"running" is failed with a plain reason and queued again, whatever its kind; without --all,
a job that may still be alive is left alone; a recording stuck "processing" with no job loses
its half-made files and is queued again."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from archive.models import RenditionStatus
from tests.factories import make_recording

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def left_running(task, *args, age=timedelta(days=1)):
    """A job a worker took and then died running (kill -9 leaves its row like this)."""
    result = task.enqueue(*args)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - age)
    return row


def resume(*flags):
    out = StringIO()
    call_command("resume_jobs", *flags, stdout=out)
    return out.getvalue()


def test_any_job_left_running_is_failed_plainly_and_queued_again(database_tasks):
    from search.tasks import rebuild_passages

    row = left_running(rebuild_passages, 12345)
    out = resume()
    assert "1 stopped jobs" in out and "1 other jobs" in out
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.traceback.strip().endswith(
        "The worker stopped while this job was running (it was stopped, killed or crashed). "
        "It has been queued again."
    )
    again = DBTaskResult.objects.filter(task_path=row.task_path, status=TaskResultStatus.READY)
    assert [r.args_kwargs["args"] for r in again] == [[12345]]


def test_a_job_that_may_still_be_alive_is_left_alone_unless_all(database_tasks):
    from search.tasks import apply_index_updates

    row = left_running(apply_index_updates, age=timedelta(minutes=5))
    resume()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING
    resume("--all")  # before the one worker starts: nothing can be running
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED


def test_a_recording_stuck_processing_is_swept_and_queued_again(database_tasks, media_root, ffmpeg):
    recording = make_recording("audio", ready=False)
    DBTaskResult.objects.all().delete()  # its job is gone: the worker died with it
    recording.rendition_status = RenditionStatus.PROCESSING
    recording.save()
    (media_root / "renditions").mkdir(exist_ok=True)
    partial = media_root / "renditions" / ".partial-0123abcd.m4a"
    partial.write_bytes(b"half a file")
    os.utime(partial, (0, 0))
    assert "1 renditions" in resume()
    recording.refresh_from_db()
    assert recording.rendition_status == RenditionStatus.PENDING
    assert not partial.exists()
    queued = DBTaskResult.objects.get(task_path="archive.tasks.make_rendition")
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["args"] == [recording.pk]
