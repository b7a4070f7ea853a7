"""Serve a private file with HTTP Range support (206), so players can seek.

In production the bytes can be handed to the web server instead (MEDIA_ACCEL):
nginx with X-Accel-Redirect or Apache with X-Sendfile; the consent check has
already been made by then."""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterator
from typing import BinaryIO, Literal

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024

# (first, last) byte, inclusive; "invalid" is answered 416; None means the whole file.
ByteRange = tuple[int, int] | Literal["invalid"] | None


class _RangeFile:
    """Iterates over [start, end] of a file, closing it at the end."""

    def __init__(self, handle: BinaryIO, start: int, length: int) -> None:
        self.handle, self.remaining = handle, length
        handle.seek(start)

    def __iter__(self) -> Iterator[bytes]:
        while self.remaining > 0:
            data = self.handle.read(min(CHUNK, self.remaining))
            if not data:
                break
            self.remaining -= len(data)
            yield data

    def close(self) -> None:
        self.handle.close()


def _parse_range(header: str, size: int) -> ByteRange:
    """Return (start, end) inclusive, None for no/ignorable range, or 'invalid'."""
    if "," in header:
        return None  # several ranges: the whole file is a valid answer; players never ask
    match = RANGE_RE.match(header.strip()) if header else None
    if not match or size == 0:
        return None if not header else ("invalid" if header.startswith("bytes=") else None)
    first, last = match.groups()
    if first == "" and last == "":
        return "invalid"
    if first == "":  # suffix range: the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start > end or start >= size:
        return "invalid"
    return start, end


def serve_file(
    request: HttpRequest,
    field_file: FieldFile,
    content_type: str | None = None,
    download_name: str | None = None,
) -> HttpResponseBase:
    path = field_file.path
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise Http404 from None  # e.g. removed by a withdrawal while the row was being read
    content_type = content_type or mimetypes.guess_type(path)[0] or "application/octet-stream"

    if settings.MEDIA_ACCEL:
        return _private(_handed_to_web_server(path, content_type))
    byte_range = _parse_range(request.headers.get("Range", ""), size)
    if byte_range == "invalid":
        response: HttpResponseBase = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _private(response)
    response = _bytes_response(request, path, size, content_type, byte_range)
    response["Accept-Ranges"] = "bytes"
    if download_name:
        response["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return _private(response)


def _handed_to_web_server(path: str, content_type: str) -> HttpResponse:
    """An empty response whose header tells nginx or Apache which file to send."""
    response = HttpResponse(content_type=content_type)
    relative = os.path.relpath(path, settings.MEDIA_ROOT)
    if settings.MEDIA_ACCEL == "nginx":
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + relative
    else:
        response["X-Sendfile"] = path
    return response


def _bytes_response(
    request: HttpRequest,
    path: str,
    size: int,
    content_type: str,
    byte_range: tuple[int, int] | None,
) -> HttpResponseBase:
    """The whole file (200), one range of it (206), or for HEAD their headers alone."""
    if request.method == "HEAD":
        return _headers_only(size, content_type, byte_range)
    if byte_range is None:
        whole = FileResponse(open(path, "rb"), content_type=content_type)
        whole["Content-Length"] = str(size)
        return whole
    start, end = byte_range
    length = end - start + 1
    part = FileResponse(
        _RangeFile(open(path, "rb"), start, length), content_type=content_type, status=206
    )
    part["Content-Length"] = str(length)
    part["Content-Range"] = f"bytes {start}-{end}/{size}"
    return part


def _headers_only(size: int, content_type: str, byte_range: tuple[int, int] | None) -> HttpResponse:
    # Not every WSGI server drops a body for HEAD, and opening the file just to discard it
    # would waste a file handle.
    response = HttpResponse(content_type=content_type, status=206 if byte_range else 200)
    start, end = byte_range or (0, size - 1)
    response["Content-Length"] = str(end - start + 1 if size else 0)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def _private(response: HttpResponseBase) -> HttpResponseBase:
    # Consent can be withdrawn at any moment: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
