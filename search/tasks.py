"""Background jobs for search, run by `manage.py db_worker` (inline in tests). This module
calls the indexing and passage code; they never import it (no cycle): queued updates reach
`start_applying` through indexing.updates_queued."""

from django_tasks import task

from . import indexing


@task()
def apply_index_updates():
    """Apply every waiting index update; what an engine refuses waits for the next run."""
    applied, failed = indexing.apply_pending()
    return {"applied": applied, "failed": failed}


def start_applying(sender, **kwargs):
    """indexing.updates_queued handler: apply what was just queued, in the worker."""
    apply_index_updates.enqueue()


@task()
def rebuild_passages(story_id: int):
    """Regroup a story's public transcript into passages and index them."""
    from archive.models import StoryPage

    from . import passages
    from .models import IndexAction, Passage

    story = StoryPage.objects.filter(pk=story_id).first()
    if story is None:
        return 0
    old, created = passages.rebuild_for_story(story)
    indexing.queue_many(Passage, old, IndexAction.DELETE)
    indexing.queue_many(Passage, [p.pk for p in created])
    return len(created)
