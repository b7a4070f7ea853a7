"""Suggestions become labels only when an editor confirms them."""

from django.db import transaction
from django.utils import timezone

from archive.models import Dimension, Theme

from . import indexing
from .models import LabelKind, Passage, Suggestion, SuggestionStatus

KIND_OF = {
    "dimensions": LabelKind.DIMENSION,
    "key_issues": LabelKind.KEY_ISSUE,
    "outcomes": LabelKind.OUTCOME,
}
PER_KIND = {"dimensions": 2, "key_issues": 3, "outcomes": 2}  # what an editor is asked about
# The mark left on a passage the model had nothing to suggest for, so it is not asked again.
NO_LABEL_FITS = "no label fits"


def store(passage, result):
    """Save the top suggestions of one passage (Suggester.suggest output) for review."""
    dimensions = {d.name: d for d in Dimension.objects.all()}
    themes = {t.name: t for t in Theme.objects.all()}
    rows = []
    for kind, suggestions in result.items():
        for rank, s in enumerate(suggestions[: PER_KIND[kind]], start=1):
            target = (
                {"dimension": dimensions.get(s.name)}
                if kind == "dimensions"
                else {"theme": themes.get(s.name)}
            )
            if None in target.values():
                continue
            rows.append(
                Suggestion(
                    passage=passage,
                    label_kind=KIND_OF[kind],
                    rank=rank,
                    score=s.score,
                    reason=s.reason,
                    **target,
                )
            )
    Suggestion.objects.bulk_create(rows)
    return rows


def suggest_for_new_passages(suggester, chunk=64):
    passages = Passage.objects.filter(suggestions__isnull=True).order_by("pk")
    done = 0
    while batch := list(passages[:chunk]):
        for passage, result in zip(batch, suggester.suggest([p.text for p in batch]), strict=True):
            if not store(passage, result):
                Suggestion.objects.create(
                    passage=passage,
                    label_kind=LabelKind.DIMENSION,
                    status=SuggestionStatus.REJECTED,
                    reason=NO_LABEL_FITS,
                )
        done += len(batch)
    return done


@transaction.atomic
def decide(suggestion, user, confirm):
    """Confirm (the label joins the passage, and so the public facets) or reject."""
    suggestion.status = SuggestionStatus.CONFIRMED if confirm else SuggestionStatus.REJECTED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    passage = suggestion.passage
    if suggestion.dimension_id:
        (passage.dimensions.add if confirm else passage.dimensions.remove)(suggestion.dimension_id)
    if suggestion.theme_id:
        (passage.themes.add if confirm else passage.themes.remove)(suggestion.theme_id)
    indexing.queue(passage)
    return suggestion
