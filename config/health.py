"""/healthz and /metrics: for load balancers, monitors and Prometheus (issue 16).

/healthz says whether each part the site needs answers (the database, the media storage,
each search backend, the job queue) and how long each took. It never says anything about
a story. 503 when the site cannot serve (database or storage down); 200 "degraded" when
only search is down, as pages still work and the search page says search is unavailable.

/metrics gives the job queue in Prometheus' text format (prometheus_client). The figures
are read from the database at each scrape, not counted in one process: every web and
worker process shares the one queue, so any of them answers with the same truth."""

from __future__ import annotations

import ipaddress
import math
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from search.health import backends_health

PROBE_FOLDER = "healthz"
WINDOW = timedelta(hours=1)  # failures and durations: the last hour's finished jobs


def _timed(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    began = time.perf_counter()
    try:
        result = check()
    except Exception as error:
        result = {"ok": False, "detail": f"{type(error).__name__}: it did not answer"}
    result["ms"] = round((time.perf_counter() - began) * 1000, 1)
    return result


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "detail": connection.vendor}


def _storage() -> dict[str, Any]:
    """Write, read back and delete a small file where media are kept (a private name)."""
    name = default_storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            ok = handle.read() == b"ok"
    finally:
        default_storage.delete(name)
    return {"ok": ok, "detail": type(default_storage).__name__}


def _search() -> dict[str, Any]:
    backends = backends_health()
    return {
        "ok": all(b.ok for b in backends),
        "detail": "; ".join(f"{b.name}: {b.detail}" for b in backends),
    }


def _queue() -> dict[str, Any]:
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=timezone.now() - WINDOW
    ).count()
    return {
        "ok": True,  # a long queue is slow, not broken: the figures say how slow
        "depth": ready.count(),
        "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        "oldest_waiting_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else 0,
        "failed_last_hour": failed,
    }


CHECKS = {"database": _database, "storage": _storage, "search": _search, "queue": _queue}
ESSENTIAL = ("database", "storage")


@never_cache
@require_safe
def healthz(request):
    checks = {name: _timed(check) for name, check in CHECKS.items()}
    if not all(checks[name]["ok"] for name in ESSENTIAL):
        status, code = "down", 503
    elif not all(check["ok"] for check in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


class QueueCollector(Collector):
    """The job queue as Prometheus gauges, read from the database at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        waiting = GaugeMetricFamily(
            "archive_jobs_waiting", "Jobs queued and not yet started, by task.", labels=["task"]
        )
        running = GaugeMetricFamily(
            "archive_jobs_running", "Jobs running now, by task.", labels=["task"]
        )
        for status, family in (
            (TaskResultStatus.READY, waiting),
            (TaskResultStatus.RUNNING, running),
        ):
            rows = (
                DBTaskResult.objects.filter(status=status)
                .values("task_path")
                .annotate(n=Count("id"))
            )
            for row in rows:
                family.add_metric([row["task_path"]], row["n"])
        yield waiting
        yield running

        oldest = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
            oldest=Min("enqueued_at")
        )["oldest"]
        yield GaugeMetricFamily(
            "archive_jobs_oldest_waiting_seconds",
            "How long the oldest queued job has waited.",
            value=(now - oldest).total_seconds() if oldest else 0,
        )

        finished = DBTaskResult.objects.filter(
            finished_at__gte=now - WINDOW,
            started_at__isnull=False,
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        ).values_list("task_path", "status", "started_at", "finished_at")
        failures = GaugeMetricFamily(
            "archive_job_failures_last_hour",
            "Jobs that failed in the last hour, by task.",
            labels=["task"],
        )
        durations = GaugeMetricFamily(
            "archive_job_duration_seconds_last_hour",
            "Run time of jobs finished in the last hour, by task: median, 95th centile, longest.",
            labels=["task", "quantile"],
        )
        by_task: dict[str, list[float]] = {}
        failed: dict[str, int] = {}
        for path, status, started, ended in finished:
            task = path
            by_task.setdefault(task, []).append((ended - started).total_seconds())
            failed[task] = failed.get(task, 0) + (status == TaskResultStatus.FAILED)
        for task, seconds in sorted(by_task.items()):
            seconds.sort()
            for quantile in ("0.5", "0.95", "1"):
                index = max(0, math.ceil(float(quantile) * len(seconds)) - 1)  # nearest rank
                durations.add_metric([task, quantile], seconds[index])
            failures.add_metric([task], failed[task])
        yield failures
        yield durations


_registry = CollectorRegistry()
_registry.register(QueueCollector())


def _may_scrape(request) -> bool:
    """With METRICS_TOKEN set, a scraper sends it as a bearer token; without one, only a
    scraper on this machine (loopback) may read the figures."""
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return constant_time_compare(sent, token)
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_safe
def metrics(request):
    if not _may_scrape(request):
        return HttpResponseForbidden(
            "Metrics are for the archive's own monitoring.", content_type="text/plain"
        )
    return HttpResponse(generate_latest(_registry), content_type=CONTENT_TYPE_LATEST)
