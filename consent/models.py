"""Contributors, the consent they gave, and what happened when they took it back.

What is kept here proves a consent and its withdrawal and nothing more: no story
title, summary or recording ever goes into ConsentRecord, Withdrawal, AuditEntry or
Tombstone, so that withdrawing a story leaves none of its words behind."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask

from files.naming import random_file_name


def scanned_form_path(instance, filename):
    # A random name: the file a volunteer scanned may be called after the person.
    return random_file_name("consent-forms", filename)


class NamingPreference(models.TextChoices):
    FULL = "full", "My full name"
    FIRST = "first", "My first name only"
    PSEUDONYM = "pseudonym", "A made-up name (a pseudonym)"
    ANONYMOUS = "anonymous", "No name: anonymous"


class Contributor(models.Model):
    """The person who told a story. Their contact details are erased when they withdraw,
    unless they asked to hear back from us."""

    naming = models.CharField(
        "how they want to be named", max_length=16, choices=NamingPreference.choices
    )
    full_name = models.CharField(max_length=200, blank=True)
    pseudonym = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    wants_to_hear_back = models.BooleanField(
        default=False, help_text="They asked to hear back from the archive, even after withdrawing."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        help_text="Only if the contributor has an account.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Contributor {self.pk}"

    @property
    def credit(self):
        """The name shown with their story, as they chose it."""
        if self.naming == NamingPreference.FULL and self.full_name:
            return self.full_name
        if self.naming == NamingPreference.FIRST and self.full_name:
            return self.full_name.split()[0]
        if self.naming == NamingPreference.PSEUDONYM and self.pseudonym:
            return self.pseudonym
        return "Anonymous"

    def erase(self, keep_contact=False):
        """Forget who they are; keep only how to reach them if they asked to hear back."""
        self.naming = NamingPreference.ANONYMOUS
        self.pseudonym = ""
        if not keep_contact:
            self.full_name = self.email = self.phone = ""
        self.save()


class ConsentFormVersion(models.Model):
    """The exact wording a contributor agreed to. Once a record uses a version it can
    never change: a changed form is a new version, and old records keep theirs."""

    version = models.PositiveIntegerField(unique=True)
    wording = models.TextField(help_text="The whole form, word for word, as contributors see it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"Consent form version {self.version}"

    def save(self, *args, **kwargs):
        # Consent is only proof if the words agreed to can never be rewritten afterwards.
        if self.is_used:
            stored = type(self).objects.get(pk=self.pk)
            if (stored.wording, stored.version) != (self.wording, self.version):
                raise ValidationError(
                    "This form version has been agreed to, so it cannot change. "
                    "Make a new version instead."
                )
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> ConsentFormVersion | None:
        return cls.objects.order_by("-version").first()

    @property
    def is_used(self):
        return self.pk is not None and self.records.exists()


class MediaMode(models.TextChoices):
    VOICE_AND_FACE = "voice-and-face", "My voice and face may be played"
    TRANSCRIPT_ONLY = (
        "transcript-only",
        "Only show the words (a transcript), never my voice or face",
    )


class Channel(models.TextChoices):
    WEB = "web", "The website"
    PAPER = "paper", "A paper form"
    PHONE = "phone", "A phone call"


class ConsentStatus(models.TextChoices):
    ACTIVE = "active", "Given"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentUse(models.TextChoices):
    """The uses a contributor agrees to (the consent form's, the withdrawal form's and the
    ledger's keys). Each is one field of ConsentRecord: USE_FIELDS."""

    PUBLIC_WEBSITE = "public_website", "public website"
    TRAINING = "training", "training"
    REPORTS = "reports", "reports"


# The one map from a use a contributor agrees to, to the ConsentRecord field that holds it.
USE_FIELDS = {
    ConsentUse.PUBLIC_WEBSITE: "use_public_website",
    ConsentUse.TRAINING: "use_training",
    ConsentUse.REPORTS: "use_reports",
}


class ConsentRecord(models.Model):
    """One story's consent: which uses, how, until when, and on which form."""

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    story = models.OneToOneField(
        "archive.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the record outlives a withdrawn story, as proof
        related_name="consent",
    )
    contributor = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents"
    )
    form_version = models.ForeignKey(
        ConsentFormVersion, on_delete=models.PROTECT, related_name="records"
    )
    use_public_website = models.BooleanField("on the public website", default=False)
    use_training = models.BooleanField("in training sessions", default=False)
    use_reports = models.BooleanField("quoted in reports", default=False)
    archive_only = models.BooleanField(
        "kept in the archive only, for research",
        default=False,
        help_text="Never shown, played, clipped or quoted.",
    )
    media_mode = models.CharField(
        max_length=16, choices=MediaMode.choices, default=MediaMode.TRANSCRIPT_ONLY
    )
    expires_on = models.DateField(null=True, blank=True)
    under_18 = models.BooleanField(default=False)
    guardian_name = models.CharField(max_length=200, blank=True)
    guardian_consented = models.BooleanField(default=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    scanned_form = models.FileField(
        upload_to=scanned_form_path, blank=True, help_text="Kept private; never given a URL."
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_code_hash = models.CharField(max_length=256, blank=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    status = models.CharField(
        max_length=16, choices=ConsentStatus.choices, default=ConsentStatus.ACTIVE
    )
    given_at = models.DateTimeField(default=timezone.now)
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        permissions = [
            ("moderate_stories", "See and moderate every story, whatever its consent"),
            ("clip_for_training", "Clip stories for training sessions"),
            ("quote_in_reports", "Quote stories in reports"),
            ("withdraw_on_behalf", "Withdraw a story on a contributor's behalf"),
        ]

    def __str__(self):
        return f"Consent record {self.pk}"

    def clean(self):
        if self.under_18 and not (self.guardian_consented and self.guardian_name):
            raise ValidationError(
                "A person under 18 needs a parent or guardian's consent, with their name."
            )
        if self.archive_only and self.public_uses:
            raise ValidationError("Archive only cannot be combined with other uses.")

    def gives(self, use: str) -> bool:
        """Whether the contributor agreed to `use` (a ConsentUse)."""
        return bool(getattr(self, USE_FIELDS[ConsentUse(use)]))

    def set_use(self, use: str, given: bool) -> None:
        setattr(self, USE_FIELDS[ConsentUse(use)], given)

    @property
    def public_uses(self):
        return [use.label for use in ConsentUse if self.gives(use)]

    @property
    def uses_label(self):
        return ", ".join(self.public_uses) or ("archive only" if self.archive_only else "none")

    def is_active(self, today: date | None = None) -> bool:
        today = today or date.today()
        return self.status == ConsentStatus.ACTIVE and not (
            self.expires_on is not None and self.expires_on <= today
        )

    @property
    def allows_publishing(self):
        """Whether an editor may make the story live: only with consent that is in force
        and allows at least one reuse (archive-only stories are never published)."""
        return self.is_active() and not self.archive_only and bool(self.public_uses)

    def set_withdrawal_code(self, code: str) -> None:
        # Only a hash: a leaked database must not let anyone withdraw someone's story.
        self.withdrawal_code_hash = make_password(code)

    def check_withdrawal_code(self, code: str) -> bool:
        return bool(self.withdrawal_code_hash) and check_password(
            code.strip().upper(), self.withdrawal_code_hash
        )


class WithdrawalScope(models.TextChoices):
    FULL = "full", "Withdraw the whole story"
    USES = "uses", "Narrow the uses"
    ANONYMOUS = "anonymous", "Switch to anonymous"
    RECORDING = "recording", "Remove one recording"


class WithdrawalStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed: will be retried"


class Withdrawal(models.Model):
    """One request to take consent back, in full or in part."""

    consent_record = models.ForeignKey(
        ConsentRecord, on_delete=models.PROTECT, related_name="withdrawals"
    )
    scope = models.CharField(max_length=16, choices=WithdrawalScope.choices)
    # Which uses were removed, or which recording (by its random key): never content.
    detail = models.JSONField(default=dict, blank=True)
    story_id = models.PositiveIntegerField(null=True, blank=True)
    on_behalf = models.BooleanField(default=False, help_text="Made by an editor for them.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=16, choices=WithdrawalStatus.choices, default=WithdrawalStatus.RUNNING
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The purge of database files and search segments that follows, in the worker
    # (consent.purge): the tables it rewrites (names only) and when it finished.
    purge_tables = models.JSONField(default=list, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Withdrawal {self.pk} ({self.get_scope_display().lower()})"

    @property
    def actor_label(self):
        if self.actor_id:
            return f"editor (user {self.actor_id})"
        return "the contributor"


class AuditEntry(models.Model):
    """The trail of consent events. Holds ids, step names, times and who acted: never
    a story's title, words or file names."""

    consent_record_id_value = models.PositiveIntegerField("consent record id")
    withdrawal = models.ForeignKey(
        Withdrawal, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    action = models.CharField(max_length=200)
    outcome = models.CharField(max_length=16, default="done")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Tombstone(models.Model):
    """What is left of a withdrawn story: which consent it was, when, and who acted."""

    consent_record = models.OneToOneField(
        ConsentRecord, on_delete=models.PROTECT, related_name="tombstone"
    )
    story_id = models.PositiveIntegerField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"Tombstone for consent record {self.consent_record_id}"


class ConsentCheckTask(AbstractGroupApprovalTask):
    """A workflow step whose approval depends on consent: both of a story's steps (the
    moderators' consent check, then editorial review, whose approval publishes) are one.

    Approving is offered only when the consent allows the story to be published at that
    moment, so the workflow can never carry a story further than its teller agreed to,
    even if consent lapsed or was narrowed between the two steps."""

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        story = getattr(obj, "specific", obj)
        record = getattr(story, "consent", None) if story is not None else None
        if record is None or not record.allows_publishing:
            return [action for action in actions if action[0] != "approve"]
        return actions

    @classmethod
    def get_description(cls):
        return "Approval is offered only while the story's consent allows publishing."

    class Meta:
        verbose_name = "consent check"
        verbose_name_plural = "consent checks"
