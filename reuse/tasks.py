"""Background jobs of reuse (django-tasks, run by `manage.py db_worker`), and queueing them."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from . import clipping, exporting
from .models import Clip, JobStatus, ReelExport


@task()
def cut_clip(clip_id: int) -> str:
    clip = Clip.objects.filter(pk=clip_id).select_related("recording").first()
    if clip is None:
        return "gone"  # removed (or withdrawn) before the worker reached it
    clipping.cut(clip)
    # After any cut waiting behind it: the trainer is waiting for those, not for this.
    make_reel_part.using(priority=-10).enqueue(clip.pk)
    return "ready"


@task()
def make_reel_part(clip_id: int) -> str:
    """Make the clip's part for reels ahead of any export (reuse.exporting)."""
    clip = (
        Clip.objects.filter(pk=clip_id, status=JobStatus.DONE).select_related("recording").first()
    )
    if clip is None:
        return "gone"  # removed, withdrawn or being cut again
    try:
        exporting.prepare_reel_part(clip)
    except exporting.ExportFailed:
        return "failed"  # an export makes it again, and says so if it cannot
    return "ready"


def queue_clip_cut(clip: Clip) -> None:
    """Mark the clip queued and cut it once the surrounding commit lands."""
    Clip.objects.filter(pk=clip.pk).update(status=JobStatus.QUEUED, error="")
    clip.status, clip.error = JobStatus.QUEUED, ""
    transaction.on_commit(lambda: cut_clip.enqueue(clip.pk))


# --- exports


@task()
def export_reel(export_id: int) -> str:
    export = ReelExport.objects.filter(pk=export_id).select_related("reel__owner").first()
    if export is None:
        return "gone"  # removed (or withdrawn) before the worker reached it
    try:
        exporting.export_reel(export)
    except exporting.ExportFailed:
        return "failed"  # the plain reason is on the export, shown to the trainer
    return "ready"


def queue_export(export: ReelExport) -> None:
    """Make the export once the surrounding commit lands."""
    transaction.on_commit(lambda: export_reel.enqueue(export.pk))
