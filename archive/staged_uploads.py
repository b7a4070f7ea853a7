"""Staged uploads (issue 15, "nothing lost"): a recording sent ahead of the form, in chunks
(archive.tus), kept in a private folder until the form is sent or the upload goes stale.

Each upload is a folder MEDIA_ROOT/staged-uploads/<id>/ holding `data` (the bytes so far:
its size is the upload's offset, so a write cut off mid-chunk resumes where it stopped)
and `info.json` (length, file name and type, and whose it is). There is no URL for that
folder: media is private (config.settings), and an upload is only ever read back by the
contribution form of the browser session that made it.

Whose it is: a random uploader token kept in the browser's session (not the session key,
which changes when someone signs in). An id from another session is refused as unknown.

A staged upload nobody finishes is deleted STAGED_UPLOAD_HOURS (default 24) after it was
last written to: clear_stale() runs when a new upload starts and from
`manage.py clear_staged_uploads` (which `manage.py resume_jobs`, run by `make run` and
`make worker`, calls too)."""

from __future__ import annotations

import fcntl
import json
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .probe import too_large_message

SESSION_KEY = "staged_uploader"
ID_BYTES = 16


class StagingRefused(Exception):
    """A staged upload may not be made, written or used; `message` is for the contributor
    and `status` the HTTP status the tus endpoint answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "staged-uploads"


def max_age_seconds() -> float:
    return float(getattr(settings, "STAGED_UPLOAD_HOURS", 24)) * 3600


def uploader_of(session: Any, create: bool = False) -> str | None:
    """The session's uploader token; made (and the session saved) when `create` is set."""
    token = session.get(SESSION_KEY)
    if token is None and create:
        token = secrets.token_hex(16)
        session[SESSION_KEY] = token
    return token


@dataclass
class StagedUpload:
    id: str
    folder: Path
    length: int
    file_name: str
    content_type: str
    uploader: str

    @property
    def data_path(self) -> Path:
        return self.folder / "data"

    @property
    def offset(self) -> int:
        try:
            return self.data_path.stat().st_size
        except FileNotFoundError:
            return 0

    @property
    def is_complete(self) -> bool:
        return self.offset == self.length

    def delete(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def as_file(self) -> StagedFile:
        """The finished upload as a Django file for archive.services.accept_recording."""
        return StagedFile(self)


class StagedFile(UploadedFile):
    """A finished staged upload, read from its private folder; ffprobe reads it in place."""

    def __init__(self, upload: StagedUpload) -> None:
        super().__init__(
            upload.data_path.open("rb"), upload.file_name, upload.content_type, upload.length
        )
        self.staged = upload

    def temporary_file_path(self) -> str:
        return str(self.staged.data_path)


def as_files(recordings: list[Any]) -> list[Any]:
    """The form's recordings as Django files: staged uploads opened from their folder."""
    return [r.as_file() if isinstance(r, StagedUpload) else r for r in recordings]


def close(files: list[Any]) -> None:
    for file in files:
        if isinstance(file, StagedFile):
            file.close()


def _valid_id(upload_id: str) -> bool:
    return len(upload_id) == ID_BYTES * 2 and all(c in "0123456789abcdef" for c in upload_id)


def _load(upload_id: str) -> StagedUpload | None:
    if not _valid_id(upload_id):
        return None
    folder = root() / upload_id
    try:
        info = json.loads((folder / "info.json").read_text())
    except (FileNotFoundError, ValueError):
        return None
    return StagedUpload(upload_id, folder, **info)


def get(session: Any, upload_id: str) -> StagedUpload | None:
    """The session's staged upload with this id, or None (unknown, expired or not theirs)."""
    upload = _load(upload_id)
    mine = uploader_of(session)
    if upload is None or mine is None or not secrets.compare_digest(upload.uploader, mine):
        return None
    return upload


def _clean_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name.strip()
    return name[:200] or "recording"


def create(session: Any, length: int, file_name: str, content_type: str) -> StagedUpload:
    """Start a staged upload of `length` bytes for this session. Raises StagingRefused."""
    if length > settings.RECORDING_MAX_BYTES:
        raise StagingRefused(too_large_message(length), status=413)
    if length <= 0:
        raise StagingRefused("This file is empty. Choose your recording again.")
    clear_stale()
    uploader = str(uploader_of(session, create=True))
    if len(owned_by(uploader)) >= settings.CONTRIBUTION_MAX_FILES * 2:
        raise StagingRefused(
            "You have started too many uploads. Send your story, or wait a day and try again.",
            status=429,
        )
    upload_id = secrets.token_hex(ID_BYTES)
    folder = root() / upload_id
    folder.mkdir(parents=True, mode=0o700)
    upload = StagedUpload(
        upload_id, folder, length, _clean_name(file_name), content_type[:100], uploader
    )
    upload.data_path.touch(mode=0o600)
    info = {k: getattr(upload, k) for k in ("length", "file_name", "content_type", "uploader")}
    (folder / "info.json").write_text(json.dumps(info))
    return upload


def owned_by(uploader: str) -> list[StagedUpload]:
    uploads = (_load(folder.name) for folder in _folders())
    return [upload for upload in uploads if upload is not None and upload.uploader == uploader]


def write(upload: StagedUpload, offset: int, stream: Any, declared: int) -> int:
    """Append up to `declared` bytes from `stream` at `offset`; return the new offset. Bytes
    written before a cut-off connection are kept (the size on disk is the offset)."""
    if offset + declared > upload.length:
        raise StagingRefused(too_large_message(offset + declared), status=413)
    remaining = declared
    with upload.data_path.open("ab") as out:
        _lock(out)
        # Checked under the lock: a retried chunk that overlaps one still arriving (the
        # client gave up waiting) would otherwise append the same bytes twice.
        if offset != upload.offset:
            message = "The upload is out of step; it will carry on from where it was."
            raise StagingRefused(message, status=409)
        while remaining > 0:
            chunk = stream.read(min(remaining, 1024 * 1024))
            if not chunk:
                break
            out.write(chunk)
            out.flush()
            remaining -= len(chunk)
    return upload.offset


def _lock(handle: Any) -> None:
    """Hold the upload's data file for one writer; another gets 423 (tus clients retry)."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise StagingRefused("This upload is busy; it will carry on shortly.", 423) from None


def stage_file(session: Any, uploaded_file: Any) -> StagedUpload:
    """Keep a plain (multipart) upload across a form error, as if it had been sent by tus."""
    upload = create(session, uploaded_file.size, uploaded_file.name, uploaded_file.content_type)
    uploaded_file.seek(0)
    with upload.data_path.open("wb") as out:
        shutil.copyfileobj(uploaded_file, out, 1024 * 1024)
    return upload


def _folders() -> list[Path]:
    try:
        return [path for path in root().iterdir() if path.is_dir()]
    except FileNotFoundError:
        return []


def _last_written(folder: Path) -> float:
    times = [path.stat().st_mtime for path in folder.iterdir()] or [folder.stat().st_mtime]
    return max(times)


def clear_stale(now: float | None = None) -> int:
    """Delete staged uploads not written to for STAGED_UPLOAD_HOURS; return how many."""
    cutoff = (now if now is not None else time.time()) - max_age_seconds()
    cleared = 0
    for folder in _folders():
        try:
            stale = _last_written(folder) < cutoff
        except FileNotFoundError:
            continue  # deleted meanwhile
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            cleared += 1
    return cleared
