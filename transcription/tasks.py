"""Background jobs (django-tasks), run by `manage.py db_worker`.

transcribe_recording writes its result in one transaction at the end, so a worker killed
mid-job leaves the previous transcript (or none) and the job can simply be run again."""

from django_tasks import task

from . import services
from .models import Task


@task()
def transcribe_recording(recording_id: int, task: str = Task.TRANSCRIBE) -> str:
    from archive.models import Recording

    if not Recording.objects.filter(pk=recording_id).exists():
        return "gone"  # deleted or withdrawn before the worker reached it
    transcript = services.run_transcription(recording_id, task)
    return f"{transcript.status}: {transcript.segments.count()} segments"


@task()
def make_redacted_rendition(recording_id: int) -> str:
    from archive.models import Recording

    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None:
        return "gone"
    rendition = services.make_redacted_rendition(recording)
    return "made" if rendition else "nothing to redact"
