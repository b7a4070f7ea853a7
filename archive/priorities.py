"""Who goes first on the worker: editors' jobs before contributors' (issue 10, point 11).

Anyone may upload through the consent portal, so a flood of anonymous uploads must not hold
back the renditions and transcripts editors are waiting for. The database worker
(django_tasks_db) takes the READY job with the highest priority first, then the oldest;
jobs for recordings a signed-in user uploaded keep the default priority, jobs for recordings
that came in anonymously get settings.CONTRIBUTOR_TASK_PRIORITY (lower)."""

from django.conf import settings
from django_tasks.base import DEFAULT_TASK_PRIORITY

EDITOR_PRIORITY = DEFAULT_TASK_PRIORITY


def contributor_priority() -> int:
    return getattr(settings, "CONTRIBUTOR_TASK_PRIORITY", -10)


def priority_for(recording) -> int:
    """A recording nobody signed in uploaded came from the public portal."""
    return EDITOR_PRIORITY if recording.uploaded_by_user_id else contributor_priority()


def at_priority(task, priority: int):
    """`task` set to run at `priority`, where its backend can order by priority."""
    if priority == task.priority or not task.get_backend().supports_priority:
        return task
    return task.using(priority=priority)
