"""What trainers and report writers take away: clips, reels of clips and discussion slides,
share links for a session's participants, exported reels and training packs; saved reports
and the quotes chosen for them; and the audit of every file that left the archive.

Each thing on a story reaches it through `story` (a clip, a report quote's passage), so the
consent gate can narrow any queryset of them. Files get random names (files.naming) and are
served only through reuse's views, which ask the gate again."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from files.naming import random_file_name


def clip_path(instance, filename):
    return random_file_name("reuse/clips", filename)


def export_path(instance, filename):
    return random_file_name("reuse/exports", filename)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class Clip(models.Model):
    """A stretch of one recording a trainer chose, from its first word to its last.

    `file` and `captions` are cut from the public (redacted) rendition by a background task
    (`status` says how far it got); `excerpt` is the public transcript's words in the clip."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clips"
    )
    story = models.ForeignKey("archive.StoryPage", on_delete=models.CASCADE, related_name="clips")
    recording = models.ForeignKey(
        "archive.Recording", on_delete=models.CASCADE, related_name="clips"
    )
    start = models.FloatField(help_text="Seconds from the start of the recording")
    end = models.FloatField()
    title = models.CharField(max_length=200, blank=True)
    excerpt = models.TextField(blank=True, help_text="The public (redacted) words of the clip")
    # What the consent gate allowed when the clip was made: the record's id, its form
    # version, the uses and media agreed, the expiry, and when it was checked.
    consent_basis = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=clip_path, blank=True)
    captions = models.FileField(upload_to=clip_path, blank=True)
    # The clip as a reel's export needs it (its frame, rate and sound; captions burned in),
    # made ahead in the background so an export only joins parts (reuse.exporting);
    # `reel_part_key` says what it was made from and how, so a stale one is never used.
    reel_part = models.FileField(upload_to=clip_path, blank=True)
    reel_part_key = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title or f"Clip {self.pk}"

    @property
    def duration(self):
        return self.end - self.start

    def files(self) -> list[FieldFile]:
        return [self.file, self.captions, self.reel_part]

    def delete_files(self) -> None:
        for field_file in self.files():
            if field_file and field_file.name:
                field_file.delete(save=False)


class Reel(models.Model):
    """An ordered list of clips and discussion slides for a training session."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reels"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reels_shared_with_me"
    )
    # Set when a withdrawal, lapse or narrowing took clips out; shown to the owner until
    # they acknowledge it. The note names no story: it counts what was removed.
    changed_by_consent_at = models.DateTimeField(null=True, blank=True)
    consent_change_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return self.title


class ReelItemKind(models.TextChoices):
    CLIP = "clip", "Clip"
    SLIDE = "slide", "Discussion slide"


class ReelItem(models.Model):
    """One place in a reel: a clip (with the trainer's note) or a text slide."""

    reel = models.ForeignKey(Reel, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=ReelItemKind.choices)
    clip = models.ForeignKey(
        Clip, null=True, blank=True, on_delete=models.CASCADE, related_name="reel_items"
    )
    text = models.TextField(blank=True, help_text="A slide's question, or a note on a clip")

    class Meta:
        ordering = ["reel", "position", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position + 1} of {self.reel}"


def new_share_token():
    return secrets.token_urlsafe(24)


class ShareLink(models.Model):
    """A link for a session's participants to watch a reel until it expires or is revoked.
    Every play through it asks the gate again, as the trainer who made it."""

    reel = models.ForeignKey(Reel, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_share_token)
    label = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.label or f"Share link {self.pk}"

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ReelExport(models.Model):
    """One MP4 of a reel (title card, clips and slides, end card with credits), its side-car
    WebVTT and its training pack (zip). Made in a background task; files are written under
    temporary names and moved into place, so nothing half-made is served."""

    reel = models.ForeignKey(Reel, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    burn_captions = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    video = models.FileField(upload_to=export_path, blank=True)
    captions = models.FileField(upload_to=export_path, blank=True)
    pack = models.FileField(upload_to=export_path, blank=True)
    # The stories (ids) in the export, so a withdrawal finds it without opening files.
    story_ids = models.JSONField(default=list, blank=True)
    manifest = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Export {self.pk} of {self.reel}"

    @property
    def progress_percent(self):
        return round(self.progress * 100)

    def files(self) -> list[FieldFile]:
        return [self.video, self.captions, self.pack]

    def delete_files(self) -> None:
        for field_file in self.files():
            if field_file and field_file.name:
                field_file.delete(save=False)


class ReportKind(models.TextChoices):
    COUNTS = "counts", "Counts"
    LEADERSHIP_FORUM = "forum", "Leadership Forum report"


class SavedReport(models.Model):
    """A report writer's report: filters like search, chosen quotes, re-run on demand.
    Its CSV and PDF are made from the archive as it is when asked, never stored."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ReportKind.choices, default=ReportKind.COUNTS)
    # The reports page's query (q, theme, dimension, borough, kind, year) as saved.
    filters = models.JSONField(default=dict, blank=True)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year a Leadership Forum report covers"
    )
    method_note = models.TextField(blank=True)
    # Set when a withdrawal or narrowing took quotes out; the note counts, never names.
    changed_by_consent_at = models.DateTimeField(null=True, blank=True)
    consent_change_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return self.title


class ReportQuote(models.Model):
    """A passage chosen for a report, with its credit line and link made when shown."""

    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="quotes")
    passage = models.ForeignKey(
        "search.Passage", on_delete=models.CASCADE, related_name="report_quotes"
    )
    position = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)

    # How the consent gate reaches the story (consent.gate): through the passage.
    consent_story_path = "passage__story__"

    class Meta:
        ordering = ["report", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "passage"], name="one_quote_per_passage")
        ]

    def __str__(self):
        return f"Quote {self.position + 1} in {self.report}"

    @property
    def consent_stories(self):
        return [self.passage.story]


class DownloadKind(models.TextChoices):
    REEL_VIDEO = "reel_video", "Reel video (MP4)"
    REEL_CAPTIONS = "reel_captions", "Reel captions (WebVTT)"
    TRAINING_PACK = "training_pack", "Training pack (zip)"
    REPORT_CSV = "report_csv", "Report counts (CSV)"
    REPORT_PDF = "report_pdf", "Report (PDF)"


class Download(models.Model):
    """A file that left the archive: what, when, by whom, and which stories were in it.

    Kept after a withdrawal (ids only, no content), so the archive can say where a story went."""

    kind = models.CharField(max_length=16, choices=DownloadKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reel_id_value = models.PositiveIntegerField("reel id", null=True, blank=True)
    report_id_value = models.PositiveIntegerField("report id", null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class DownloadedStory(models.Model):
    """One story in a download, by id: no foreign key, so it outlives the story's page."""

    download = models.ForeignKey(Download, on_delete=models.CASCADE, related_name="stories")
    story_id_value = models.PositiveIntegerField("story id", db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["download", "story_id_value"], name="one_row_per_downloaded_story"
            )
        ]

    def __str__(self):
        return f"Story {self.story_id_value} in {self.download}"
