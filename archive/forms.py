"""The Wagtail media admin's form for recordings (WAGTAILMEDIA["MEDIA_FORM_BASE"]).

Editors' uploads pass the same probe as contributors' uploads in the consent portal:
the type (audio or video), codecs and duration come from the file's content, and the
web rendition is queued once the recording is saved."""

from django import forms
from wagtailmedia.forms import BaseMediaForm

from .services import RecordingRejected, apply_probe, probe_upload, queue_rendition


class RecordingForm(BaseMediaForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        self.probe = None
        if uploaded and "file" in self.files:
            try:
                self.probe = probe_upload(uploaded)
            except RecordingRejected as rejected:
                raise forms.ValidationError(rejected.message, code="recording_rejected") from None
            # Before the model's own clean(), which checks the file against the type.
            apply_probe(self.instance, self.probe)
            uploaded.name = self.probe.file_name  # the extension follows the content
        return uploaded

    def save(self, commit=True):
        recording = super().save(commit=commit)
        if commit and getattr(self, "probe", None):
            queue_rendition(recording)
        return recording
