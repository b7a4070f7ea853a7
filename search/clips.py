"""Trainer clip search: finding passages allowed for training.

The trainer's clips and reels live in reuse (reuse.clips), which calls these. Every search
asks the consent gate again, so a passage whose consent is narrowed or withdrawn drops out."""

from typing import Any

from django.db.models import QuerySet

from archive.models import StoryPage
from consent import gate
from consent.gate import CLIP_PERMISSION

from .models import Passage

RESULTS = 30


def may_clip(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(CLIP_PERMISSION))


def clippable(user: Any) -> QuerySet[Passage]:
    stories = gate.permitted(gate.Use.CLIP, StoryPage.objects.live(), user)
    return Passage.objects.filter(
        allow_clip=True, story_id__in=list(stories.values_list("pk", flat=True))
    )


def search(query: str, user: Any) -> list[Passage]:
    passages = clippable(user)
    if not query.strip():
        return list(passages.select_related("story", "recording").order_by("-pk")[:RESULTS])
    found = list(passages.search(query, operator="or")[:RESULTS])
    related = Passage.objects.select_related("story", "recording").in_bulk([p.pk for p in found])
    return [related[p.pk] for p in found if p.pk in related]
