"""Jobs a stopped worker left half-done are resumed, or failed with a plain reason (issue 10).

django-tasks-db marks a job RUNNING when a worker takes it, and nothing marks it again if
that worker is killed part-way (kill -9, a crash, a power cut): the row stays RUNNING for
ever, a rendition's recording stays "processing", and a .partial-* file stays beside the
renditions. resume_interrupted_jobs() finds all three:

- every task row left RUNNING is marked failed, with the reason, so no job looks alive;
- recordings stuck "processing" (or queued with no job to make them) have their half-made
  files removed and their rendition queued again;
- jobs an app above archive resumes itself (transcription: its progress is the heartbeat) are
  left to the routine that app registered with register_resumer() from its AppConfig.ready();
- any other job is queued again with the same arguments (every job is safe to re-run).

It runs before the worker starts (scripts/run.sh: `manage.py resume_jobs --all`; with one
worker, whatever is running then is cut off) and can run any time without --all, when only
jobs older than any live one can be (STALLED_AFTER)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Recording, RenditionStatus

logger = logging.getLogger(__name__)

RENDITION_TASK = "archive.tasks.make_rendition"
STOPPED = (
    "The worker stopped while this job was running (it was stopped, killed or crashed). "
    "It has been queued again."
)


class WorkerStopped(Exception):
    """The reason recorded on a job whose worker stopped part-way."""


@dataclass(frozen=True)
class Resumer:
    task_path: str  # its jobs are not queued again here: resume() does it
    resume: Callable[[timedelta], int]  # resume(older_than) -> how many were queued again


# Filled by apps above archive, which know better than archive whether their job is alive.
_resumers: dict[str, Resumer] = {}


def register_resumer(kind: str, task_path: str, resume: Callable[[timedelta], int]) -> None:
    """Jobs of `task_path` are resumed by `resume(older_than)`, counted as `kind`."""
    _resumers[kind] = Resumer(task_path, resume)


def stalled_after() -> timedelta:
    # A live rendition runs two ffmpeg steps, each stopped at MEDIA_RENDITION_TIMEOUT.
    return timedelta(seconds=2 * settings.MEDIA_RENDITION_TIMEOUT + 600)


def resume_interrupted_jobs(older_than: timedelta | None = None) -> dict[str, int]:
    """Resume everything a stopped worker left; returns {kind: count}."""
    older_than = stalled_after() if older_than is None else older_than
    failed = fail_interrupted_tasks(older_than)
    resumed_elsewhere = {resumer.task_path for resumer in _resumers.values()} | {RENDITION_TASK}
    requeued = 0
    for row in failed:
        if row.task_path not in resumed_elsewhere:
            row.task.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
            requeued += 1
    counts = {"stopped jobs": len(failed), "renditions": resume_renditions(older_than)}
    counts.update({kind: resumer.resume(older_than) for kind, resumer in _resumers.items()})
    return {**counts, "other jobs": requeued}


def fail_interrupted_tasks(older_than: timedelta) -> list[DBTaskResult[Any, Any]]:
    """Mark task rows left RUNNING by a stopped worker as failed, with the reason."""
    cutoff = timezone.now() - older_than
    rows = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff)
    )
    for row in rows:
        row.set_failed(WorkerStopped(STOPPED))
        logger.warning("Job %s (%s) was cut off by a stopped worker", row.id, row.task_path)
    return rows


def resume_renditions(older_than: timedelta) -> int:
    """Queue again every rendition no live job is making; sweep half-made files first."""
    from .tasks import make_rendition

    sweep_partials(older_than.total_seconds())
    stuck = Recording.objects.filter(
        rendition_status__in=[RenditionStatus.PROCESSING, RenditionStatus.PENDING]
    ).exclude(pk__in=_recordings_with_live_jobs())
    count = 0
    for recording_id in stuck.values_list("pk", flat=True):
        Recording.objects.filter(pk=recording_id).update(
            rendition_status=RenditionStatus.PENDING, rendition_error=""
        )
        make_rendition.enqueue(recording_id)
        count += 1
    return count


def _recordings_with_live_jobs() -> list[Any]:
    """Recordings whose rendition job is waiting or (after fail_interrupted_tasks) running."""
    rows = DBTaskResult.objects.filter(
        task_path=RENDITION_TASK,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    return [_recording_id(args_kwargs) for args_kwargs in rows]


def _recording_id(args_kwargs: dict[str, Any]) -> Any:
    args, kwargs = args_kwargs.get("args") or [], args_kwargs.get("kwargs") or {}
    return args[0] if args else kwargs.get("recording_id")


def sweep_partials(older_than_seconds: float) -> int:
    """Remove half-made outputs (.partial-*) older than `older_than_seconds`: a live job's
    own are newer than the longest a job can run."""
    cutoff = time.time() - older_than_seconds
    swept = 0
    for folder in ("renditions", "posters"):
        for partial in Path(settings.MEDIA_ROOT, folder).glob(".partial-*"):
            if partial.stat().st_mtime <= cutoff:
                partial.unlink(missing_ok=True)
                swept += 1
    return swept
