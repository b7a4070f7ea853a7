"""The strategy's own vocabulary: boroughs, themes, dimensions of racism, glossary.

Rows are created by a data migration that reads the strategy text shipped in
archive/strategy/, so names match the strategy word for word."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Borough(index.Indexed, models.Model):
    name = models.CharField(max_length=64, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ThemeKind(models.TextChoices):
    PRINCIPLE = "principle", "Principle"
    VISION = "vision", "Vision"
    OUTCOME = "outcome", "Outcome"
    KEY_ISSUE = "key_issue", "Key issue"


class Theme(index.Indexed, models.Model):
    """A principle, an element of the vision, an outcome or a key issue."""

    kind = models.CharField(max_length=16, choices=ThemeKind.choices)
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    summary = models.TextField(blank=True, help_text="Quoted from the strategy.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("kind")]

    class Meta:
        ordering = ["kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="theme_unique_name_per_kind")
        ]

    def __str__(self):
        return self.name


class Dimension(index.Indexed, models.Model):
    """One of the strategy's five dimensions of racism."""

    name = models.CharField(max_length=64, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    definition = models.TextField(blank=True, help_text="Quoted from the strategy.")
    aim = models.TextField(blank=True, help_text="The dimension aim, quoted from the strategy.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("definition"),
        FieldPanel("aim"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name")]

    class Meta:
        ordering = ["sort_order"]

    def __str__(self):
        return self.name


class GlossaryTerm(index.Indexed, models.Model):
    term = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    definition = models.TextField()

    panels = [FieldPanel("term"), FieldPanel("slug"), FieldPanel("definition")]
    search_fields = [index.SearchField("term"), index.SearchField("definition")]

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term
