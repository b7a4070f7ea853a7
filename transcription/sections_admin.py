"""Sections in the Wagtail admin (issue 14): a list of every section, filtered by story and
searchable, with the usual add and edit screens; and one screen per recording where an
editor writes all of its sections at once, as OHMS's indexing screen does.

Why a screen per recording rather than an InlinePanel on the story page: a section indexes
one recording (a story may have several, each with its own times), and Wagtail's InlinePanel
cannot nest inside the story's Recordings panel; editors index while listening to one
recording, top to bottom."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.forms import BaseModelFormSet, modelformset_factory
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin import messages
from wagtail.admin.auth import permission_required
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from archive.models import Recording, StoryRecording
from files.addresses import IdConverter  # noqa: F401 - registers the <id:...> converter

from .models import Section, timecode
from .sections import TIME_HELP, check_start, parse_time

# A section's story, for the list's filter and search (a recording is on one story).
STORY = "recording__story_links__story"
FIELDS = ["recording", "start", "title", "synopsis", "keywords", "themes", "dimensions"]
WIDGETS = {
    "themes": forms.CheckboxSelectMultiple,
    "dimensions": forms.CheckboxSelectMultiple,
    "synopsis": forms.Textarea(attrs={"rows": 3}),
}


def story_title(recording_path: str) -> Subquery:
    """The title of the story the recording at `recording_path` is on, for each row."""
    links = StoryRecording.objects.filter(recording_id=OuterRef(recording_path))
    return Subquery(links.values("story__title")[:1])


def recording_label(recording: Recording) -> str:
    link = recording.story_links.select_related("story").first()
    return f"{link.story.title if link else 'No story'} · {recording.title}"


class SectionForm(WagtailAdminModelForm):
    """Times as editors read them (m:ss or m:ss.s), checked against the recording's length
    and the recording's other sections."""

    start = forms.CharField(label="Starts at", help_text=TIME_HELP, max_length=16)
    # Against the recording's other saved sections; the per-recording screen checks its
    # rows against each other instead (RecordingSectionFormSet), so sections can swap times.
    checks_saved_sections = True

    class Meta:
        model = Section
        fields = FIELDS
        widgets = WIDGETS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["start"] = timecode(self.instance.start)
        if "recording" in self.fields:
            field = self.fields["recording"]
            # Each recording offered by its story (one query, not one per recording).
            recordings = Recording.objects.annotate(story_title=story_title("pk"))
            field.queryset = recordings.order_by("story_title", "title")
            field.label_from_instance = lambda r: f"{r.story_title or 'No story'} · {r.title}"

    def clean_start(self) -> float:
        return parse_time(self.cleaned_data["start"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        recording = data.get("recording") or getattr(self.instance, "recording", None)
        start = data.get("start")
        if recording is not None and start is not None:
            others = Section.objects.filter(recording=recording).exclude(pk=self.instance.pk)
            saved = others.values_list("start", flat=True) if self.checks_saved_sections else []
            try:
                check_start(recording, start, saved)
            except ValidationError as error:
                self.add_error("start", error)
        return data

    def validate_unique(self) -> None:
        pass  # one section per start is checked in clean(), in plain words


class StoryColumn(Column):
    def get_value(self, instance: Section) -> str:
        return getattr(instance, "story_title", None) or "No story"


class RecordingSectionsColumn(Column):
    cell_template_name = "transcription/admin/sections_link_cell.html"


class SectionIndexView(generic.IndexView):
    @property
    def header_buttons(self) -> list[HeaderButton]:
        return [
            *super().header_buttons,
            HeaderButton(
                "Sections of a recording", reverse("sections:recordings"), icon_name="media"
            ),
        ]


class SectionViewSet(ModelViewSet):
    model = Section
    icon = "list-ol"
    menu_label = "Sections"
    form_fields = FIELDS
    copy_view_enabled = False
    index_view_class = SectionIndexView
    list_display = [
        TitleColumn("title", label="Title", url_name="sections:edit"),
        StoryColumn("story_title", label="Story"),
        Column("when", label="Starts at"),
        "keywords",
        RecordingSectionsColumn("recording", label="All sections of its recording"),
    ]
    list_filter = {STORY: ["exact"]}
    search_fields = ["title", "synopsis", "keywords", f"{STORY}__title"]
    list_per_page = 100

    def get_form_class(self, for_update: bool = False) -> type[SectionForm]:
        return SectionForm

    def get_queryset(self, request: Any) -> Any:
        sections = Section.objects.select_related("recording")
        return sections.annotate(story_title=story_title("recording_id")).order_by(
            "story_title", "recording", "start"
        )

    def get_urlpatterns(self) -> list[Any]:
        return super().get_urlpatterns() + [
            path("recordings/", recordings, name="recordings"),
            path("recording/<id:recording_id>/", recording_sections, name="recording"),
        ]


class RecordingSectionForm(SectionForm):
    checks_saved_sections = False

    class Meta:
        model = Section
        fields = [f for f in FIELDS if f != "recording"]
        widgets = WIDGETS


class RecordingSectionFormSet(BaseModelFormSet):
    """Every section of one recording: no two rows may start at the same moment."""

    def __init__(self, *args: Any, recording: Recording, **kwargs: Any) -> None:
        self.recording = recording
        super().__init__(*args, queryset=Section.objects.filter(recording=recording), **kwargs)
        for form in self.forms:
            form.instance.recording = recording

    def clean(self) -> None:
        super().clean()
        seen: dict[float, forms.Form] = {}
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            start = form.cleaned_data.get("start")
            if start is None:
                continue
            if any(abs(start - other) < 0.05 for other in seen):
                form.add_error("start", f"Another section already starts at {timecode(start)}.")
            seen[start] = form


SectionsFormSet = modelformset_factory(
    Section,
    form=RecordingSectionForm,
    formset=RecordingSectionFormSet,
    extra=1,
    can_delete=True,
)


@permission_required("transcription.change_section")
def recording_sections(request: Any, recording_id: int) -> Any:
    """Every section of one recording, edited together: change, remove or add one."""
    recording = get_object_or_404(Recording, pk=recording_id)
    formset = SectionsFormSet(request.POST or None, recording=recording, prefix="sections")
    if request.method == "POST":
        if formset.is_valid():
            with transaction.atomic():
                _save(formset)
            messages.success(request, f"The sections of {recording.title} are saved.")
            return redirect("sections:recording", recording_id=recording.pk)
        messages.error(request, "The sections could not be saved. Correct the times shown below.")
    context = {
        "recording": recording,
        "story_label": recording_label(recording),
        "formset": formset,
        "length": timecode(float(recording.duration or 0)) if recording.duration else "",
    }
    return TemplateResponse(request, "transcription/admin/recording_sections.html", context)


def _save(formset: RecordingSectionFormSet) -> None:
    """Deletions first, then moves to a free start, so two sections that swap times do not
    meet the one-section-per-start constraint on the way."""
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    changed = [f for f in formset.forms if f not in formset.deleted_forms and f.has_changed()]
    moving = [f for f in changed if f.instance.pk]
    for form in moving:
        Section.objects.filter(pk=form.instance.pk).update(start=-1.0 - form.instance.pk)
    for form in changed:
        form.instance.recording = formset.recording
        form.save()


@permission_required("transcription.view_section")
def recordings(request: Any) -> Any:
    """The recordings that can be divided into sections, each with its story and count."""
    rows = (
        Recording.objects.annotate(
            story_title=story_title("pk"), section_count=Count("sections", distinct=True)
        )
        .filter(story_links__isnull=False)
        .distinct()
        .order_by("story_title", "title")
    )
    return TemplateResponse(
        request,
        "transcription/admin/section_recordings.html",
        {"rows": rows, "list_url": reverse("sections:index")},
    )
