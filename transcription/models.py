"""Transcripts of recordings: segments with times, words with times, human corrections,
redactions, and the redacted public rendition.

A Transcript is one engine run's result for one recording and one task (transcribe, or
translate to English). The task replaces machine segments in one transaction and never
touches a segment a person corrected."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from files.naming import random_file_name

# A running job that has written no progress for this long has lost its worker. Long enough
# for loading a model and for openai-whisper's 10-minute chunks on a slow machine. Kept with
# the model (not in running.py) because a transcript's own state needs it.
STALLED_AFTER = timedelta(minutes=15)


def timecode(seconds: float) -> str:
    """75.26 -> "1:15.3", "1:02:03.0" past the hour: as editors read times in the admin (the
    tenth of a second lets them tell neighbouring words apart)."""
    tenths = round(max(seconds, 0.0) * 10)
    hours, rest = divmod(tenths, 36000)
    minutes, rest = divmod(rest, 600)
    clock = f"{minutes:02d}:{rest // 10:02d}.{rest % 10}"
    return f"{hours}:{clock}" if hours else clock.removeprefix("0")


def redacted_path(instance, filename):
    return random_file_name("redacted", filename)


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Task(models.TextChoices):
    TRANSCRIBE = "transcribe", "Transcript"
    TRANSLATE = "translate", "English translation (machine)"


class Transcript(models.Model):
    recording = models.ForeignKey(
        "archive.Recording", on_delete=models.CASCADE, related_name="transcripts"
    )
    task = models.CharField(max_length=16, choices=Task.choices, default=Task.TRANSCRIBE)
    # Which version of the recording this transcribes: the original file's SHA-256.
    recording_checksum = models.CharField(max_length=64, blank=True)
    # Uploads get random names, so an unchanged name means an unchanged file (no re-hash).
    recording_file = models.CharField(max_length=255, blank=True)
    engine = models.CharField(max_length=64, blank=True)
    model = models.CharField(max_length=32, blank=True)
    language = models.CharField(max_length=16, blank=True, help_text="As detected by Whisper")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When an editor last checked the whole transcript against the recording; cleared when
    # the engine writes new machine words (the public note says which it is).
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recording", "task"], name="one_transcript_per_task")
        ]
        ordering = ["-updated_at"]

    def __str__(self):
        return f"{self.get_task_display()} of {self.recording}"

    @property
    def is_machine_translation(self):
        return self.task == Task.TRANSLATE

    @property
    def progress_percent(self):
        return round(self.progress * 100)

    @property
    def state(self):
        """The status as editors need it: a running job whose worker stopped says so."""
        if self.status == Status.RUNNING and self.updated_at < timezone.now() - STALLED_AFTER:
            return "Stopped part-way: run it again"
        return self.get_status_display()


class Segment(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    start = models.FloatField(help_text="Seconds from the start of the recording")
    end = models.FloatField()
    text = models.TextField()
    speaker = models.CharField(max_length=64, blank=True)
    # Set when a person edits the segment; the engine never overwrites a corrected segment.
    corrected = models.BooleanField(default=False)
    # What the engine wrote, kept whatever editors change (issue 14: never lose it).
    machine_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["transcript", "start"]

    def __str__(self):
        return f"{self.when}: {self.text[:60]}"

    @property
    def when(self) -> str:
        return f"{timecode(self.start)}–{timecode(self.end)}"


class Word(models.Model):
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="words")
    start = models.FloatField()
    end = models.FloatField()
    word = models.CharField(max_length=128)
    probability = models.FloatField(default=0.0)

    class Meta:
        ordering = ["segment", "start"]

    def __str__(self):
        return f"{self.start:.2f}–{self.end:.2f}: {self.word}"


class RevisionAction(models.TextChoices):
    EDIT = "edit", "Edited"
    SPLIT = "split", "Split"
    MERGE = "merge", "Merged with the next"
    UNDO = "undo", "Undone"


class SegmentRevision(models.Model):
    """The segment as it was before each change: every correction is versioned."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="revisions")
    start = models.FloatField()
    end = models.FloatField()
    text = models.TextField()
    speaker = models.CharField(max_length=64, blank=True)
    action = models.CharField(
        max_length=8, choices=RevisionAction.choices, default=RevisionAction.EDIT
    )
    # [[start, end, word], ...] as they were, so an undo gives the words their times back.
    words = models.JSONField(default=list, blank=True)
    # What undoing needs beyond the segment itself: for a merge, the machine text and
    # speaker of the segment merged in, so undo parts them again as they were.
    merged = models.JSONField(default=dict, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.start:.1f}–{self.end:.1f} before {self.changed_at:%Y-%m-%d %H:%M}"


class Redaction(models.Model):
    """A phrase hidden from every public output and silenced in the public rendition."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="redactions")
    phrase = models.CharField(max_length=255, help_text="The words to hide, as they appear")
    # The span silenced in the audio; found from the word timings when the redaction is saved.
    start = models.FloatField()
    end = models.FloatField()
    reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]

    def __str__(self):
        return f"[redacted] {self.when}"

    @property
    def when(self) -> str:
        return f"{timecode(self.start)}–{timecode(self.end)}"


class RedactedRendition(models.Model):
    """The public copy of a recording with every redacted span silenced by ffmpeg.

    The unredacted rendition stays private to editors."""

    recording = models.OneToOneField(
        "archive.Recording", on_delete=models.CASCADE, related_name="redacted_rendition"
    )
    file = models.FileField(upload_to=redacted_path, blank=True)
    # The spans this file silences; when redactions change, the file is remade.
    spans = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Redacted rendition of {self.recording}"


class Section(models.Model):
    """One titled part of a recording, as OHMS indexes an interview: it starts at `start` and
    runs to the next section's start (or the recording's end). Written by editors; shown
    publicly as the story's table of contents and chapters track (transcription.sections)."""

    recording = models.ForeignKey(
        "archive.Recording", on_delete=models.CASCADE, related_name="sections"
    )
    start = models.FloatField(help_text="Seconds from the start of the recording")
    title = models.CharField(max_length=255)
    synopsis = models.TextField(blank=True)
    keywords = models.CharField(
        max_length=500, blank=True, help_text="Separated by commas or semicolons"
    )
    themes = models.ManyToManyField("archive.Theme", blank=True, related_name="sections")
    dimensions = models.ManyToManyField("archive.Dimension", blank=True, related_name="sections")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recording", "start"]
        constraints = [
            models.UniqueConstraint(fields=["recording", "start"], name="one_section_per_start")
        ]

    def __str__(self):
        return f"{timecode(self.start)} {self.title}"

    @property
    def when(self) -> str:
        return timecode(self.start)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace(";", ",").split(",") if k.strip()]
