"""The demo archive: fictional, spread across the six boroughs and three kinds, with
real media that plays at once, and safe to load twice."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.demo.stories import STORIES
from archive.models import Borough, Dimension, Recording, StoryKind, StoryPage, Theme

pytestmark = pytest.mark.django_db

# One of each kind, including a film and a story in another language; the full set is
# loaded by `make run` and checked below without making its media.
SAMPLE = ["the-bus-into-town", "the-warehouse-shifts", "wirral-a-new-start"]


def test_the_stories_cover_every_borough_and_kind_in_more_than_one_language():
    assert len(STORIES) >= 12
    assert {s["borough"] for s in STORIES} == set(Borough.objects.values_list("slug", flat=True))
    assert {s["kind"] for s in STORIES} == set(StoryKind.values)
    assert Counter(s["language"] for s in STORIES).keys() >= {"en", "pl", "fr"}
    assert len({s["slug"] for s in STORIES}) == len(STORIES)


def test_every_theme_and_dimension_named_exists_in_the_strategy_taxonomy():
    themes = set(Theme.objects.values_list("slug", flat=True))
    dimensions = set(Dimension.objects.values_list("slug", flat=True))
    for story in STORIES:
        assert story["themes"] and set(story["themes"]) <= themes, story["slug"]
        assert story["dimensions"] and set(story["dimensions"]) <= dimensions, story["slug"]


def test_scripts_are_short():
    for story in STORIES:
        sentences = [s for s in story["script"].replace("!", ".").split(". ") if s.strip()]
        assert 2 <= len(sentences) <= 4, story["slug"]


def test_load_demo_makes_published_fictional_stories_that_play(client, media_root, ffmpeg):
    call_command("load_demo", only=SAMPLE, stdout=open("/dev/null", "w"))
    stories = StoryPage.objects.filter(slug__in=SAMPLE).live()
    assert stories.count() == 3
    for story in stories:
        assert story.is_fictional and story.summary.startswith("Fictional demo content.")
        assert story.themes.exists() and story.dimensions.exists()
        assert story.consent.media_mode == "voice-and-face"
        recording = story.story_recordings.get().recording
        assert recording.is_ready and recording.language == story.language
        response = client.get(
            reverse("archive:recording", args=[recording.key, "stream"]), HTTP_RANGE="bytes=0-99"
        )
        assert response.status_code == 206
        assert client.get(story.url).status_code == 200
    film = stories.get(slug="wirral-a-new-start")
    assert (film.kind, film.language) == ("borough-film", "fr")
    recording = film.story_recordings.get().recording
    assert (recording.type, recording.video_codec, recording.rendition_mime) == (
        "video",
        "h264",
        "video/mp4",
    )
    assert 10 < recording.duration < 60


def test_loading_twice_does_not_duplicate(media_root, ffmpeg):
    call_command("load_demo", only=SAMPLE[:1], stdout=open("/dev/null", "w"))
    call_command("load_demo", only=SAMPLE[:1], stdout=open("/dev/null", "w"))
    assert StoryPage.objects.filter(slug=SAMPLE[0]).count() == 1
    assert Recording.objects.count() == 1


def test_unknown_story_is_a_plain_error():
    with pytest.raises(CommandError, match="There is no demo story called nonsense"):
        call_command("load_demo", only=["nonsense"])
