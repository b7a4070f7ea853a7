"""The "Label suggestions" panel of the story editor (archive.editor_panels): the model's
suggestions for this story's passages, each with its reason, to confirm or reject there."""

from __future__ import annotations

from itertools import groupby

from .models import Suggestion, SuggestionStatus
from .suggestions import NO_LABEL_FITS


def context(story, request) -> dict:
    waiting = (
        Suggestion.objects.filter(passage__story=story, status=SuggestionStatus.SUGGESTED)
        .select_related("passage", "dimension", "theme")
        .order_by("passage__start", "label_kind", "rank")
    )
    decided = Suggestion.objects.filter(passage__story=story).exclude(reason=NO_LABEL_FITS)
    return {
        "passages": [
            (passage, list(suggestions))
            for passage, suggestions in groupby(waiting, key=lambda s: s.passage)
        ],
        "confirmed": decided.filter(status=SuggestionStatus.CONFIRMED).count(),
        "rejected": decided.filter(status=SuggestionStatus.REJECTED).count(),
    }
