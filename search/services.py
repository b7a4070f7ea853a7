"""Public search: stories and their matching passages, with facets, through the gate.

Backend-blind: only Wagtail's search API (`.search()`, `.count()`), so the same code runs on
the database backend and on the engine. Facet counts are taken in the database over the
matched stories, which also covers many-to-many labels that engines cannot facet on."""

import logging
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from archive.models import Borough, Dimension, StoryKind, StoryPage, Theme, ThemeKind
from archive.models.pages import LANGUAGES
from consent import gate

from .models import Passage

logger = logging.getLogger(__name__)
MAX_QUERY = 200
PER_PAGE = 10
# Relevance-ranked hits gathered per search before grouping by story; facet counts and the
# story total cover these (the page says "more than" when the cap is reached).
CAP = 500
PASSAGES_PER_STORY = 3
WORD = re.compile(r"\w+", re.UNICODE)


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

    FIELDS = ("borough", "kind", "language", "theme", "dimension", "key_issue")

    @classmethod
    def from_params(cls, params):
        """Read the query string; anything malformed is ignored rather than refused."""
        clean = {name: _text(params.get(name), 80) for name in cls.FIELDS}
        return cls(
            q=_text(params.get("q"), MAX_QUERY), captions=params.get("captions") in ("1", "on"),
            page=_text(params.get("page"), 8) or "1", **clean,
        )

    @property
    def active(self):
        return any(getattr(self, name) for name in self.FIELDS) or self.captions


def _text(value, limit):
    value = value if isinstance(value, str) else ""
    # Drop control characters (NUL crashes PostgreSQL) and collapse spaces.
    return " ".join("".join(ch for ch in value if ch.isprintable()).split())[:limit]


@dataclass
class StoryHit:
    story: StoryPage
    passages: list = field(default_factory=list)


@dataclass
class Outcome:
    filters: Filters
    page: object = None
    total: int = 0
    capped: bool = False
    any_word: bool = False  # no story had every word; showing stories with any of them
    facets: dict = field(default_factory=dict)
    unavailable: bool = False


def allowed_stories(filters, user):
    stories = gate.permitted(gate.Use.SHOW, StoryPage.objects.live(), user)
    if filters.borough:
        stories = stories.filter(borough__slug=filters.borough)
    if filters.kind:
        stories = stories.filter(kind=filters.kind)
    if filters.language:
        stories = stories.filter(language=filters.language)
    for name in ("theme", "dimension", "key_issue"):
        slug = getattr(filters, name)
        if slug:
            model = "dimensions" if name == "dimension" else "themes"
            stories = stories.filter(
                Q(**{f"{model}__slug": slug}) | Q(**{f"passages__{model}__slug": slug})
            )
    if filters.captions:
        stories = stories.filter(passages__has_captions=True)
    return stories.distinct()


def search(params, user=None):
    filters = Filters.from_params(params)
    outcome = Outcome(filters=filters)
    ids = list(allowed_stories(filters, user).values_list("pk", flat=True))
    try:
        hits = _hits(filters, ids, outcome) if WORD.search(filters.q) else _browse(ids)
    except Exception:
        # The engine is down or slow: say so plainly rather than fail the page.
        logger.exception("search: the search backend did not answer")
        outcome.unavailable = True
        return outcome
    outcome.total = len(hits)
    outcome.facets = facet_counts([hit.story.pk for hit in hits])
    _keep_chosen(outcome.facets, filters)
    outcome.page = Paginator(hits, PER_PAGE).get_page(filters.page)
    _attach_stories(outcome.page.object_list)
    return outcome


def _keep_chosen(facets, filters):
    # A chosen filter stays in its list (count 0) so the form still shows what was chosen.
    for name in Filters.FIELDS:
        chosen = getattr(filters, name)
        if chosen and chosen not in {value for value, _label, _n in facets[name]}:
            facets[name].append((chosen, chosen, 0))


def _browse(ids):
    stories = StoryPage.objects.filter(pk__in=ids).order_by("-first_published_at", "-pk")
    return [StoryHit(story=s) for s in stories.only("pk")[:CAP]]


def _hits(filters, ids, outcome):
    hits = _ranked(filters, ids, "and")
    if not hits:
        hits = _ranked(filters, ids, "or")
        outcome.any_word = bool(hits)
    outcome.capped = len(hits) >= CAP
    return hits


def _ranked(filters, ids, operator):
    """Stories whose own text matches, then stories found only through their passages, each
    with its best passages, in the backend's relevance order."""
    stories = StoryPage.objects.filter(id__in=ids).search(filters.q, operator=operator)[:CAP]
    passages = Passage.objects.filter(story_id__in=ids, allow_show=True)
    if filters.captions:
        passages = passages.filter(has_captions=True)
    found = passages.search(filters.q, operator=operator)[:CAP]
    hits = {story.pk: StoryHit(story=story) for story in stories}
    for passage in found:
        hit = hits.setdefault(passage.story_id, StoryHit(story=StoryPage(pk=passage.story_id)))
        if len(hit.passages) < PASSAGES_PER_STORY:
            passage.snippet = highlight(passage.text, filters.q)
            hit.passages.append(passage)
    return list(hits.values())[:CAP]


def _attach_stories(hits):
    # Only the stories on this page are loaded in full, with what the result card shows.
    stories = StoryPage.objects.filter(pk__in=[h.story.pk for h in hits]).select_related("borough")
    by_pk = {story.pk: story for story in stories}
    for hit in hits:
        hit.story = by_pk.get(hit.story.pk, hit.story)


def facet_counts(story_ids):
    """{facet: [(value, label, count)]} over the matched stories."""
    stories = StoryPage.objects.filter(pk__in=story_ids)
    boroughs = dict(Borough.objects.values_list("slug", "name"))
    kinds, languages = dict(StoryKind.choices), dict(LANGUAGES)
    return {
        "borough": _count(stories, "borough__slug", boroughs),
        "kind": _count(stories, "kind", kinds),
        "language": _count(stories, "language", languages),
        "theme": _labels(story_ids, Theme.objects.exclude(kind=ThemeKind.KEY_ISSUE), "themes"),
        "key_issue": _labels(story_ids, Theme.objects.filter(kind=ThemeKind.KEY_ISSUE), "themes"),
        "dimension": _labels(story_ids, Dimension.objects.all(), "dimensions"),
        "captions": [("1", "Has captions", stories.filter(passages__has_captions=True).distinct().count())],
    }


def _count(stories, field_name, labels):
    rows = stories.values(field_name).annotate(n=Count("pk", distinct=True)).order_by("-n")
    return [(row[field_name], labels.get(row[field_name], row[field_name]), row["n"]) for row in rows]


def _labels(story_ids, labels, relation):
    # A story counts under a label it has, or that one of its passages has been confirmed for.
    pairs = set(
        StoryPage.objects.filter(pk__in=story_ids, **{f"{relation}__in": labels})
        .values_list("pk", f"{relation}__slug")
    ) | set(
        Passage.objects.filter(story_id__in=story_ids, **{f"{relation}__in": labels})
        .values_list("story_id", f"{relation}__slug")
    )
    counts = {}
    for _story, slug in pairs:
        counts[slug] = counts.get(slug, 0) + 1
    return [(l.slug, l.name, counts[l.slug]) for l in labels if counts.get(l.slug)]


# --- snippets ------------------------------------------------------------------------

SUFFIXES = ("ations", "ation", "ingly", "ing", "edly", "ed", "ies", "es", "ly", "s", "e")


def _stem(word):
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def highlight(text, query, width=240):
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
    return mark_safe(prefix + "".join(out) + suffix)
