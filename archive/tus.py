"""The tus 1.0.0 resumable upload protocol (https://tus.io/protocols/resumable-upload), core
plus the creation and termination extensions, for the contribution form's uploads.

Why not django-tus 0.5.0 (PyPI): it keeps offsets in Django's cache (lost on a restart,
and per process with the local-memory cache), reads each chunk whole into memory, leaves
the size limit as a TODO, ties an upload to nobody (any client that learns an id may write
to it) and has no termination. This module is the protocol's small core over
archive.staged_uploads, which keeps uploads private, per session and within the limits.
Its tests drive it with tuspy, a real tus client.

Requests keep Django's CSRF check: the browser sends the form's token as X-CSRFToken."""

import base64
import binascii

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from consent.ratelimits import too_many_requests

from . import staged_uploads
from .staged_uploads import StagingRefused

VERSION = "1.0.0"
EXTENSIONS = "creation,termination"


def _tus_response(status: int, text: str = "", **headers: str) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _refused(refusal: StagingRefused) -> HttpResponse:
    return _tus_response(refusal.status, refusal.message)


def _metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64value` pairs."""
    values = {}
    for pair in header.split(","):
        key, _, encoded = pair.strip().partition(" ")
        try:
            values[key] = base64.b64decode(encoded, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            values[key] = ""
    return values


def _options() -> HttpResponse:
    limit = str(settings.RECORDING_MAX_BYTES)
    return _tus_response(204, Tus_Version=VERSION, Tus_Extension=EXTENSIONS, Tus_Max_Size=limit)


def _version_refused(request: HttpRequest) -> HttpResponse | None:
    if request.headers.get("Tus-Resumable") != VERSION:
        return _tus_response(412, "This upload needs tus 1.0.0.", Tus_Version=VERSION)
    return None


def _upload_rate(group, request):
    return getattr(settings, "STAGED_UPLOAD_RATE", "60/h")


@never_cache
@ratelimit(key="ip", rate=_upload_rate, method="POST", block=False)
def uploads(request: HttpRequest) -> HttpResponse:
    """Creation: POST with Upload-Length (and Upload-Metadata filename, filetype)."""
    if request.method == "OPTIONS":
        return _options()
    if request.method != "POST":
        return _tus_response(405, "Not allowed.", Allow="OPTIONS, POST")
    if refused := _version_refused(request):
        return refused
    if getattr(request, "limited", False):
        return too_many_requests(request)
    try:
        length = int(request.headers.get("Upload-Length", ""))
    except ValueError:
        return _tus_response(400, "Upload-Length is needed (deferred length is not supported).")
    metadata = _metadata(request.headers.get("Upload-Metadata", ""))
    name = metadata.get("filename") or metadata.get("name") or "recording"
    content_type = metadata.get("filetype") or metadata.get("type") or ""
    try:
        upload = staged_uploads.create(request.session, length, name, content_type)
    except StagingRefused as refusal:
        return _refused(refusal)
    location = request.build_absolute_uri(reverse("archive:staged_upload", args=[upload.id]))
    return _tus_response(201, Location=location, Upload_Offset="0")


@never_cache
def upload(request: HttpRequest, upload_id: str) -> HttpResponse:
    """HEAD (where it got to), PATCH (the next chunk), DELETE (termination)."""
    if request.method == "OPTIONS":
        return _options()
    if refused := _version_refused(request):
        return refused
    staged = staged_uploads.get(request.session, upload_id)
    if staged is None:
        # Unknown, expired, or another session's: the same answer for each.
        return _tus_response(404, "This upload is not here any more. Choose your recording again.")
    if request.method == "HEAD":
        return _tus_response(
            200, Upload_Offset=str(staged.offset), Upload_Length=str(staged.length)
        )
    if request.method == "PATCH":
        return _patch(request, staged)
    if request.method == "DELETE":
        staged.delete()
        return _tus_response(204)
    return _tus_response(405, "Not allowed.", Allow="OPTIONS, HEAD, PATCH, DELETE")


def _patch(request: HttpRequest, staged: staged_uploads.StagedUpload) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return _tus_response(415, "Chunks are sent as application/offset+octet-stream.")
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
        declared = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return _tus_response(400, "Upload-Offset and Content-Length are needed.")
    try:
        new_offset = staged_uploads.write(staged, offset, request, declared)
    except StagingRefused as refusal:
        return _refused(refusal)
    return _tus_response(204, Upload_Offset=str(new_offset))
