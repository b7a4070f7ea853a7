"""Queue transcription when a recording's web rendition is ready or its story is published."""

from django.conf import settings


def _auto_queue() -> bool:
    return getattr(settings, "TRANSCRIPTION_AUTO_QUEUE", True)


def recording_saved(sender, instance, **kwargs):
    if _auto_queue() and instance.is_ready:
        from . import services

        services.queue_transcription(instance)


def story_published(sender, instance, **kwargs):
    if not _auto_queue():
        return
    from . import services

    for link in instance.story_recordings.select_related("recording"):
        services.queue_transcription(link.recording)


def forget_story(story, scope):
    """Withdrawal step: transcripts, segments, words, corrections, redactions, caption
    downloads (made from these rows) and redacted renditions of the story's recordings."""
    from archive.models import Recording

    from . import services

    # A partial withdrawal (narrowed uses, anonymous) keeps the recordings, and so their
    # transcripts; only a full withdrawal or the removal of a recording deletes them.
    if scope.is_full and scope.story_id is not None:
        recordings = Recording.objects.filter(story_links__story_id=scope.story_id)
    elif scope.kind == "recording":
        recordings = Recording.objects.filter(key__in=scope.recording_keys)
    else:
        return
    services.forget_recordings(recordings)


def task_finished(sender, task_result, **kwargs):
    """A finished archive.tasks.make_rendition means the recording is ready to transcribe.

    Listening to django-tasks' own signal (sent by the immediate backend and by db_worker)
    keeps the archive app free of any knowledge of transcription."""
    if not _auto_queue() or task_result.task.module_path != "archive.tasks.make_rendition":
        return
    if str(task_result.status) != "SUCCESSFUL" or not task_result.args:
        return
    from archive.models import Recording

    from . import services

    recording = Recording.objects.filter(pk=task_result.args[0]).first()
    if recording and recording.is_ready:
        services.queue_transcription(recording)


def rendition_deleted(sender, instance, **kwargs):
    # A deleted row must not leave the (partly silenced, still personal) audio on disk.
    if instance.file:
        instance.file.delete(save=False)
