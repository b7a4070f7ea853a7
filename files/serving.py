"""Serve a private file with HTTP Range support (206), so players can seek.

In production the bytes can be handed to the web server instead (MEDIA_ACCEL):
nginx with X-Accel-Redirect or Apache with X-Sendfile; the consent check has
already been made by then."""

import mimetypes
import os
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


class _RangeFile:
    """Iterates over [start, end] of a file, closing it at the end."""

    def __init__(self, handle, start, length):
        self.handle, self.remaining = handle, length
        handle.seek(start)

    def __iter__(self):
        while self.remaining > 0:
            data = self.handle.read(min(CHUNK, self.remaining))
            if not data:
                break
            self.remaining -= len(data)
            yield data

    def close(self):
        self.handle.close()


def _parse_range(header, size):
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


def serve_file(request, field_file, content_type=None, download_name=None):
    path = field_file.path
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise Http404 from None  # e.g. removed by a withdrawal while the row was being read
    content_type = content_type or mimetypes.guess_type(path)[0] or "application/octet-stream"

    if settings.MEDIA_ACCEL:
        response = HttpResponse(content_type=content_type)
        relative = os.path.relpath(path, settings.MEDIA_ROOT)
        if settings.MEDIA_ACCEL == "nginx":
            response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + relative
        else:
            response["X-Sendfile"] = path
        return _private(response)

    byte_range = _parse_range(request.headers.get("Range", ""), size)
    if byte_range == "invalid":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _private(response)
    if request.method == "HEAD":
        # Headers only. Not every WSGI server drops a body for HEAD, and opening the file
        # just to discard it would waste a file handle.
        response = HttpResponse(content_type=content_type, status=206 if byte_range else 200)
        start, end = byte_range or (0, size - 1)
        response["Content-Length"] = str(end - start + 1 if size else 0)
        if byte_range:
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
    elif byte_range is None:
        response = FileResponse(open(path, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = byte_range
        length = end - start + 1
        response = FileResponse(
            _RangeFile(open(path, "rb"), start, length), content_type=content_type, status=206
        )
        response["Content-Length"] = str(length)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    if download_name:
        response["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return _private(response)


def _private(response):
    # Consent can be withdrawn at any moment: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
