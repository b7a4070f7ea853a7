"""A real worker killed with kill -9 in the middle of a conversion (issue 10, point 10):
its job is left "running", the recording "processing" and a .partial-* file on disk. What
`make run` does before it starts the next worker (`manage.py resume_jobs --all`) marks the
job failed with its reason, removes the half-made file and queues the rendition again, and
the next worker makes it: the recording ends ready with no half-made files left.

The worker runs in its own process on the test's database: on PostgreSQL the test database
itself; on SQLite (in memory in tests) a copy in a file, copied back to be checked."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from archive.models import Recording, RenditionStatus
from tests.factories import make_media_file, make_recording

ROOT = Path(__file__).resolve().parents[2]
# serialized_rollback, as the other tests that commit: the next one finds the database as it was.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class WorkerDatabase:
    """Where a worker process finds the test's data, and how to see what it wrote."""

    def __init__(self, folder):
        self.file = folder / "worker.sqlite3" if connection.vendor == "sqlite" else None

    @property
    def url(self):
        if self.file:
            return f"sqlite:///{self.file}"
        s = connection.settings_dict
        return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"

    def share(self):
        """Make what this test wrote visible to the worker."""
        if self.file:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)

    def collect(self):
        """Make what the worker wrote visible to this test."""
        if self.file:
            with sqlite3.connect(self.file) as source:
                source.backup(connection.connection)


def manage(database, media_root, *args, **popen):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.archive.worker_settings",
        "DATABASE_URL": database.url,
        "WORKER_MEDIA_ROOT": str(media_root),
    }
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, **popen)


def partials(root):
    return sorted(p.name for p in Path(root).rglob(".partial-*"))


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def renditions():
    return DBTaskResult.objects.filter(task_path="archive.tasks.make_rendition")


def growing_partial(root):
    return any(p.stat().st_size > 0 for p in Path(root).rglob(".partial-*.mp4"))


def test_a_worker_killed_mid_conversion_is_resumed_to_ready(media_root, settings, tmp_path, ffmpeg):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    source = make_media_file("video", seconds=60, size="640x480")
    recording = make_recording(source, ready=False)  # queued as a job row, not run
    assert renditions().get().status == TaskResultStatus.READY
    database = WorkerDatabase(tmp_path)
    database.share()

    worker = manage(database, media_root, "db_worker", "--no-reload", "--no-startup-delay",
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(lambda: growing_partial(media_root), 120, "the conversion to start")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # kill -9, mid-conversion
        worker.wait()
    time.sleep(0.5)  # its ffmpeg dies with it (limited_run.py), leaving the partial file

    database.collect()
    recording.refresh_from_db()
    assert recording.rendition_status == RenditionStatus.PROCESSING
    assert renditions().get().status == TaskResultStatus.RUNNING
    left = partials(media_root)
    assert left, "the killed conversion should have left a half-made file"
    sizes = [p.stat().st_size for p in Path(media_root).rglob(".partial-*")]
    time.sleep(1)
    assert sizes == [p.stat().st_size for p in Path(media_root).rglob(".partial-*")], (
        "ffmpeg kept writing after its worker was killed"
    )

    # What `make run` does next: resume, then start a worker (here, until the queue is empty).
    for args in (["resume_jobs", "--all"], ["db_worker", "--batch", "--no-startup-delay"]):
        done = manage(database, media_root, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = done.communicate(timeout=600)
        assert done.returncode == 0, err.decode()
    database.collect()

    recording.refresh_from_db()
    assert recording.rendition_status == RenditionStatus.READY
    assert os.path.getsize(recording.rendition.path) > 0
    assert partials(media_root) == []
    killed = renditions().get(status=TaskResultStatus.FAILED)
    assert "The worker stopped while this job was running" in killed.traceback
    assert renditions().filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
    assert Recording.objects.count() == 1
