"""Refuse an over-large recording while it is still arriving.

Django normally writes the whole upload to a temporary file before any form sees it,
so a 4 GB file would fill the disk first and be refused afterwards. This handler stops
writing as soon as the file passes settings.RECORDING_MAX_BYTES, deletes what it had
written, and hands the form a RefusedUpload that carries a plain message instead.

It reads (and discards) the rest of the request rather than resetting the connection:
browsers show a reset as a network error, and the person uploading deserves to see why.

Installed for every upload in settings.FILE_UPLOAD_HANDLERS, so the Wagtail media admin
and the consent portal are both covered.

FileCountLimitHandler, first in that list, does the same for files past the
CONTRIBUTION_MAX_FILES-th in one request (issue 10, point 11): they are read and dropped,
never written to disk, and the form says how many may be sent at once."""

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    StopFutureHandlers,
    TemporaryFileUploadHandler,
)

from .probe import too_large_message

# Room for the other form fields and multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 1024 * 1024


class RefusedUpload(UploadedFile):
    """Stands in for a file that was too large to keep. Empty; `refusal` says why."""

    def __init__(self, name, content_type, size, refusal):
        super().__init__(io.BytesIO(b""), name, content_type, size)
        self.refusal = refusal


def refusal_of(uploaded_file: Any) -> str | None:
    """The plain message if this upload was refused on arrival, else None."""
    return getattr(uploaded_file, "refusal", None)


class RecordingSizeLimitHandler(TemporaryFileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A request that declares itself too big is refused before a byte is written.
        self.declared_length = content_length or 0
        self.request_too_large = (
            self.declared_length > settings.RECORDING_MAX_BYTES + FORM_OVERHEAD_BYTES
        )

    def new_file(self, *args, **kwargs):
        self.refused = getattr(self, "request_too_large", False)
        if self.refused:
            FileUploadHandler.new_file(self, *args, **kwargs)
        else:
            super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        if self.refused:
            return None
        if start + len(raw_data) > settings.RECORDING_MAX_BYTES:
            self._discard()
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        if not self.refused:
            return super().file_complete(file_size)
        size = max(file_size, getattr(self, "declared_length", 0))
        return RefusedUpload(self.file_name, self.content_type, size, too_large_message(size))

    def _discard(self):
        self.refused = True
        self.upload_interrupted()  # closes and deletes the partial temporary file
        del self.file


class FileCountLimitHandler(FileUploadHandler):
    """Keeps the first CONTRIBUTION_MAX_FILES files of a request for the handlers after it;
    each later one becomes an empty RefusedUpload, so nothing of it reaches the disk."""

    def __init__(self, request=None):
        super().__init__(request)
        self.files_seen = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.refused = self.files_seen > settings.CONTRIBUTION_MAX_FILES
        if self.refused:
            raise StopFutureHandlers  # no later handler opens a file for it

    def receive_data_chunk(self, raw_data, start):
        return None if self.refused else raw_data

    def file_complete(self, file_size):
        if not self.refused:
            return None  # the next handler has the file
        limit = settings.CONTRIBUTION_MAX_FILES
        refusal = f"Only {limit} files can be sent at a time. Send this one separately."
        return RefusedUpload(self.file_name, self.content_type, file_size, refusal)
