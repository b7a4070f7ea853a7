"""/healthz and /metrics (issue 16): what a load balancer, a monitor and Prometheus read.
Each part is checked for real: the database, the media storage (a file written, read and
deleted), each search backend (an engine on a port where nothing listens is down), and
the job queue; nothing about any story is said."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from config.settings.base import search_backends
from tests.factories import make_story
from tests.test_settings import base_settings

pytestmark = pytest.mark.django_db


def queued(task_path, status=TaskResultStatus.READY, *, ago=0, ran_for=None):
    now = timezone.now()
    result = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        queue_name="default",
        run_after=now,
    )
    started = now - timedelta(seconds=ago + (ran_for or 0)) if ran_for is not None else None
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=now - timedelta(seconds=ago + (ran_for or 0) + 1),
        started_at=started,
        finished_at=now - timedelta(seconds=ago) if ran_for is not None else None,
    )
    return result


def test_healthz_says_every_part_answers_and_nothing_about_stories(client, media_root):
    story = make_story(title="Remark at the ferry terminal")
    queued("archive.tasks.make_rendition")
    queued("archive.tasks.make_rendition")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "storage": True,
        "search": True,
        "queue": True,
    }
    assert body["checks"]["queue"]["depth"] == 2
    assert story.title not in response.content.decode()
    # The storage probe leaves nothing behind.
    assert not list((media_root / "healthz").iterdir())


def test_healthz_is_down_when_media_cannot_be_stored(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["storage"]["ok"] is False
    assert "Traceback" not in response.content.decode()


def test_healthz_is_degraded_not_down_when_the_search_engine_is_down(client, settings, media_root):
    # An engine on a loopback port where nothing listens: pages still work, search says so.
    settings.WAGTAILSEARCH_BACKENDS = search_backends(url="http://127.0.0.1:9")
    settings.SEARCH_TIMEOUT = 1
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["ok"] is False
    assert "does not answer" in body["checks"]["search"]["detail"]


def test_metrics_give_the_queue_in_prometheus_format(client):
    queued("archive.tasks.make_rendition")
    queued("transcription.tasks.transcribe_recording", TaskResultStatus.RUNNING)
    queued("search.tasks.apply_index_updates", TaskResultStatus.SUCCESSFUL, ran_for=2)
    queued("search.tasks.apply_index_updates", TaskResultStatus.FAILED, ran_for=4)
    queued("search.tasks.apply_index_updates", TaskResultStatus.FAILED, ago=7200, ran_for=1)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert 'archive_jobs_waiting{task="archive.tasks.make_rendition"} 1.0' in text
    assert 'archive_jobs_running{task="transcription.tasks.transcribe_recording"} 1.0' in text
    # The last hour only: the failure two hours ago is not counted.
    assert 'archive_job_failures_last_hour{task="search.tasks.apply_index_updates"} 1.0' in text
    durations = "archive_job_duration_seconds_last_hour"
    task = 'task="search.tasks.apply_index_updates"'
    assert f'{durations}{{quantile="0.5",{task}}} 2.0' in text
    assert f'{durations}{{quantile="1",{task}}} 4.0' in text
    assert "archive_jobs_oldest_waiting_seconds" in text


def test_metrics_are_for_loopback_or_the_token_only(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 403  # loopback is not enough with a token
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    allowed = client.get(
        "/metrics", REMOTE_ADDR="10.1.2.3", headers={"Authorization": "Bearer s3cret-token"}
    )
    assert allowed.status_code == 200


def test_the_metrics_token_is_read_from_the_environment():
    env = {**os.environ, "METRICS_TOKEN": "from-env"}
    assert base_settings("METRICS_TOKEN", env=env) == ["from-env"]
