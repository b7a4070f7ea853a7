"""Public search: stories and their matching passages, with facets, through the gate.

Backend-blind: only Wagtail's search API (`.search()`, `.facet()`), so the same code runs on
the database backend and on the engine. The backend says which stories match (a facet on
the story id covers every match, not only the ranked ones); the facet counts over those
stories come from their cached facts (search.facts), which also covers the many-to-many
labels that engines cannot facet on."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.query import And, Or, Phrase, PlainText

from archive import warnings
from archive.models import Borough, Dimension, Recording, StoryKind, StoryPage, Theme, ThemeKind
from archive.models.pages import LANGUAGES, stories_with
from consent import gate
from transcription.sections import PublicSection, sections_of_stories

from . import facts, vocabulary
from .backends import changes
from .models import Passage, PassageQuerySet

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.query import PageQuerySet

    from consent.gate import Person as User

logger = logging.getLogger(__name__)
MAX_QUERY = 200
PER_PAGE = 10
# Relevance-ranked stories and passages read per search to make the ranked list of stories
# (10 pages); the total and the facet counts cover every match.
CAP = 100
PASSAGES_PER_STORY = 3
WORD = re.compile(r"\w+", re.UNICODE)
MINOR_WORDS = {"and", "of", "for", "the", "a", "an", "in", "to"}
# {facet: [(value, label, count)]}, as the search form lists them.
Facets = dict[str, list[tuple[str, str, int]]]


@dataclass
class Filters:
    q: str = ""
    borough: str = ""
    kind: str = ""
    language: str = ""
    theme: str = ""
    dimension: str = ""
    key_issue: str = ""
    captions: bool = False
    page: str = "1"

    FIELDS: ClassVar[tuple[str, ...]] = (
        "borough",
        "kind",
        "language",
        "theme",
        "dimension",
        "key_issue",
    )

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Filters:
        """Read the query string; anything malformed is ignored rather than refused."""
        clean = {name: clean_text(params.get(name), 80) for name in cls.FIELDS}
        return cls(
            q=clean_text(params.get("q"), MAX_QUERY),
            captions=params.get("captions") in ("1", "on"),
            page=clean_text(params.get("page"), 8) or "1",
            **clean,
        )

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.FIELDS) or self.captions


def clean_text(value: object, limit: int) -> str:
    """A query parameter as plain text: no control characters, single spaces, at most
    `limit` characters (reuse's report filters read theirs the same way)."""
    value = value if isinstance(value, str) else ""
    # Drop control characters (NUL crashes PostgreSQL) and collapse spaces.
    return " ".join("".join(ch for ch in value if ch.isprintable()).split())[:limit]


@dataclass
class StoryHit:
    story_id: int
    story: StoryPage | None = None  # loaded for the hits on the page shown only (_attach_stories)
    passages: list[Passage] = field(default_factory=list)
    # Sections (transcription.sections) whose words match, for the stories on the page shown.
    sections: list[PublicSection] = field(default_factory=list)


@dataclass
class Outcome:
    filters: Filters
    page: Page[StoryHit] | None = None
    total: int = 0
    capped: bool = False
    any_word: bool = False  # no story had every word; showing stories with any of them
    facets: Facets = field(default_factory=dict)
    unavailable: bool = False
    # Stories with content warnings left out because the visitor chose to hide them.
    hidden_warned: int = 0
    # The strategy's words (search.vocabulary): the query with misspelt words corrected, the
    # themes and dimensions it names (shown first, as links to their pages), key issues to try.
    did_you_mean: str = ""
    labels: list[LabelLink] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


@dataclass
class LabelLink:
    kind: str  # "Theme", "Key issue", "Dimension of racism", ...
    name: str
    summary: str
    url: str


def allowed_stories(
    filters: Filters, user: User | None, without_warned: bool = False
) -> QuerySet[StoryPage]:
    stories: QuerySet[StoryPage] = gate.permitted(gate.Use.SHOW, StoryPage.objects.live(), user)
    if without_warned:
        stories = stories.exclude(warnings.warned())
    if filters.borough:
        stories = stories.filter(borough__slug=filters.borough)
    if filters.kind:
        stories = stories.filter(kind=filters.kind)
    if filters.language:
        stories = stories.filter(language=filters.language)
    for name in ("theme", "dimension", "key_issue"):
        slug = getattr(filters, name)
        if slug:
            labels = "dimensions" if name == "dimension" else "themes"
            stories = stories.filter(stories_with(labels, slug))
    if filters.captions:
        stories = stories.filter(passages__has_captions=True)
    return stories.distinct()


def search(
    params: Mapping[str, Any], user: User | None = None, hide_warned: bool = False
) -> Outcome:
    """`hide_warned`: the visitor chose to hide stories with content warnings (their
    number is outcome.hidden_warned)."""
    filters = Filters.from_params(params)
    outcome = Outcome(filters=filters)
    allowed = allowed_ids(filters, user)
    shown = allowed_ids(filters, user, without_warned=True) if hide_warned else allowed
    matched: Collection[int]
    try:
        if WORD.search(filters.q):
            hits, matched = _hits(filters, Scope.of(filters, user, allowed), outcome)
            hits = [hit for hit in hits if hit.story_id in shown]
        else:
            matched = allowed
            hits = _browse(shown)
        outcome.hidden_warned = len(set(matched) - shown)
        matched = set(matched) & shown
    except Exception:
        # The engine is down or slow: say so plainly rather than fail the page.
        logger.exception("search: the search backend did not answer")
        outcome.unavailable = True
        return outcome
    outcome.total = len(matched)
    _strategy_words(outcome)
    outcome.capped = len(hits) < outcome.total
    outcome.facets = facet_counts(matched)
    _keep_chosen(outcome.facets, filters)
    page = Paginator(hits, PER_PAGE).get_page(filters.page)
    page.object_list = _attach_stories(page.object_list, _words_to_mark(filters.q))
    _attach_sections(page.object_list, _words_to_mark(filters.q), user)
    outcome.page = page
    return outcome


def allowed_ids(
    filters: Filters, user: User | None, without_warned: bool = False
) -> frozenset[int]:
    """The ids of the stories the gate shows `user` (narrowed by the filters): this
    process's copy while no table the gate's statement reads has changed
    (search.backends.changes), so a withdrawal or narrowing is seen by the next search."""
    stories = allowed_stories(filters, user, without_warned).values_list("pk", flat=True)
    connection = connections[stories.db]
    try:
        sql, params = stories.query.sql_with_params()
    except EmptyResultSet:
        return frozenset()

    def read() -> frozenset[int]:
        return frozenset(stories)

    key = ("allowed stories", sql, tuple(map(repr, params)))
    kept = changes.kept(connection, key, sql, read)
    return kept if kept is not None else read()


@dataclass
class Scope:
    """What the backend is asked to search within. For the public, the consent state the
    index holds: live stories, and passages with allow_show (both kept current by the
    queued index updates), so no list of ids is sent with each search; the gate's list
    (`allowed`) then checks every story the backend names, so a stale index entry never
    reaches the page, the total or the facets. Otherwise (someone signed in, who may see
    stories the public may not; a filter chosen) the gate's list itself, as a filter."""

    stories: PageQuerySet
    passages: PassageQuerySet[Passage]
    allowed: frozenset[int]

    @classmethod
    def of(cls, filters: Filters, user: User | None, allowed: frozenset[int]) -> Scope:
        stories = StoryPage.objects.live()
        passages = Passage.objects.filter(allow_show=True)
        if filters.active or (user is not None and user.is_authenticated):
            stories = stories.filter(id__in=allowed)
            passages = passages.filter(story_id__in=allowed)
        return cls(stories, passages, allowed)


def _strategy_words(outcome: Outcome) -> None:
    query = outcome.filters.q
    if not outcome.total:
        outcome.examples = vocabulary.examples(query)
    if not WORD.search(query):
        return
    outcome.labels = label_links(query)
    if not outcome.total or outcome.any_word:
        # Only when no story has every word: a word that finds stories is a word people use.
        outcome.did_you_mean = vocabulary.did_you_mean(query)


def label_links(query: str) -> list[LabelLink]:
    """The theme and dimension pages the query names, for the first result."""
    from archive.models import StoryIndexPage

    index = StoryIndexPage.objects.live().first()
    if index is None:
        return []
    base = index.url or "/"
    base = base if base.endswith("/") else base + "/"
    links = []
    for label in vocabulary.labels_named(query):
        if isinstance(label, Dimension):
            links.append(
                LabelLink(
                    "Dimension of racism",
                    f"{label.name} racism",
                    label.definition,
                    base + index.reverse_subpage("by_dimension", args=(label.slug,)),
                )
            )
        elif isinstance(label, Theme):
            links.append(
                LabelLink(
                    label.get_kind_display(),
                    label.name,
                    label.summary,
                    base + index.reverse_subpage("by_theme", args=(label.slug,)),
                )
            )
    return links


def search_query(text: str, operator: str) -> Or | PlainText:
    """The backend's query for what was typed, or any of its forms in the strategy's words
    (search.vocabulary): each with every word ("and") or any ("or"); a concept's form of
    several words is one phrase."""
    forms = [PlainText(text, operator=operator)]
    combine = And if operator == "and" else Or
    for parts in vocabulary.expansions(text):
        pieces = [Phrase(t) if phrase else PlainText(t, operator=operator) for t, phrase in parts]
        forms.append(pieces[0] if len(pieces) == 1 else combine(pieces))
    return forms[0] if len(forms) == 1 else Or(forms)


def _words_to_mark(query: str) -> str:
    """The query's words and its expansions' (search.vocabulary), for the snippets; an
    expansion's "and" or "of" is not marked."""
    if not WORD.search(query):
        return query
    extra = [w for form in vocabulary.alternatives(query)[1:] for w in WORD.findall(form)]
    return " ".join([query, *(w for w in extra if w.lower() not in MINOR_WORDS)])


def _keep_chosen(facets: Facets, filters: Filters) -> None:
    # A chosen filter stays in its list (count 0) so the form still shows what was chosen.
    for name in Filters.FIELDS:
        chosen = getattr(filters, name)
        if chosen and chosen not in {value for value, _label, _n in facets[name]}:
            facets[name].append((chosen, chosen, 0))


def _browse(ids: Collection[int]) -> list[StoryHit]:
    stories = StoryPage.objects.filter(pk__in=ids).order_by("-first_published_at", "-pk")
    return [StoryHit(pk) for pk in stories.values_list("pk", flat=True)[:CAP]]


def _hits(filters: Filters, scope: Scope, outcome: Outcome) -> tuple[list[StoryHit], set[int]]:
    hits, matched = _ranked(filters, scope, "and")
    if not matched:
        hits, matched = _ranked(filters, scope, "or")
        outcome.any_word = bool(matched)
    return hits, matched


def _ranked(filters: Filters, scope: Scope, operator: str) -> tuple[list[StoryHit], set[int]]:
    """(hits, matched): the best CAP stories in the backend's relevance order (stories whose
    own text matches, then stories found through their passages, each with its best
    passages), and the ids of every story that matches, for the total and the facets. Only
    stories on the gate's list: an index entry not yet updated after a withdrawal is left
    out here."""
    query = search_query(filters.q, operator)
    # Only what ranking needs: the page's stories are loaded in full later (_attach_stories).
    stories = scope.stories.only("pk").search(query)
    passages = scope.passages.only("pk", "story_id", "start", "end", "text")
    if filters.captions:
        passages = passages.filter(has_captions=True)
    found = passages.search(query)
    # Every match, counted by the backend without loading them: a facet on the story's id.
    # Engines also drop a filter on a page's id (a *_ptr_id column): the gate's list decides.
    matched = (set(stories.facet("id")) | set(found.facet("story_id"))) & scope.allowed
    hits = {story.pk: StoryHit(story.pk) for story in stories[:CAP] if story.pk in matched}
    for passage in found[:CAP]:
        if passage.story_id not in matched:
            continue
        hit = hits.setdefault(passage.story_id, StoryHit(passage.story_id))
        if len(hit.passages) < PASSAGES_PER_STORY:
            hit.passages.append(passage)
    return list(hits.values())[:CAP], matched


def _attach_stories(hits: Iterable[StoryHit], query: str) -> list[StoryHit]:
    # Only the stories on this page are loaded in full, with what the result card shows.
    stories = StoryPage.objects.filter(pk__in=[h.story_id for h in hits]).select_related("borough")
    by_pk = {story.pk: story for story in stories}
    for hit in hits:
        hit.story = by_pk.get(hit.story_id)
        for passage in hit.passages:
            passage.snippet = highlight(passage.text, query)
    return [hit for hit in hits if hit.story]  # a story deleted since the search is left out


def _attach_sections(hits: list[StoryHit], query: str, user: User | None) -> None:
    """The sections whose title, synopsis or keywords hold a word of the query, for the
    stories on this page, each to be linked at its start. The backend found the story by
    these words (its index entry holds them: StoryPage.indexed_text); which section holds
    them is read here, for the page's stories only, from recordings the gate shows."""
    stems = {_stem(w) for w in WORD.findall(query)}
    if not stems or not hits:
        return
    ids = [hit.story_id for hit in hits]
    recordings = Recording.objects.filter(story_links__story_id__in=ids, sections__isnull=False)
    shown = gate.permitted(gate.Use.SHOW, recordings.distinct(), user)
    by_story = sections_of_stories(ids, shown.prefetch_related("story_links"))
    for hit in hits:
        for section in by_story.get(hit.story_id, []):
            if stems & {_stem(w) for w in WORD.findall(section.text)}:
                section.snippet = highlight(section.synopsis or section.title, query)
                hit.sections.append(section)
        del hit.sections[PASSAGES_PER_STORY:]


def facet_counts(story_ids: Iterable[int]) -> Facets:
    """{facet: [(value, label, count)]} over the matched stories, counted from every story's
    cached facts (search.facts) rather than by sending the ids into SQL."""
    counts = facts.all_facts().count(story_ids)
    boroughs = dict(Borough.objects.values_list("slug", "name"))
    kinds, languages = dict(StoryKind.choices), dict(LANGUAGES)
    themes = Theme.objects.all()
    return {
        "borough": _ranked_values(counts["borough"], boroughs),
        "kind": _ranked_values(counts["kind"], kinds),
        "language": _ranked_values(counts["language"], languages),
        "theme": _label_values(counts["themes"], themes.exclude(kind=ThemeKind.KEY_ISSUE)),
        "key_issue": _label_values(counts["themes"], themes.filter(kind=ThemeKind.KEY_ISSUE)),
        "dimension": _label_values(counts["dimensions"], Dimension.objects.all()),
        "captions": [("1", "Has captions", counts["captions"])],
        "warning": _listed_values(counts["warning"], WARNING_LABELS),
    }


WARNING_LABELS = {**dict(warnings.CHOICES), "none": "No content warning"}


def _listed_values(counter: Counter[str], labels: Mapping[str, str]) -> list[tuple[str, str, int]]:
    # In the list's own order, each with its count (0 included: the list is short).
    return [(value, label, counter[value]) for value, label in labels.items()]


def _ranked_values(counter: Counter[str], labels: Mapping[str, str]) -> list[tuple[str, str, int]]:
    return [(value, labels.get(value, value), n) for value, n in counter.most_common() if value]


def _label_values(
    counter: Counter[str], labels: Iterable[Theme | Dimension]
) -> list[tuple[str, str, int]]:
    # In the strategy's order, as before; labels no matching story has are left out.
    return [
        (label.slug, label.name, counter[label.slug]) for label in labels if counter[label.slug]
    ]


# --- snippets ------------------------------------------------------------------------

SUFFIXES = ("ations", "ation", "ingly", "ing", "edly", "ed", "ies", "es", "ly", "s", "e")


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def highlight(text: str, query: str, width: int = 240) -> SafeString:
    """The passage text around the first matching word, with matches in <mark>. Matching is
    by a light stem so it agrees with the stemmed search ("policing" marks "police")."""
    stems = {_stem(w) for w in WORD.findall(query)}
    words = list(WORD.finditer(text))
    marked = [m for m in words if _stem(m.group()) in stems]
    start = max(0, marked[0].start() - width // 3) if marked else 0
    end = min(len(text), start + width)
    out, at = [], start
    for m in marked:
        if m.start() < start or m.end() > end:
            continue
        out += [escape(text[at : m.start()]), "<mark>", escape(m.group()), "</mark>"]
        at = m.end()
    out.append(escape(text[at:end]))
    prefix, suffix = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    # Every piece of the passage's text went through escape() above; only the <mark> tags
    # written here are markup.
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - its text is escaped
