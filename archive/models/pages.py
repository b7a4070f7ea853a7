"""Pages: the home page, the strategy pages, stories and collections of stories."""

from urllib.parse import urlencode

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from consent import gate
from consent.panels import ConsentSummaryPanel

from .. import links, story_text, warnings
from ..editor_panels import StoryEditorPanel
from ..page_forms import StoryPageForm
from .taxonomy import Borough, Dimension, GlossaryTerm, Theme, ThemeKind


class StoryKind(models.TextChoices):
    VOX_POP = "vox-pop", "Vox pop"
    ORAL_HISTORY = "oral-history", "Oral history"
    BOROUGH_FILM = "borough-film", "Borough film"

    @property
    def plural(self):
        return {"vox-pop": "Vox pops", "oral-history": "Oral histories"}.get(
            self.value, f"{self.label}s"
        )


LANGUAGES = [
    ("en", "English"),
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("zh", "Chinese"),
    ("fr", "French"),
    ("pl", "Polish"),
    ("so", "Somali"),
    ("ur", "Urdu"),
    ("cy", "Welsh"),
    ("other", "Another language"),
]


class HomePage(Page):
    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["archive.StoryIndexPage", "archive.StrategyPage", "archive.CollectionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = gate.permitted(gate.Use.SHOW, StoryPage.objects.live(), request.user)
        stories, context["hidden_warned"] = warnings.hidden_count(stories, request)
        context["hides_warned"] = warnings.hides_warned(request)
        context["latest_stories"] = stories.select_related("borough").order_by(
            "-first_published_at"
        )[:6]
        context["boroughs"] = Borough.objects.all()
        context["story_index"] = StoryIndexPage.objects.live().first()
        context["kinds"] = StoryKind.choices
        return context


class StrategySection(models.TextChoices):
    PRINCIPLES = "principles", "The principles"
    VISION = "vision", "The vision"
    OUTCOMES = "outcomes", "The outcomes"
    KEY_ISSUES = "key-issues", "Key issues: fear, misinformation, mistrust"
    DIMENSIONS = "dimensions", "The five dimensions of racism"
    GLOSSARY = "glossary", "Glossary"


SECTION_THEME_KIND = {
    StrategySection.PRINCIPLES: ThemeKind.PRINCIPLE,
    StrategySection.VISION: ThemeKind.VISION,
    StrategySection.OUTCOMES: ThemeKind.OUTCOME,
    StrategySection.KEY_ISSUES: ThemeKind.KEY_ISSUE,
}


class StrategyPage(Page):
    """Explains one part of the strategy, in its own words, from the taxonomy snippets."""

    section = models.CharField(max_length=16, choices=StrategySection.choices, blank=True)
    introduction = models.TextField(blank=True, help_text="Quoted from the strategy.")

    content_panels = Page.content_panels + [FieldPanel("section"), FieldPanel("introduction")]
    parent_page_types = ["archive.HomePage", "archive.StrategyPage"]
    subpage_types = ["archive.StrategyPage"]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.section in SECTION_THEME_KIND:
            context["themes"] = Theme.objects.filter(kind=SECTION_THEME_KIND[self.section])
        elif self.section == StrategySection.DIMENSIONS:
            context["dimensions"] = Dimension.objects.all()
        elif self.section == StrategySection.GLOSSARY:
            context["glossary"] = GlossaryTerm.objects.all()
        context["sections"] = self.get_children().live().specific()
        return context


class StoryIndexPage(RoutablePageMixin, Page):
    """Browse stories: all of them, or by borough, kind, theme or dimension."""

    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["archive.HomePage"]
    subpage_types = ["archive.StoryPage"]
    max_count = 1
    per_page = 24
    moments_per_page = 10

    def visible_stories(self, request):
        stories = StoryPage.objects.child_of(self).live()
        return gate.permitted(gate.Use.SHOW, stories, request.user)

    def render_browse(self, request, stories, heading, facet=None, label=None):
        from django.core.paginator import Paginator

        stories, hidden = warnings.hidden_count(stories, request)
        paginator = Paginator(
            stories.select_related("borough").order_by("-recorded_on", "-pk"), self.per_page
        )
        page = paginator.get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "stories": page,
                "moments": self.moments_page(request, label),
                "heading": heading,
                "facet": facet,
                "boroughs": Borough.objects.all(),
                "kinds": StoryKind.choices,
                "dimensions": Dimension.objects.all(),
                "theme_groups": _theme_groups(),
                "hides_warned": warnings.hides_warned(request),
                "hidden_warned": hidden,
            },
            template="archive/story_index_page.html",
        )

    def moments_page(self, request, label):
        """A page of the time-coded moments linked to a theme or dimension (None elsewhere,
        or when no app finds moments): `?moments=N` turns it, apart from the stories."""
        from django.core.paginator import Paginator

        found = links.moments(label, request.user) if label is not None else None
        if found is None:
            return None
        return Paginator(found, self.moments_per_page).get_page(request.GET.get("moments"))

    @path("")
    def all_stories(self, request):
        """Every story, narrowed by facets with counts when an app counts them (search,
        through archive.links); otherwise the plain list."""
        found = links.browse(request.GET, request.user, warnings.hides_warned(request))
        if found is None:
            return self.render_browse(request, self.visible_stories(request), "All stories")
        from django.core.paginator import Paginator

        stories = StoryPage.objects.filter(pk__in=found.story_ids).select_related("borough")
        paginator = Paginator(stories.order_by("-recorded_on", "-pk"), self.per_page)
        query = urlencode(found.query())
        return self.render(
            request,
            context_overrides={
                "stories": paginator.get_page(request.GET.get("page")),
                "heading": "All stories",
                "moments": None,
                "browse": found,
                "facet_fields": _facet_fields(found),
                "query_without_page": query,
                "hides_warned": warnings.hides_warned(request),
                "hidden_warned": found.hidden_warned,
            },
            template="archive/story_index_page.html",
        )

    @path("borough/<slug:slug>/")
    def by_borough(self, request, slug):
        borough = get_object_or_404(Borough, slug=slug)
        stories = self.visible_stories(request).filter(borough=borough)
        return self.render_browse(request, stories, f"Stories from {borough.name}", borough)

    @path("kind/<slug:slug>/")
    def by_kind(self, request, slug):
        if slug not in StoryKind.values:
            raise Http404
        kind = StoryKind(slug)
        stories = self.visible_stories(request).filter(kind=slug)
        return self.render_browse(request, stories, kind.plural, kind.label)

    @path("theme/<slug:slug>/")
    def by_theme(self, request, slug):
        theme = get_object_or_404(Theme, slug=slug)
        stories = self.visible_stories(request).filter(stories_with("themes", theme.slug))
        heading = f"Stories about {theme.name}"
        return self.render_browse(request, stories, heading, theme, label=theme)

    @path("dimension/<slug:slug>/")
    def by_dimension(self, request, slug):
        dimension = get_object_or_404(Dimension, slug=slug)
        stories = self.visible_stories(request).filter(stories_with("dimensions", dimension.slug))
        heading = f"Stories about {dimension.name.lower()} racism"
        return self.render_browse(request, stories, heading, dimension, label=dimension)


def stories_with(field: str, slug: str) -> models.Q:
    """A condition on stories: linked to the label `slug` (a theme's, field "themes", or a
    dimension's, "dimensions") by their own labels or their passages', unless the editor left
    it off. Every list of stories by label asks this: theme pages, search, reports."""
    own, by_passage, excluded = (
        getattr(StoryPage, name).through.objects.filter(
            **{f"{getattr(StoryPage, name).field.related_model._meta.model_name}__slug": slug}
        )
        for name in _label_fields(field)
    )
    return models.Q(pk__in=own.values("storypage_id")) | (
        models.Q(pk__in=by_passage.values("storypage_id"))
        & ~models.Q(pk__in=excluded.values("storypage_id"))
    )


def linked_to_story(story: "StoryPage", field: str) -> models.Q:
    """A condition on labels (themes or dimensions): those `story` is linked to."""
    # Lists, not subqueries: a preview holds its labels in memory, not in the database.
    own, by_passage, excluded = (
        [label.pk for label in getattr(story, name).all()] for name in _label_fields(field)
    )
    return models.Q(pk__in=own) | (models.Q(pk__in=by_passage) & ~models.Q(pk__in=excluded))


def _label_fields(field: str) -> tuple[str, str, str]:
    return field, f"passage_{field}", f"excluded_{field}"


# (parameter, legend) of each facet on the browse page, in the order shown.
BROWSE_FACETS = (
    ("borough", "Borough"),
    ("kind", "Kind of story"),
    ("theme", "Theme"),
    ("dimension", "Dimension of racism"),
    ("language", "Language"),
    ("captions", "Captions"),
    ("warning", "Content warning"),
)


def _facet_fields(found):
    """[(parameter, legend, [(value, label, count, chosen)], how many chosen)] for the form."""
    return [
        (
            name,
            legend,
            [(v, text, n, v in found.chosen[name]) for v, text, n in found.facets[name]],
            len(found.chosen[name]),
        )
        for name, legend in BROWSE_FACETS
    ]


def _theme_groups():
    themes = list(Theme.objects.all())
    return [(kind.label, [theme for theme in themes if theme.kind == kind]) for kind in ThemeKind]


class StoryPage(Page):
    """One story: a vox pop, an oral history or a borough film.

    One model with a `kind` field rather than three page types: the three kinds share
    every field, consent rule and search facet, and differ only in how they are labelled."""

    kind = models.CharField(max_length=16, choices=StoryKind.choices)
    summary = models.TextField(max_length=1200)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="stories")
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    recorded_on = models.DateField(null=True, blank=True)
    themes = ParentalManyToManyField(Theme, blank=True, related_name="stories")
    dimensions = ParentalManyToManyField(Dimension, blank=True, related_name="stories")
    # The labels editors confirmed on the story's passages, kept by the app that holds the
    # passages (search: an editor confirms once, at the passage). Not in the admin form, nor
    # in a revision: publishing an old draft must not bring back labels taken off since.
    passage_themes = models.ManyToManyField(
        Theme, blank=True, related_name="stories_by_passage", editable=False
    )
    passage_dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="stories_by_passage", editable=False
    )
    # The editor's override: labels from passages this story is not about.
    excluded_themes = ParentalManyToManyField(
        Theme,
        blank=True,
        related_name="+",
        verbose_name="themes to leave off",
        help_text="Themes confirmed on this story's passages appear on the story too; "
        "choose any here to leave them off.",
    )
    excluded_dimensions = ParentalManyToManyField(
        Dimension,
        blank=True,
        related_name="+",
        verbose_name="dimensions to leave off",
        help_text="Dimensions confirmed on this story's passages appear on the story too; "
        "choose any here to leave them off.",
    )
    is_fictional = models.BooleanField(
        default=False,
        help_text="Demo content: shown with a clear 'fictional' label.",
    )
    # Content warnings (archive.warnings): shown before the player, on cards and in search.
    warns_racist_language = models.BooleanField("racist language", default=False)
    warns_violence = models.BooleanField("violence", default=False)
    warns_self_harm = models.BooleanField("self-harm", default=False)
    warning_other = models.CharField(
        "another warning",
        max_length=warnings.OTHER_MAX,
        blank=True,
        help_text="In a few words, for example 'describes a police raid'. Leave empty for none.",
    )

    content_panels = Page.content_panels + [
        ConsentSummaryPanel(),  # what the contributor agreed to, above everything else
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("borough"),
                FieldPanel("language"),
                FieldPanel("recorded_on"),
                FieldPanel("is_fictional"),
            ],
            heading="About this story",
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("warns_racist_language"),
                FieldPanel("warns_violence"),
                FieldPanel("warns_self_harm"),
                FieldPanel("warning_other"),
            ],
            heading="Content warnings",
        ),
        InlinePanel("story_recordings", label="Recordings", min_num=0),
        StoryEditorPanel("transcript", heading="Player and transcript"),
        MultiFieldPanel(
            [
                FieldPanel("themes"),
                FieldPanel("dimensions"),
                FieldPanel("excluded_themes"),
                FieldPanel("excluded_dimensions"),
            ],
            heading="Themes and dimensions",
        ),
        StoryEditorPanel("suggestions", heading="Label suggestions"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("kind"),
        index.FilterField("borough_id"),
        index.FilterField("language"),
        index.RelatedFields("borough", [index.SearchField("name")]),
        # Found by the names of its confirmed themes and dimensions (issue 13).
        index.SearchField("label_names"),
        # Found by the titles and synopses of its recordings' sections (issue 14).
        index.SearchField("indexed_text"),
    ]
    parent_page_types = ["archive.StoryIndexPage"]
    subpage_types = []
    base_form_class = StoryPageForm

    def label_names(self):
        """The names of the themes and dimensions it is linked to (its own, and its passages'
        confirmed ones less those the editor left off: as linked_themes), for search. A
        method, not RelatedFields: Wagtail's indexers cannot read a ParentalManyToManyField's
        manager. Read from the prefetched labels (get_indexed_objects), in Python."""
        names = []
        for field in ("themes", "dimensions"):
            own, by_passage, excluded = (
                list(getattr(self, name).all()) for name in _label_fields(field)
            )
            left_off = {label.pk for label in excluded}
            names += [label.name for label in own]
            names += [label.name for label in by_passage if label.pk not in left_off]
        return " ".join(dict.fromkeys(names))

    def indexed_text(self):
        """Words kept by apps above archive (archive.story_text): its sections' titles and
        synopses, redacted as the transcript is."""
        return story_text.story_text(self)

    class Meta:
        verbose_name = "story"
        verbose_name_plural = "stories"

    # How the consent gate reaches a thing's story (consent.gate): a story is its own.
    consent_story_path = ""

    @property
    def consent_stories(self):
        return [self]

    @property
    def kind_label(self):
        return StoryKind(self.kind).label

    @property
    def content_warnings(self) -> list[str]:
        return warnings.labels(self)

    @property
    def language_label(self):
        return dict(LANGUAGES).get(self.language, self.language)

    def linked_themes(self) -> models.QuerySet[Theme]:
        """The story's themes: its own and those confirmed on its passages, less those the
        editor left off (the editor's own choice wins over a passage's)."""
        return Theme.objects.filter(linked_to_story(self, "themes"))

    def linked_dimensions(self) -> models.QuerySet[Dimension]:
        return Dimension.objects.filter(linked_to_story(self, "dimensions"))

    def shown_recordings(self, user):
        """The recordings whose words may be shown, in order, each with `playable`: whether
        the player may be shown too. Transcript-only consent shows the words alone."""
        # One query through the gate's queryset form, not gate.may per recording (which
        # loads every story of each recording again): the story page's p95 (bench/pages.py).
        from .media import Recording

        recordings = Recording.objects.filter(story_links__story=self).order_by(
            "story_links__sort_order", "pk"
        )
        shown = list(dict.fromkeys(gate.permitted(gate.Use.SHOW, recordings, user)))
        playable = gate.may(gate.Use.PLAY, self, user)
        for recording in shown:
            recording.playable = playable
        return shown

    @classmethod
    def get_indexed_objects(cls):
        # Wagtail's own update_index asks the consent gate too; labels are read with the
        # stories (label_names), not two queries per story.
        labels = [name for field in ("themes", "dimensions") for name in _label_fields(field)]
        objects = super().get_indexed_objects().prefetch_related(*labels)
        return gate.permitted(gate.Use.INDEX, objects)

    def serve(self, request, *args, **kwargs):
        if not gate.may(gate.Use.SHOW, self, request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recordings"] = self.shown_recordings(request.user)
        context["themes"] = self.linked_themes()
        context["dimensions"] = self.linked_dimensions()
        context["related_stories"] = links.related(self, request.user)
        # The parent is always the story index (parent_page_types): one query, not two.
        parent_path = self.path[: -self.steplen]
        context["story_index"] = (
            StoryIndexPage.objects.filter(path=parent_path).first() or self.get_parent().specific
        )
        return context


class StoryRecording(Orderable):
    story = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="story_recordings")
    recording = models.ForeignKey(
        "archive.Recording", on_delete=models.CASCADE, related_name="story_links"
    )

    panels = [FieldPanel("recording")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["story", "recording"], name="story_recording_once")
        ]


class CollectionPage(Page):
    """A curated collection of stories, chosen by editors."""

    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        InlinePanel("items", label="Stories"),
    ]
    parent_page_types = ["archive.HomePage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ids = self.items.values_list("story_id", flat=True)
        stories = gate.permitted(
            gate.Use.SHOW, StoryPage.objects.live().filter(pk__in=ids), request.user
        )
        stories, context["hidden_warned"] = warnings.hidden_count(stories, request)
        context["hides_warned"] = warnings.hides_warned(request)
        order = {story_id: i for i, story_id in enumerate(ids)}
        context["stories"] = sorted(stories.select_related("borough"), key=lambda s: order[s.pk])
        return context


class CollectionItem(Orderable):
    collection = ParentalKey(CollectionPage, on_delete=models.CASCADE, related_name="items")
    story = models.ForeignKey(StoryPage, on_delete=models.CASCADE, related_name="collection_items")

    panels = [FieldPanel("story")]
