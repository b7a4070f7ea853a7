"""The quote finder and the quotes chosen for a report: passages whose storytellers agreed
to reports, found through the search backend (the same on every backend), each with its
credit line and a link to its moment. Every read asks the gate again for the real user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Max, QuerySet

from archive.models import StoryPage
from consent import gate
from consent.templatetags.consent_tags import story_credit
from search.models import Passage
from search.services import WORD

from .models import ReportQuote, SavedReport
from .reports import ReportFilters, counted_stories

if TYPE_CHECKING:
    from consent.gate import Person as User

RESULTS = 30


def may_quote(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(gate.QUOTE_PERMISSION))


def quotable(user: User, filters: ReportFilters | None = None) -> QuerySet[Passage]:
    """Passages the gate lets `user` quote, on stories matching the filters (words aside)."""
    stories = counted_stories(_without_words(filters or ReportFilters()), user)
    return Passage.objects.filter(
        allow_quote=True, story_id__in=list(stories.values_list("pk", flat=True))
    )


def _without_words(filters: ReportFilters) -> ReportFilters:
    return ReportFilters(**{**filters.__dict__, "q": ""})


def find(filters: ReportFilters, user: User) -> list[Passage]:
    passages = quotable(user, filters)
    if not WORD.search(filters.q):
        found = list(passages.order_by("-pk").values_list("pk", flat=True)[:RESULTS])
    else:
        found = [p.pk for p in passages.search(filters.q, operator="or")[:RESULTS]]
    loaded = Passage.objects.select_related("story", "story__borough").in_bulk(found)
    return [loaded[pk] for pk in found if pk in loaded]


@dataclass
class Credit:
    """How a quote is credited, and where its moment is."""

    teller: str
    borough: str
    kind: str
    year: str
    link: str  # the public story page at the moment, or "" when not on the public website

    @property
    def line(self) -> str:
        return ", ".join(part for part in (self.teller, self.borough, self.kind, self.year) if part)


def credit(passage: Passage) -> Credit:
    story: StoryPage = passage.story
    when = story.recorded_on or story.first_published_at
    link = ""
    if gate.allows(gate.Use.SHOW, story) and story.url:
        link = f"{story.full_url or story.url}#t={passage.timestamp}"
    return Credit(
        teller=story_credit(story),
        borough=story.borough.name if story.borough_id else "",
        kind=story.get_kind_display(),
        year=str(when.year) if when else "",
        link=link,
    )


def chosen(report: SavedReport, user: User) -> list[tuple[ReportQuote, Credit]]:
    """The report's quotes the gate still lets `user` quote, in order, with their credits.
    A quote whose story no longer allows it is left out (and kept, in case consent returns,
    until reuse's withdrawal step removes it)."""
    quotes = gate.permitted(gate.Use.QUOTE, report.quotes.all(), user).select_related(
        "passage", "passage__story", "passage__story__borough"
    )
    return [(quote, credit(quote.passage)) for quote in quotes.order_by("position", "pk")]


def add(report: SavedReport, passage_id: int, user: User) -> bool:
    passage = quotable(user).filter(pk=passage_id).first()
    if passage is None:
        return False
    last = report.quotes.aggregate(last=Max("position"))["last"]
    ReportQuote.objects.get_or_create(
        report=report, passage=passage, defaults={"position": 0 if last is None else last + 1}
    )
    return True


def remove(report: SavedReport, quote_id: int) -> None:
    report.quotes.filter(pk=quote_id).delete()


def move(report: SavedReport, quote_id: int, step: int) -> None:
    """Move a quote up (-1) or down (+1), renumbering the positions 0, 1, 2..."""
    quotes = list(report.quotes.order_by("position", "pk"))
    at = next((i for i, q in enumerate(quotes) if q.pk == quote_id), None)
    if at is None or not 0 <= at + step < len(quotes):
        return
    quotes[at], quotes[at + step] = quotes[at + step], quotes[at]
    for position, quote in enumerate(quotes):
        quote.position = position
    ReportQuote.objects.bulk_update(quotes, ["position"])
