"""The consent app's own withdrawal steps, registered from ConsentConfig.ready().

Other apps register theirs (search: passages; transcription: transcripts; reuse: clips)
with an order below 60, so they run while the story page and its recordings still exist.
Every step is idempotent and takes (story, scope); `story` may be None when a withdrawal is re-run
after the page was already deleted, so steps work from scope.story_id."""

from urllib.parse import quote_plus

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from . import purge
from .withdrawal import register_purge, register_step


def _page_content_types():
    from wagtail.models import Page

    from archive.models import StoryPage

    return [ContentType.objects.get_for_model(model) for model in (Page, StoryPage)]


WITHDRAWN_TITLE = "Withdrawn story"


@register_step("unpublish the story", order=10)
def unpublish(story, scope):
    if not scope.is_full or story is None:
        return
    # Wagtail writes the title to its application log when a page is unpublished or
    # deleted; take the words off the page first so no log line carries them.
    story.title = story.draft_title = WITHDRAWN_TITLE
    story.seo_title = story.search_description = ""
    type(story).objects.filter(pk=story.pk).update(
        title=WITHDRAWN_TITLE, draft_title=WITHDRAWN_TITLE, seo_title="", search_description=""
    )
    if story.live:
        # log_action=None: Wagtail's audit log would otherwise keep an entry for it.
        story.unpublish(log_action=None)


@register_step("remove from every search index", order=20)
def remove_from_search_indexes(story, scope):
    """Wagtail keeps unpublished pages in its index, so the page and its recordings are
    removed explicitly from every backend, not left to the live flag."""
    from wagtail.search.backends import get_search_backends

    if not (scope.stops_public or scope.kind == "recording"):
        return
    targets = scope.recordings(story)
    if story is not None and scope.stops_public:
        targets.append(story)
    for backend in get_search_backends(with_auto_update=False):
        for target in targets:
            backend.delete(target)


@register_step("delete recordings, renditions and posters", order=60)
def delete_recordings(story, scope):
    from wagtail.models import ModelLogEntry, ReferenceIndex

    from archive.models import Recording

    from .services import delete_recording_files

    recordings = scope.recordings(story)
    if not recordings:
        return
    recording_type = ContentType.objects.get_for_model(Recording)
    for recording in recordings:
        delete_recording_files(recording)
        object_id = str(recording.pk)
        # wagtailmedia logs edits with the recording's title as the label.
        ModelLogEntry.objects.filter(content_type=recording_type, object_id=object_id).delete()
        ReferenceIndex.objects.filter(
            base_content_type__in=_media_types(recording_type), object_id=object_id
        ).delete()
        recording.delete()


def _media_types(recording_type):
    from wagtailmedia.models import Media

    return [recording_type, ContentType.objects.get_for_model(Media)]


@register_step("purge page revisions, drafts and previews", order=40)
def purge_revisions(story, scope):
    """Revisions hold every old version of the story's words; workflow states point at
    them; FormState holds preview and autosave form data; editing sessions name it."""
    from wagtail.admin.models import EditingSession, FormState
    from wagtail.models import Revision, WorkflowState

    if not scope.is_full or scope.story_id is None:
        return
    object_id = str(scope.story_id)
    types = _page_content_types()
    WorkflowState.objects.filter(base_content_type__in=types, object_id=object_id).delete()
    if story is not None:
        type(story).objects.filter(pk=story.pk).update(latest_revision=None, live_revision=None)
    Revision.objects.filter(base_content_type__in=types, object_id=object_id).delete()
    FormState.objects.filter(content_type__in=types, object_id=object_id).delete()
    if scope.title:
        FormState.objects.filter(data__contains=quote_plus(scope.title)).delete()
    EditingSession.objects.filter(content_type__in=types, object_id=object_id).delete()


@register_step("remove from collections", order=50)
def remove_from_collections(story, scope):
    from archive.models import CollectionItem

    if scope.is_full and scope.story_id is not None:
        CollectionItem.objects.filter(story_id=scope.story_id).delete()


@register_step("delete the story page", order=80)
def delete_page(story, scope):
    from wagtail.models import Page

    if scope.is_full and scope.story_id is not None:
        page = Page.objects.filter(pk=scope.story_id).first()
        if page is not None:
            page.delete()


@register_step("purge the audit log and references", order=85)
def purge_audit_log(story, scope):
    """Wagtail's PageLogEntry keeps the page title as its label, forever by default."""
    from wagtail.models import PageLogEntry, ReferenceIndex

    if not scope.is_full or scope.story_id is None:
        return
    object_id = str(scope.story_id)
    PageLogEntry.objects.filter(page_id=scope.story_id).delete()
    types = _page_content_types()
    ReferenceIndex.objects.filter(base_content_type__in=types, object_id=object_id).delete()
    ReferenceIndex.objects.filter(to_content_type__in=types, to_object_id=object_id).delete()


@register_step("clear cached copies", order=90)
def clear_cache(story, scope):
    # Cached fragments and pages may hold the story's words, and cache keys cannot be
    # listed portably across backends; a cold cache is cheap next to a leaked story.
    cache.clear()


@register_step("erase contact details", order=95)
def erase_contact_details(story, scope):
    from .models import ConsentRecord

    if not scope.is_full:
        return
    record = ConsentRecord.objects.select_related("contributor").get(pk=scope.consent_record_id)
    if record.contributor is not None:
        record.contributor.erase(keep_contact=record.contributor.wants_to_hear_back)
    if record.guardian_name:
        record.guardian_name = ""
        record.save(update_fields=["guardian_name"])


@register_step("keep a tombstone", order=100)
def keep_tombstone(story, scope):
    from .models import ConsentRecord, Tombstone, Withdrawal

    if not scope.is_full:
        return
    record = ConsentRecord.objects.get(pk=scope.consent_record_id)
    withdrawal = record.withdrawals.filter(scope="full").order_by("-requested_at").first()
    actor = withdrawal.actor if isinstance(withdrawal, Withdrawal) else None
    Tombstone.objects.get_or_create(
        consent_record=record,
        defaults={
            "story_id": scope.story_id,
            "withdrawn_at": record.withdrawn_at,
            "actor": actor,
            "actor_label": withdrawal.actor_label if withdrawal else "the contributor",
        },
    )


@register_step("note the tables the withdrawal writes to", order=1)
def note_writes(story, scope):
    purge.start_noting()


@register_step("queue the purge of database files", order=110)
def queue_purge(story, scope):
    """Deleted rows leave bytes in the database files until they are purged (consent.purge),
    which takes longer than a contributor should wait: the worker does it once this
    withdrawal is committed, and records when."""
    from django.db import transaction

    from .models import Withdrawal
    from .tasks import purge_withdrawal

    tables = purge.stop_noting()
    withdrawal = Withdrawal.objects.filter(consent_record_id=scope.consent_record_id).first()
    if withdrawal is None:
        return
    Withdrawal.objects.filter(pk=withdrawal.pk).update(purge_tables=tables, purged_at=None)
    transaction.on_commit(lambda: purge_withdrawal.enqueue(withdrawal.pk))


# The database files are purged last, after every app's own purge (search merges its
# index first, so the pages it frees are zeroed before the checkpoint).
register_purge("purge database files", order=90)(purge.purge_database_files)
