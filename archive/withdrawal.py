"""The archive's withdrawal steps: how the archive forgets a story that is taken back.

Registered on import, from ArchiveConfig.ready(), in consent's registry (consent.withdrawal).
A full withdrawal unpublishes the page, purges its revisions, drafts and previews, takes it
out of collections, deletes its recordings with their files, deletes the page, and purges
Wagtail's audit log and references; withdrawing one recording deletes that recording. Other
scopes (some uses, the name, consent that lapsed) leave the archive's data alone: the gate
already refuses what is no longer allowed. Every step is idempotent."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from django.contrib.contenttypes.models import ContentType
from wagtail.admin.models import EditingSession, FormState
from wagtail.models import (
    ModelLogEntry,
    Page,
    PageLogEntry,
    ReferenceIndex,
    Revision,
    WorkflowState,
)
from wagtailmedia.models import Media

from consent.withdrawal import Scope, register_step

from .models import CollectionItem, Recording, StoryPage

WITHDRAWN_TITLE = "Withdrawn story"


def recordings_in(scope: Scope) -> list[Recording]:
    """The recordings this withdrawal deletes: all of the story's in a full withdrawal, the
    one recording when one is withdrawn, none otherwise."""
    if scope.is_full and scope.story_id is not None:
        return list(Recording.objects.filter(story_links__story_id=scope.story_id).distinct())
    if scope.kind == "recording":
        return list(Recording.objects.filter(key__in=scope.recording_keys))
    return []


def _page_content_types() -> list[ContentType]:
    return [ContentType.objects.get_for_model(model) for model in (Page, StoryPage)]


@register_step("unpublish the story", order=10)
def unpublish(story: StoryPage | None, scope: Scope) -> None:
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


@register_step("purge page revisions, drafts and previews", order=40)
def purge_revisions(story: StoryPage | None, scope: Scope) -> None:
    """Revisions hold every old version of the story's words; workflow states point at
    them; FormState holds preview and autosave form data; editing sessions name it."""
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
def remove_from_collections(story: StoryPage | None, scope: Scope) -> None:
    if scope.is_full and scope.story_id is not None:
        CollectionItem.objects.filter(story_id=scope.story_id).delete()


@register_step("delete recordings, renditions and posters", order=60)
def delete_recordings(story: StoryPage | None, scope: Scope) -> None:
    recordings = recordings_in(scope)
    if not recordings:
        return
    recording_type = ContentType.objects.get_for_model(Recording)
    media_types = [recording_type, ContentType.objects.get_for_model(Media)]
    for recording in recordings:
        recording.delete_files()
        object_id = str(recording.pk)
        # wagtailmedia logs edits with the recording's title as the label.
        ModelLogEntry.objects.filter(content_type=recording_type, object_id=object_id).delete()
        ReferenceIndex.objects.filter(
            base_content_type__in=media_types, object_id=object_id
        ).delete()
        recording.delete()


@register_step("delete the story page", order=80)
def delete_page(story: Any, scope: Scope) -> None:
    if scope.is_full and scope.story_id is not None:
        page = Page.objects.filter(pk=scope.story_id).first()
        if page is not None:
            page.delete()


@register_step("purge the audit log and references", order=85)
def purge_audit_log(story: StoryPage | None, scope: Scope) -> None:
    """Wagtail's PageLogEntry keeps the page title as its label, forever by default."""
    if not scope.is_full or scope.story_id is None:
        return
    object_id = str(scope.story_id)
    PageLogEntry.objects.filter(page_id=scope.story_id).delete()
    types = _page_content_types()
    ReferenceIndex.objects.filter(base_content_type__in=types, object_id=object_id).delete()
    ReferenceIndex.objects.filter(to_content_type__in=types, to_object_id=object_id).delete()
