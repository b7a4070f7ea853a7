"""Recordings: audio or video attached to stories, built on wagtailmedia's media model.

Files live under MEDIA_ROOT with random names and are never given a public URL;
archive.views.serve_recording serves them after asking the consent gate."""

import uuid

from django.db import models
from django.urls import reverse
from wagtailmedia.models import AbstractMedia

from files.naming import random_file_name


def original_path(instance, filename):
    return random_file_name("originals", filename)


def rendition_path(instance, filename):
    return random_file_name("renditions", filename)


def poster_path(instance, filename):
    return random_file_name("posters", filename)


class RenditionStatus(models.TextChoices):
    PENDING = "pending", "Queued"
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Recording(AbstractMedia):
    # Public identifier used in URLs, so database ids are not guessable.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=original_path, verbose_name="original file")
    thumbnail = models.FileField(upload_to=poster_path, blank=True, verbose_name="poster image")
    language = models.CharField(max_length=16, default="en")

    # What ffprobe found when the file was accepted.
    container = models.CharField(max_length=64, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    video_codec = models.CharField(max_length=32, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)

    # The web rendition made by the background task.
    rendition = models.FileField(upload_to=rendition_path, blank=True)
    rendition_mime = models.CharField(max_length=64, blank=True)
    rendition_status = models.CharField(
        max_length=16, choices=RenditionStatus.choices, default=RenditionStatus.PENDING
    )
    rendition_error = models.TextField(blank=True)

    admin_form_fields = ("title", "file", "collection", "language", "tags")

    class Meta(AbstractMedia.Meta):
        verbose_name = "recording"

    # How the consent gate reaches the stories a recording is on (consent.gate).
    consent_story_path = "story_links__story__"

    @property
    def consent_stories(self):
        return [link.story for link in self.story_links.select_related("story")]

    def delete_files(self) -> None:
        """Delete the original, the web rendition and the poster from storage."""
        for field_file in (self.file, self.rendition, self.thumbnail):
            if field_file and field_file.name:
                field_file.storage.delete(field_file.name)

    @property
    def is_video(self):
        return self.type == "video"

    @property
    def is_ready(self):
        return self.rendition_status == RenditionStatus.READY and bool(self.rendition)

    def get_stream_url(self):
        return reverse("archive:recording", args=[self.key, "stream"])

    def get_poster_url(self):
        return reverse("archive:recording", args=[self.key, "poster"])

    @property
    def url(self):
        return self.get_stream_url()

    @property
    def sources(self):
        # wagtailmedia guesses the type from the original's name; players get the rendition.
        return [{"src": self.get_stream_url(), "type": self.rendition_mime or "video/mp4"}]
