"""Exporting a reel: ask for it, watch it being made, try again, download its files.

Only the reel's owner, the trainers it is shared with, and editors may export or download.
Every download asks the gate again for every clip in the export and is written to the
download audit (ids only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from files.serving import serve_file

from .. import exporting, tasks
from ..models import DownloadKind, JobStatus, Reel, ReelExport

# What can be downloaded: the field, its audit kind, its type and the name it is saved as.
DOWNLOADS = {
    "video": ("video", DownloadKind.REEL_VIDEO, "video/mp4", "reel.mp4"),
    "captions": ("captions", DownloadKind.REEL_CAPTIONS, "text/vtt", "reel.vtt"),
    "pack": ("pack", DownloadKind.TRAINING_PACK, "application/zip", "training-pack.zip"),
}


def _reel_for(request: HttpRequest, pk: int) -> Reel:
    reel = get_object_or_404(Reel, pk=pk)
    if not exporting.may_export(reel, request.user):
        raise Http404  # as if it were not there: reels are private to their trainers
    return reel


def _export_for(request: HttpRequest, pk: int) -> ReelExport:
    export = get_object_or_404(ReelExport.objects.select_related("reel"), pk=pk)
    if not exporting.may_export(export.reel, request.user):
        raise Http404
    return export


@login_required
@require_http_methods(["GET", "POST"])
def export_reel(request: HttpRequest, pk: int) -> HttpResponse:
    reel = _reel_for(request, pk)
    refused = ""
    if request.method == "POST":
        burn = request.POST.get("burn_captions") == "on"
        try:
            export, created = exporting.request_export(reel, request.user, burn)
        except exporting.ExportRefused as error:
            refused = str(error)
        else:
            if created:
                tasks.queue_export(export)
            return redirect("reuse:export", pk=export.pk)
    allowed, left_out = exporting.allowed_clips(reel, request.user)
    context = {
        "reel": reel,
        "clip_count": len(allowed),
        "left_out": left_out,
        "refused": refused,
        "exports": reel.exports.all()[:10],
    }
    return render(request, "reuse/exports/request.html", context, status=400 if refused else 200)


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export_for(request, pk)
    if request.method == "POST" and request.POST.get("action") == "retry":
        if exporting.retry(export):
            tasks.queue_export(export)
        return redirect("reuse:export", pk=export.pk)
    context = {
        "export": export,
        "reel": export.reel,
        "running": export.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "left_out": export.manifest.get("left_out", 0),
        "still_allowed": export.status == JobStatus.DONE
        and exporting.still_allowed(export, request.user),
    }
    return render(request, "reuse/exports/export.html", context)


@login_required
def export_download(request: HttpRequest, pk: int, what: str) -> HttpResponseBase:
    if what not in DOWNLOADS:
        raise Http404
    export = _export_for(request, pk)
    field_name, kind, content_type, name = DOWNLOADS[what]
    field_file = getattr(export, field_name)
    if export.status != JobStatus.DONE or not field_file:
        message = "This export is not ready, so there is nothing to download."
        return _not_ready(request, export, message)
    if not exporting.still_allowed(export, request.user):
        return _not_ready(
            request,
            export,
            "The reel has changed since this export was made: a storyteller's consent no "
            "longer covers one of its clips. Export the reel again.",
        )
    response = serve_file(request, field_file, content_type, download_name=name)
    if _whole_file_asked(request):  # a resumed download's later ranges are the same download
        exporting.record_download(kind, request.user, export)
    return response


def _whole_file_asked(request: HttpRequest) -> bool:
    wanted = request.headers.get("Range", "")
    return request.method != "HEAD" and (not wanted or wanted.startswith("bytes=0-"))


def _not_ready(request: HttpRequest, export: ReelExport, message: str) -> HttpResponse:
    context = {"export": export, "reel": export.reel, "message": message}
    return render(request, "reuse/exports/refused.html", context, status=409)
