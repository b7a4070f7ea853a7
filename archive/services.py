"""Accepting recordings: probe, store under a random name, queue the web rendition.

The consent portal, the Wagtail media admin form and the demo loader all come through
here, so every recording in the archive has passed the same checks."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from wagtail.models import Collection

from .models import Recording, RenditionStatus
from .priorities import at_priority, priority_for
from .probe import Probe, RecordingRejected, probe_recording
from .upload_handlers import refusal_of

__all__ = [
    "RecordingRejected",
    "accept_recording",
    "apply_probe",
    "probe_upload",
    "queue_rendition",
]


def probe_upload(uploaded_file: Any) -> Probe:
    """Probe an uploaded (or any Django) file by content; raise RecordingRejected."""
    refusal = refusal_of(uploaded_file)
    if refusal:
        raise RecordingRejected(refusal)
    with _local_path(uploaded_file) as path:
        return probe_recording(path)


@contextmanager
def _local_path(uploaded_file: Any) -> Iterator[str]:
    """A path on disk for ffprobe: the upload's own temporary file when Django made one,
    otherwise a private copy that is always removed afterwards."""
    if hasattr(uploaded_file, "temporary_file_path"):
        yield uploaded_file.temporary_file_path()
        return
    handle, path = tempfile.mkstemp(prefix="recording-")
    try:
        with os.fdopen(handle, "wb") as out:
            uploaded_file.seek(0)
            shutil.copyfileobj(uploaded_file, out, 1024 * 1024)
        yield path
    finally:
        os.unlink(path)
        uploaded_file.seek(0)


def apply_probe(recording: Recording, probe: Probe) -> None:
    """Copy what ffprobe found onto the recording, and mark its rendition as due."""
    recording.type = probe.type
    recording.container = probe.container
    recording.audio_codec = probe.audio_codec
    recording.video_codec = probe.video_codec
    recording.duration = probe.duration
    recording.width = probe.width
    recording.height = probe.height
    recording.size_bytes = probe.size_bytes
    recording.rendition_status = RenditionStatus.PENDING
    recording.rendition_error = ""


def accept_recording(
    uploaded_file: Any,
    *,
    title: str,
    language: str = "en",
    user: Any = None,
    collection: Collection | None = None,
) -> Recording:
    """Probe `uploaded_file`, store it and queue its rendition. Returns the Recording.

    Raises RecordingRejected (with a message for the uploader) and then leaves nothing
    behind: no stored file and no database row."""
    probe = probe_upload(uploaded_file)
    recording = Recording(
        title=title,
        language=language,
        uploaded_by_user=user if user and user.is_authenticated else None,
        collection=collection or Collection.get_first_root_node(),
    )
    apply_probe(recording, probe)
    try:
        with transaction.atomic():
            recording.file.save(probe.file_name, uploaded_file, save=False)
            recording.save()
            queue_rendition(recording)
    except BaseException:
        # The row was rolled back; the file must go too, or it would be an orphan.
        if recording.file.name:
            recording.file.storage.delete(recording.file.name)
        raise
    return recording


def queue_rendition(recording: Recording, priority: int | None = None) -> None:
    """Make the web rendition once the recording's row is committed (the worker may
    run in another process and must be able to see it). Contributors' uploads queue
    behind editors' (archive.priorities)."""
    from .tasks import make_rendition

    recording_id = recording.pk
    task = at_priority(make_rendition, priority_for(recording) if priority is None else priority)
    transaction.on_commit(lambda: task.enqueue(recording_id))
