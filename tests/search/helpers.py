"""Stories and passages for search tests, made the way the archive makes them."""

from tests.factories import make_story


def consented_story(
    title, summary="A short test story.", uses=("public_website", "training"), **kw
):
    kw.setdefault("consent", {"uses": uses})
    return make_story(title=title, summary=summary, **kw)


def add_passage(story, text, start=0.0, end=30.0, **fields):
    """A passage as search.passages makes it: story facts copied, then queued for indexing."""
    from search import indexing, passages
    from search.models import Passage

    story.refresh_from_db()
    facts = {**passages.story_facts(story), "has_captions": True, **fields}
    passage = Passage.objects.create(story=story, start=start, end=end, text=text, **facts)
    indexing.queue(passage)
    return passage


def scope_of(story, kind, **fields):
    """The Scope a withdrawal (or a lapse of consent: kind "expired") passes to its steps."""
    from consent.withdrawal import Scope

    if kind == "expired":
        fields.setdefault("uses_removed", ["public_website", "training", "reports"])
    return Scope(kind=kind, story_id=story.pk, consent_record_id=story.consent.pk, **fields)
