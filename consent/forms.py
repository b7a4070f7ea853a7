"""Consent forms: the consent a contributor gives (archive's contribution form adds the
story to it), the withdrawal code and choice, and paper or phone consent for editors."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from .codes import normalise_code
from .models import ConsentRecord, ConsentUse, MediaMode, NamingPreference, WithdrawalScope

USE_CHOICES = [
    (ConsentUse.PUBLIC_WEBSITE, "On the public website, where anyone can see it"),
    (ConsentUse.TRAINING, "In training sessions, for example short clips shown to council staff"),
    (ConsentUse.REPORTS, "Quoted in reports, for example a sentence in a report about racism"),
    (
        "archive_only",
        "Kept in the archive only, for research: nobody outside the archive "
        "team will see or hear it",
    ),
]
PARTIAL_USE_CHOICES = [choice for choice in USE_CHOICES if choice[0] != "archive_only"]


WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
}


class GovukFormMixin:
    """Give each input GOV.UK Frontend's class, so templates can render `{{ field }}`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            kind = getattr(widget, "input_type", None) or type(widget).__name__.lower()
            if kind in WIDGET_CLASSES:
                widget.attrs.setdefault("class", WIDGET_CLASSES[kind])


class DayMonthYearInput(forms.MultiWidget):
    """GOV.UK Frontend's date input: day, month and year boxes, which read the same in every
    browser (an <input type="date"> shows mm/dd/yyyy in an American one, beside a hint
    written day first)."""

    template_name = "consent/widgets/day_month_year.html"

    def __init__(self, attrs=None):
        def box(width):
            classes = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            return forms.TextInput(attrs={"class": classes, "inputmode": "numeric"})

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class DayMonthYearField(forms.MultiValueField):
    """A date typed as day, month and year, with a plain message for a date that is not."""

    widget = DayMonthYearInput
    NOT_A_DATE = "Enter a real date in numbers: day, month and year, for example 31 12 2030."

    def __init__(self, **kwargs):
        part = {"error_messages": {"invalid": self.NOT_A_DATE}, "required": False}
        fields = (
            forms.IntegerField(min_value=1, max_value=31, **part),
            forms.IntegerField(min_value=1, max_value=12, **part),
            forms.IntegerField(min_value=1000, max_value=9999, **part),
        )
        kwargs.setdefault("error_messages", {"invalid": self.NOT_A_DATE})
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:  # a box's own message (too big, too small) is ours
            raise ValidationError(self.NOT_A_DATE) from error

    def compress(self, data_list):
        if not data_list or all(part is None for part in data_list):
            return None
        if any(part is None for part in data_list):
            raise ValidationError(
                "Enter the day, the month and the year, or leave all three empty."
            )
        day, month, year = data_list
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(self.NOT_A_DATE) from None


class ConsentFieldsMixin(GovukFormMixin, forms.Form):
    uses = forms.MultipleChoiceField(
        label="Where may we use your story?",
        help_text="Tick all that you agree to.",
        choices=USE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one way we may use your story."},
    )
    media_mode = forms.ChoiceField(
        label="May we play your voice and show your face?",
        choices=MediaMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether we may play your voice and face."},
    )
    expires_on = DayMonthYearField(
        label="Stop using my story after this date (optional)",
        help_text="For example, 31 12 2030. Leave empty to let us use it until you say stop.",
        required=False,
    )
    under_18 = forms.BooleanField(label="I am under 18", required=False)
    guardian_name = forms.CharField(
        label="Parent or guardian's full name", max_length=200, required=False
    )
    guardian_consented = forms.BooleanField(
        label="As their parent or guardian, I agree to these uses", required=False
    )

    def clean_uses(self):
        uses = self.cleaned_data["uses"]
        if "archive_only" in uses and len(uses) > 1:
            raise ValidationError(
                "'Archive only' means nobody else sees it, so it cannot be ticked with other uses."
            )
        return uses

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on and expires_on <= date.today():
            raise ValidationError("The date must be in the future.")
        return expires_on

    def clean(self):
        data = super().clean()
        guardian_agreed = data.get("guardian_name") and data.get("guardian_consented")
        if data.get("under_18") and not guardian_agreed:
            self.add_error(
                "guardian_name",
                "Because you are under 18, a parent or guardian must give their name and agree.",
            )
        return data


class ContributorConsentForm(ConsentFieldsMixin):
    """The consent a contributor gives on the portal, and how to name and reach them.
    archive.forms.ContributionForm adds the story and its recordings."""

    naming = forms.ChoiceField(
        label="How do you want to be named?",
        choices=NamingPreference.choices,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label="Your name", max_length=200, required=False)
    pseudonym = forms.CharField(label="The made-up name to use", max_length=200, required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        help_text="We send your private link and code here, and nothing else.",
        required=False,
    )
    wants_to_hear_back = forms.BooleanField(
        label="Keep my email address even if I take my story back, so you can tell me about "
        "the archive",
        required=False,
    )
    agree = forms.BooleanField(
        label="I have read the consent form above and agree to the uses I ticked",
        error_messages={
            "required": "Tick this box to say you agree, or your story cannot be sent."
        },
    )

    def clean(self):
        data = super().clean()
        naming = data.get("naming")
        if naming in (NamingPreference.FULL, NamingPreference.FIRST) and not data.get("full_name"):
            self.add_error("full_name", "Enter your name, or choose another way to be named.")
        if naming == NamingPreference.PSEUDONYM and not data.get("pseudonym"):
            self.add_error(
                "pseudonym", "Enter the made-up name, or choose another way to be named."
            )
        return data


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Your code",
        help_text="The code on your receipt, for example ABCD-EFGH-JKLM.",
        max_length=40,
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if self.record is None or not self.record.check_withdrawal_code(code):
            raise ValidationError("That code does not match. Check it and try again.")
        return code


class WithdrawalChoiceForm(GovukFormMixin, forms.Form):
    """What to take back. Only what is still in force is offered: a use already stopped,
    voice and face already off, a name already gone, or no recording to delete, is not."""

    SCOPES = [
        (WithdrawalScope.FULL, "Take my whole story back: delete it and every copy"),
        (WithdrawalScope.USES, "Stop some uses of my story"),
        (WithdrawalScope.ANONYMOUS, "Stop using my name: make my story anonymous"),
        (WithdrawalScope.RECORDING, "Delete one of my recordings"),
    ]
    scope = forms.ChoiceField(
        label="What do you want to do?",
        choices=SCOPES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to do."},
    )
    uses = forms.MultipleChoiceField(
        label="Which uses should stop?",
        choices=PARTIAL_USE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    transcript_only = forms.BooleanField(
        label="Stop playing my voice and face: show only the words", required=False
    )
    recording = forms.ChoiceField(
        label="Which recording?", required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, recordings=(), record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recording"].choices = [
            (
                str(rec.key),
                f"Recording {number} ({rec.get_type_display().lower()}, "
                f"{int(rec.duration or 0)} seconds)",
            )
            for number, rec in enumerate(recordings, start=1)
        ]
        if record is not None:
            self._offer_only_what_is_in_force(record)

    def _offer_only_what_is_in_force(self, record):
        self.fields["uses"].choices = [
            (use, label) for use, label in PARTIAL_USE_CHOICES if record.gives(use)
        ]
        if record.media_mode != MediaMode.VOICE_AND_FACE:
            del self.fields["transcript_only"]
        offered = {WithdrawalScope.FULL}
        if self.fields["uses"].choices or "transcript_only" in self.fields:
            offered.add(WithdrawalScope.USES)
        if record.contributor is not None and record.contributor.credit != "Anonymous":
            offered.add(WithdrawalScope.ANONYMOUS)
        if self.fields["recording"].choices:
            offered.add(WithdrawalScope.RECORDING)
        self.fields["scope"].choices = [c for c in self.SCOPES if c[0] in offered]

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == WithdrawalScope.USES and not (data.get("uses") or data.get("transcript_only")):
            self.add_error("uses", "Tick the uses that should stop.")
        if scope == WithdrawalScope.RECORDING and not data.get("recording"):
            self.add_error("recording", "Choose the recording to delete.")
        return data


class PaperConsentForm(ConsentFieldsMixin, forms.ModelForm):
    """For editors: consent taken on paper or by phone, with the scanned form."""

    naming = forms.ChoiceField(label="How they want to be named", choices=NamingPreference.choices)
    full_name = forms.CharField(label="Their name", max_length=200, required=False)
    pseudonym = forms.CharField(label="Pseudonym", max_length=200, required=False)
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    wants_to_hear_back = forms.BooleanField(label="They want to hear back", required=False)

    class Meta:
        model = ConsentRecord
        fields = ["story", "channel", "scanned_form"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only stories with no consent yet (the field's own model: consent imports no app).
        self.fields["story"].queryset = self.fields["story"].queryset.filter(consent__isnull=True)
        self.fields["story"].required = True
        self.fields["channel"].choices = [
            choice for choice in self.fields["channel"].choices if choice[0] != "web"
        ]


def forms_with_errors(*forms):
    """The bound forms that have errors, for the page's error summary."""
    return [form for form in forms if form.is_bound and form.errors]
