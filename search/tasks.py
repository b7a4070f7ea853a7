"""Background jobs for search, run by `manage.py db_worker` (inline in tests)."""

from django_tasks import task


@task()
def apply_index_updates():
    """Apply every waiting index update; what an engine refuses waits for the next run."""
    from .indexing import apply_pending

    applied, failed = apply_pending()
    return {"applied": applied, "failed": failed}


@task()
def rebuild_passages(story_id: int):
    """Regroup a story's public transcript into passages and index them."""
    from archive.models import StoryPage

    from . import indexing, passages
    from .models import IndexAction, Passage

    story = StoryPage.objects.filter(pk=story_id).first()
    if story is None:
        return 0
    old, created = passages.rebuild_for_story(story)
    indexing.queue_many(Passage, old, IndexAction.DELETE)
    indexing.queue_many(Passage, [p.pk for p in created])
    return len(created)
