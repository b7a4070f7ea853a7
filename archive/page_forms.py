"""The story's form in the Wagtail page editor: publishing asks for what the archive's
public pages, theme pages and reports rely on."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm

# The name of the editor's "Publish" button (Wagtail's page edit and create views).
PUBLISH = "action-publish"
NO_LABEL = (
    "Choose at least one theme or dimension before publishing: a story with neither is "
    "missing from every theme page, search filter and report."
)
NO_DATE = "Give the date it was recorded before publishing (the year is enough: use 1 January)."


class StoryPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recordings = self.formsets.get("story_recordings")
        if recordings is not None:
            recordings.form = _offering(recordings.form, self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if PUBLISH in self.data:
            if not cleaned.get("recorded_on") and "recorded_on" not in self.errors:
                self.add_error("recorded_on", ValidationError(NO_DATE, code="required"))
            if not self._has_a_label(cleaned):
                self.add_error("themes", ValidationError(NO_LABEL, code="required"))
        return cleaned

    def _has_a_label(self, cleaned):
        """Its own labels as chosen in this form, or its passages' confirmed ones that the
        form does not leave off."""
        if cleaned.get("themes") or cleaned.get("dimensions"):
            return True
        story = self.instance
        if not story.pk:
            return False
        left_off = {
            "themes": {label.pk for label in cleaned.get("excluded_themes") or []},
            "dimensions": {label.pk for label in cleaned.get("excluded_dimensions") or []},
        }
        return any(
            getattr(story, f"passage_{field}").exclude(pk__in=left_off[field]).exists()
            for field in ("themes", "dimensions")
        )


def _offering(form_class, story_id):
    """The recording form of a story's formset, offering only recordings no story has yet and
    the story's own: a recording belongs to one story, and the archive has thousands. A
    recording of another story posted anyway is refused as not one of the choices."""
    free = Q(story_links__isnull=True) | Q(story_links__story_id=story_id)

    class RecordingChoice(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields["recording"]
            recordings = field.queryset.model.objects  # Recording, without importing models
            field.queryset = recordings.filter(free).distinct().order_by("-pk")

    return RecordingChoice
