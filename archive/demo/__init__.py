"""The demo archive: fictional stories with real, playable media, made offline.

    load_demo()               every story in stories.STORIES; safe to run again
    create_demo_story(spec)   one story: page, recording, rendition, consent, published

Media goes through the same accept_recording service and make_rendition task as a real
upload, so the demo also shows that path working. Stories are matched by slug, so a
second run finds them and only fills in what is missing."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from archive.models import Borough, Dimension, StoryIndexPage, StoryPage, StoryRecording, Theme

from .media import media_for
from .stories import STORIES


class DemoError(Exception):
    """The demo cannot be loaded; the message says what to do."""


@dataclass
class DemoResult:
    created: int = 0
    existing: int = 0


def load_demo(log=lambda message: None, only=None):
    """Load every demo story, or only those whose slugs are in `only`."""
    index = story_index()
    result = DemoResult()
    unknown = set(only or ()) - {spec["slug"] for spec in STORIES}
    if unknown:
        raise DemoError(f"There is no demo story called {', '.join(sorted(unknown))}.")
    for spec in STORIES:
        if only and spec["slug"] not in only:
            continue
        story, created = create_demo_story(spec, index)
        result.created += created
        result.existing += not created
        log(f"{'Created' if created else 'Already there'}: {story.title} ({spec['borough']})")
    return result


def story_index():
    index = StoryIndexPage.objects.filter(slug="stories").first()
    if index is None:
        raise DemoError(
            "The story index page is missing. Run `manage.py migrate`, which creates it."
        )
    return index


def create_demo_story(spec, index=None):
    """Make (or complete) one fictional story. Returns (story, created)."""
    index = index or story_index()
    story = StoryPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    created = story is None
    if created:
        story = _new_story(spec, index)
    _attach_recording(story, spec)
    _tag(story, spec)
    give_demo_consent(story)
    if not story.live or story.has_unpublished_changes:
        story.save_revision().publish()
    return story, created


def _new_story(spec, index):
    story = StoryPage(
        title=spec["title"],
        slug=spec["slug"],
        kind=spec["kind"],
        borough=_borough(spec["borough"]),
        language=spec["language"],
        recorded_on=date.fromisoformat(spec["recorded_on"]),
        summary=f"Fictional demo content. {spec['summary']}",
        is_fictional=True,
        live=False,
    )
    with transaction.atomic():
        index.add_child(instance=story)
    return story


def _borough(slug):
    try:
        return Borough.objects.get(slug=slug)
    except Borough.DoesNotExist:
        raise DemoError(f"The borough '{slug}' is missing. Run `manage.py migrate`.") from None


def _attach_recording(story, spec):
    from django.core.files import File

    from archive.services import accept_recording
    from archive.tasks import make_rendition

    link = story.story_recordings.select_related("recording").first()
    recording = link.recording if link else None
    if recording is None:
        path = media_for(spec)
        with path.open("rb") as handle:
            recording = accept_recording(
                File(handle, name=path.name), title=spec["title"], language=spec["language"]
            )
        StoryRecording.objects.create(story=story, recording=recording)
    # Inline, not queued, so the demo plays as soon as the command ends.
    make_rendition.call(recording.pk)


def _tag(story, spec):
    themes = list(Theme.objects.filter(slug__in=spec["themes"]))
    dimensions = list(Dimension.objects.filter(slug__in=spec["dimensions"]))
    missing = set(spec["themes"] + spec["dimensions"]) - {t.slug for t in themes + dimensions}
    if missing:
        raise DemoError(f"These themes or dimensions are missing: {', '.join(sorted(missing))}.")
    story.themes.set(themes)
    story.dimensions.set(dimensions)
    story.save()


def give_demo_consent(story):
    """The hook for consent: every fictional story gets a consent record, so the demo
    shows what consent allows (voice and face, the website, training and reports)."""
    from consent.records import demo_consent

    demo_consent(story)
