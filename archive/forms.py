"""The archive's forms: the Wagtail media admin's form for recordings, and the public
portal's contribution form (the story and its recordings, with the contributor's consent).

Editors' uploads pass the same probe as contributors' uploads in the portal: the type
(audio or video), codecs and duration come from the file's content, and the web rendition
is queued once the recording is saved."""

from django import forms
from django.core.exceptions import ValidationError
from wagtailmedia.forms import BaseMediaForm

from consent.forms import ContributorConsentForm

from . import staged_uploads, warnings
from .limits import check_file_count
from .models import Borough
from .models.pages import LANGUAGES
from .services import RecordingRejected, apply_probe, probe_upload, queue_rendition
from .upload_handlers import refusal_of


class RecordingForm(BaseMediaForm):
    """WAGTAILMEDIA["MEDIA_FORM_BASE"]."""

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


class MultipleRecordingInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class RecordingsField(forms.FileField):
    """One or several recordings; each is checked by archive.services.accept_recording.
    Empty is allowed here: the form counts staged uploads too (ContributionForm)."""

    widget = MultipleRecordingInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(RecordingsField, self).clean(item, initial) for item in files]


REQUIRED_MESSAGE = "Choose at least one recording to upload."
GONE_MESSAGE = (
    "A recording you uploaded earlier is no longer here (unsent uploads are kept for "
    "{hours} hours). Choose it again."
)
UNFINISHED_MESSAGE = "{name} has not finished uploading. Wait for it to finish, or choose it again."


class ContributionForm(ContributorConsentForm):
    """The portal's form: the story and its recordings, then the contributor's consent."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    recordings = RecordingsField(
        required=False,
        label="Your recording",
        help_text="Audio or video. You can choose more than one file.",
        widget=MultipleRecordingInput(attrs={"accept": "audio/*,video/*"}),
    )
    title = forms.CharField(label="Give your story a title", max_length=255)
    summary = forms.CharField(
        label="Tell us in a few sentences what your story is about",
        max_length=1200,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    borough = forms.ModelChoiceField(
        label="Which borough is your story from?",
        queryset=Borough.objects.all(),
        empty_label="Choose a borough",
    )
    language = forms.ChoiceField(label="Which language is your recording in?", choices=LANGUAGES)
    content_warnings = forms.MultipleChoiceField(
        label="Does your story need a content warning?",
        help_text="Listeners see the warning before your story plays. Choose any that apply, "
        "or none.",
        choices=warnings.CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    content_warning_other = forms.CharField(
        label="Describe the warning in a few words",
        max_length=warnings.OTHER_MAX,
        required=False,
    )

    field_order = [
        "token",
        "recordings",
        "title",
        "summary",
        "borough",
        "language",
        "content_warnings",
        "content_warning_other",
        "naming",
        "full_name",
        "pseudonym",
        "email",
        "wants_to_hear_back",
        "uses",
        "media_mode",
        "expires_on",
        "under_18",
        "guardian_name",
        "guardian_consented",
        "agree",
    ]

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        # Staged uploads (archive.staged_uploads) this form holds, shown as "kept".
        self.kept: list[staged_uploads.StagedUpload] = []

    def clean_recordings(self):
        """The chosen files plus the session's staged uploads named by the form (less any
        the contributor ticked to remove). Each is a file or a StagedUpload."""
        plain = self.cleaned_data.get("recordings") or []
        self.kept = self._staged()
        recordings = plain + self.kept
        if not recordings:
            raise ValidationError(REQUIRED_MESSAGE, code="required")
        check_file_count(recordings)
        return recordings

    def _staged(self) -> list[staged_uploads.StagedUpload]:
        if self.session is None or not hasattr(self.data, "getlist"):
            return []
        removed = set(self.data.getlist("remove_staged"))
        kept = []
        for upload_id in dict.fromkeys(self.data.getlist("staged_upload")):
            upload = staged_uploads.get(self.session, upload_id)
            if upload is None:
                hours = staged_uploads.max_age_seconds() / 3600
                raise ValidationError(GONE_MESSAGE.format(hours=f"{hours:g}"), code="gone")
            if upload_id in removed:
                upload.delete()
            elif not upload.is_complete:
                raise ValidationError(UNFINISHED_MESSAGE.format(name=upload.file_name))
            else:
                kept.append(upload)
        return kept

    def keep_uploads(self) -> None:
        """After a form error: keep the chosen files as staged uploads, so the contributor
        fixes the form without sending them again."""
        recordings = self.cleaned_data.get("recordings") if hasattr(self, "cleaned_data") else None
        if self.session is None or not recordings:
            return
        kept = []
        for recording in recordings:
            if isinstance(recording, staged_uploads.StagedUpload):
                kept.append(recording)
            elif not refusal_of(recording):  # a refused file is told about, not kept
                try:
                    kept.append(staged_uploads.stage_file(self.session, recording))
                except staged_uploads.StagingRefused:
                    continue
        self.kept = kept

    def drop_kept(self) -> None:
        for upload in self.kept:
            upload.delete()
        self.kept = []

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("content_warnings") or []
        if warnings.OTHER in chosen and not cleaned.get("content_warning_other", "").strip():
            self.add_error(
                "content_warning_other",
                "Describe the warning in a few words, or untick \u201csomething else\u201d.",
            )
        return cleaned
