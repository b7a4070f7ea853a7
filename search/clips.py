"""Trainer clip search: passages allowed for training, and a basket of chosen clips.

The basket lives in the session (a list of {passage, start, end}); captioned clips and
reels are built from it next. Every read asks the consent gate again, so a clip whose
consent is narrowed or withdrawn drops out of search results and of the basket."""

from archive.models import StoryPage
from consent import gate

# Until consent.gate.CLIP_PERMISSION lands: the lead makes this `from consent.gate import ...`.
from consent.gate import CLIP_PERMISSION

from .models import Passage

SESSION_KEY = "clip_basket"
STEP = 5.0  # seconds a clip is widened or narrowed by
MIN_LENGTH = 3.0
RESULTS = 30


def may_clip(user):
    return user.is_authenticated and user.has_perm(CLIP_PERMISSION)


def clippable(user):
    stories = gate.permitted(gate.Use.CLIP, StoryPage.objects.live(), user)
    return Passage.objects.filter(
        allow_clip=True, story_id__in=list(stories.values_list("pk", flat=True))
    )


def search(query, user):
    passages = clippable(user)
    if not query.strip():
        return list(passages.select_related("story", "recording").order_by("-pk")[:RESULTS])
    found = list(passages.search(query, operator="or")[:RESULTS])
    related = Passage.objects.select_related("story", "recording").in_bulk([p.pk for p in found])
    return [related[p.pk] for p in found if p.pk in related]


def basket(request):
    """The basket's clips that the gate still allows, with their passages."""
    items = request.session.get(SESSION_KEY, [])
    allowed = (
        clippable(request.user)
        .select_related("story", "recording")
        .in_bulk([item["passage"] for item in items])
    )
    return [
        dict(item, passage_obj=allowed[item["passage"]])
        for item in items
        if item["passage"] in allowed
    ]


def change(request, passage_id, action):
    """add, remove, widen or narrow one clip; returns False if the passage is not clippable."""
    passage = clippable(request.user).filter(pk=passage_id).first()
    if passage is None:
        return False
    items = [i for i in request.session.get(SESSION_KEY, []) if i["passage"] != passage.pk]
    current = next(
        (i for i in request.session.get(SESSION_KEY, []) if i["passage"] == passage.pk),
        {"passage": passage.pk, "start": passage.start, "end": passage.end},
    )
    if action == "widen":
        longest = _duration(passage) or current["end"] + STEP
        current = {
            **current,
            "start": max(0.0, current["start"] - STEP),
            "end": min(longest, current["end"] + STEP),
        }
    elif action == "narrow" and current["end"] - current["start"] - 2 * STEP >= MIN_LENGTH:
        current = {**current, "start": current["start"] + STEP, "end": current["end"] - STEP}
    if action != "remove":
        items.append(current)
        items.sort(key=lambda i: i["passage"])
    request.session[SESSION_KEY] = items
    return True


def _duration(passage):
    recording = passage.recording
    return float(recording.duration) if recording is not None and recording.duration else None
