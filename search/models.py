"""Search: passages of transcripts (what trainers and report writers look for), label
suggestions for them, and the queue of index updates an engine could not take yet."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from .passage_consent import indexable_queryset


class PassageQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class Passage(index.Indexed, models.Model):
    """About 20 to 40 seconds of one recording's public (redacted) transcript.

    Story facts are copied here so an index can filter and facet a passage without joins;
    search.passages keeps them in step when the story changes."""

    story = models.ForeignKey(
        "archive.StoryPage", on_delete=models.CASCADE, related_name="passages"
    )
    recording = models.ForeignKey(
        "archive.Recording",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="passages",
    )
    position = models.PositiveIntegerField(default=0)
    start = models.FloatField(help_text="Seconds from the start of the recording")
    end = models.FloatField()
    text = models.TextField(help_text="Redacted text only: never the private transcript")
    borough = models.ForeignKey(
        "archive.Borough", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, blank=True)
    language = models.CharField(max_length=8, blank=True)
    has_captions = models.BooleanField(default=False)
    # The uses the consent gate allowed when this passage was last indexed.
    allow_show = models.BooleanField(default=False)
    allow_clip = models.BooleanField(default=False)
    allow_quote = models.BooleanField(default=False)
    # Confirmed labels only: suggestions live in Suggestion until an editor confirms them.
    themes = models.ManyToManyField("archive.Theme", blank=True, related_name="passages")
    dimensions = models.ManyToManyField("archive.Dimension", blank=True, related_name="passages")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PassageQuerySet.as_manager()

    search_fields = [
        index.SearchField("text"),
        # Found by the names of its confirmed themes and dimensions (issue 13).
        index.SearchField("label_names"),
        index.FilterField("story_id"),
        index.FilterField("recording_id"),
        index.FilterField("borough_id"),
        index.FilterField("kind"),
        index.FilterField("language"),
        index.FilterField("has_captions"),
        index.FilterField("allow_show"),
        index.FilterField("allow_clip"),
        index.FilterField("allow_quote"),
        index.FilterField("start"),
    ]

    class Meta:
        ordering = ["story", "recording", "start"]
        indexes = [
            models.Index(fields=["story", "start"]),
            # Covers what search reads of every passage after a write (search.facts: which
            # stories have captions; search.backends.match_sets: the passages the public may
            # be shown, each passage's story), so those reads skip the passages' text.
            models.Index(
                fields=["story", "has_captions", "allow_show"], name="search_passage_story_uses"
            ),
        ]

    def __str__(self):
        return f"{self.story} at {self.timestamp}"

    @property
    def timestamp(self):
        """MM:SS (or H:MM:SS), as used in the story link's #t= fragment."""
        seconds = int(self.start)
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"

    def label_names(self):
        """The names of its confirmed themes and dimensions, for search (issue 13)."""
        labels = [*self.themes.all(), *self.dimensions.all()]
        return " ".join(label.name for label in labels)

    @property
    def duration(self):
        return self.end - self.start

    @classmethod
    def get_indexed_objects(cls):
        # update_index asks the consent gate too: only passages the public may be shown,
        # trainers may clip or report writers may quote (search.passage_consent.indexable).
        # Labels are read with the passages (label_names), not one query per passage.
        objects = super().get_indexed_objects().prefetch_related("themes", "dimensions")
        return indexable_queryset(objects)


class LabelKind(models.TextChoices):
    DIMENSION = "dimension", "Dimension"
    KEY_ISSUE = "key_issue", "Key issue"
    OUTCOME = "outcome", "Outcome"


class SuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class Suggestion(models.Model):
    """A machine suggestion of one label for one passage, for an editor to confirm or reject.
    Only confirmed labels reach the passage, and so the public facets."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="suggestions")
    label_kind = models.CharField(max_length=16, choices=LabelKind.choices)
    dimension = models.ForeignKey(
        "archive.Dimension", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey(
        "archive.Theme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(default=1)
    score = models.FloatField(default=0.0)
    reason = models.TextField(blank=True, help_text="The words or nearest passages behind it")
    status = models.CharField(
        max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.SUGGESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["passage", "label_kind", "rank"]

    def __str__(self):
        return f"{self.label} for {self.passage}"

    @property
    def label(self):
        return self.dimension or self.theme


class IndexAction(models.TextChoices):
    ADD = "add", "Add or update"
    DELETE = "delete", "Delete"


class PendingIndexUpdate(models.Model):
    """An index update not yet applied to one backend: written in the same transaction as the
    change, so a save or publish succeeds even when the engine is down; replayed by the
    apply_index_updates task and by `manage.py search_reconcile`."""

    backend = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=8, choices=IndexAction.choices)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["backend", "content_type", "object_id"], name="one_pending_update"
            )
        ]

    def __str__(self):
        return f"{self.action} {self.content_type_id}:{self.object_id} on {self.backend}"
