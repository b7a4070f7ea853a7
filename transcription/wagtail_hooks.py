"""Transcription in the Wagtail admin: transcript status for editors (queued, running with
progress, done, failed with the reason, and a retry button), segment corrections (each
saved as a new version) and redactions."""

import re

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import permission_required
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from archive.models import StoryRecording
from archive.priorities import EDITOR_PRIORITY
from files.addresses import IdConverter

from . import editor_views
from .corrections import correct_segment, redact
from .editing import remove_redaction
from .models import Redaction, Segment, Status, Transcript
from .sections_admin import SectionViewSet
from .tasks import queue_transcription


class RetryColumn(Column):
    cell_template_name = "transcription/admin/retry_cell.html"


class CheckedColumn(Column):
    cell_template_name = "transcription/admin/checked_cell.html"


class EditorColumn(Column):
    cell_template_name = "transcription/admin/editor_cell.html"


class TranscriptInspectView(generic.InspectView):
    template_name = "transcription/admin/inspect.html"


class TranscriptViewSet(ModelViewSet):
    model = Transcript
    icon = "doc-full"
    menu_label = "Transcripts"
    form_fields = []  # read-only: transcripts are made by the engine, corrected per segment
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = TranscriptInspectView
    list_display = [
        "recording",
        EditorColumn("editor", label="Editor"),
        "task",
        Column("state", label="Status"),
        "progress_percent",
        "language",
        "model",
        "error",
        "updated_at",
        CheckedColumn("checked_at", label="Checked"),
        RetryColumn("retry", label="Run again"),
    ]
    list_filter = ["status", "task"]


class SegmentEditView(generic.EditView):
    def save_instance(self):
        # The form has already set the new values; the service stores the old ones.
        return correct_segment(self.form.instance, self.request.user)


# Segments and redactions are listed across every story: each row names its story, and the
# lists filter by story and search the words (issue 14).
STORY = "transcript__recording__story_links__story"


def story_title(recording_path: str) -> Subquery:
    """The title of the story the recording at `recording_path` belongs to, for each row."""
    links = StoryRecording.objects.filter(recording_id=OuterRef(recording_path))
    return Subquery(links.values("story__title")[:1])


class SegmentViewSet(ModelViewSet):
    model = Segment
    icon = "edit"
    menu_label = "Corrections"
    form_fields = ["start", "end", "speaker", "text"]
    edit_view_class = SegmentEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "text",
        Column("story_title", label="Story"),
        Column("when", label="Time"),
        "speaker",
        "corrected",
    ]
    list_filter = {"corrected": ["exact"], STORY: ["exact"]}
    search_fields = ["text", "speaker", f"{STORY}__title"]
    list_per_page = 100

    def get_queryset(self, request):
        segments = Segment.objects.select_related("transcript")
        return segments.annotate(story_title=story_title("transcript__recording_id"))


class RedactionCreateView(generic.CreateView):
    def get_initial(self):
        query = self.request.GET
        return {
            **super().get_initial(),
            "segment": query.get("segment"),
            "story": query.get("story"),
        }

    def save_instance(self):
        data = self.form.cleaned_data
        return redact(data["segment"], data["phrase"], self.request.user, data["reason"])


class RedactionDeleteView(generic.DeleteView):
    def delete_action(self):
        # The same removal as the editor screen's: the public rendition is remade too.
        remove_redaction(self.object)


class RedactionForm(WagtailAdminModelForm):
    """Each segment offered by its story, time and words; with ?story=<id>, that story's
    segments only (the dropdown of every segment of every story is unreadable)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["segment"]
        segments = Segment.objects.annotate(
            story_title=story_title("transcript__recording_id")
        ).order_by("story_title", "start")
        story = str(self.initial.get("story") or "")
        if re.fullmatch(IdConverter.regex, story):  # anything else offers every segment
            segments = segments.filter(**{f"{STORY}_id": story})
        field.queryset = segments
        field.label_from_instance = lambda s: f"{s.story_title or 'No story'} · {s}"

    class Meta:
        model = Redaction
        fields = ["segment", "phrase", "reason"]


class RedactionViewSet(ModelViewSet):
    model = Redaction
    icon = "warning"
    menu_label = "Redactions"
    form_fields = ["segment", "phrase", "reason"]
    add_view_class = RedactionCreateView
    delete_view_class = RedactionDeleteView
    copy_view_enabled = False
    list_display = [
        "phrase",
        Column("story_title", label="Story"),
        Column("when", label="Time"),
        "reason",
        "created_by",
        "created_at",
    ]
    list_filter = {f"segment__{STORY}": ["exact"]}
    search_fields = ["phrase", "reason", f"segment__{STORY}__title"]

    def get_form_class(self, for_update=False):
        return RedactionForm

    def get_queryset(self, request):
        redactions = Redaction.objects.select_related("created_by")
        return redactions.annotate(story_title=story_title("segment__transcript__recording_id"))


class TranscriptionGroup(ViewSetGroup):
    menu_label = "Transcription"
    menu_icon = "doc-full"
    items = (
        TranscriptViewSet("transcripts"),
        SegmentViewSet("segments"),
        RedactionViewSet("redactions"),
        SectionViewSet("sections"),
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return TranscriptionGroup()


@require_POST
@permission_required("transcription.change_transcript")
def retry(request, pk):
    transcript = get_object_or_404(Transcript, pk=pk)
    # An editor asked: their job goes ahead of queued contributors' uploads.
    queue_transcription(transcript.recording, transcript.task, force=True, priority=EDITOR_PRIORITY)
    messages.success(request, f"{transcript} is queued again.")
    # From the story editor (archive.editor_panels) the editor goes back to the story.
    return redirect(get_valid_next_url_from_request(request) or "transcripts:index")


@require_POST
@permission_required("transcription.change_transcript")
def mark_checked(request, pk):
    """The editor has checked the whole transcript against the recording: the public note
    says so, with the date, until the engine writes new machine words."""
    transcript = get_object_or_404(Transcript, pk=pk, status=Status.DONE)
    transcript.checked_at, transcript.checked_by = timezone.now(), request.user
    transcript.save(update_fields=["checked_at", "checked_by", "updated_at"])
    messages.success(request, f"{transcript} is marked as checked by you.")
    return redirect("transcripts:index")


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("transcripts/<id:pk>/editor/", editor_views.editor, name="transcription_editor"),
        path(
            "transcripts/<id:pk>/editor/media/",
            editor_views.editor_media,
            name="transcription_editor_media",
        ),
        path(
            "transcripts/<id:pk>/editor/redact/",
            editor_views.redact_selection,
            name="transcription_editor_redact",
        ),
        path(
            "transcripts/segments/<id:pk>/save/",
            editor_views.save_segment,
            name="transcription_editor_segment",
        ),
        path(
            "transcripts/segments/<id:pk>/undo/",
            editor_views.undo_segment,
            name="transcription_editor_undo",
        ),
        path(
            "transcripts/redactions/<id:pk>/remove/",
            editor_views.remove_redaction,
            name="transcription_editor_unredact",
        ),
        path("transcription/retry/<id:pk>/", retry, name="transcription_retry"),
        path("transcription/checked/<id:pk>/", mark_checked, name="transcription_checked"),
    ]
