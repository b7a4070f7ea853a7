"""The public story page shows a recording's sections (issue 14): "In this recording", each
section's time as a #t= link that plays from there, its title, synopsis, keywords and linked
themes; and the player carries a WebVTT chapters track. Transcript-only consent shows the
table of contents without seeking; a recording without sections shows neither."""

import re

import pytest
from django.urls import reverse

from archive.models import Dimension, StoryRecording, Theme
from tests.factories import make_recording, make_story
from transcription.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def with_sections(story):
    recording = story.story_recordings.get().recording
    Section.objects.create(recording=recording, start=0, title="Arriving", synopsis="In spring.")
    section = Section.objects.create(
        recording=recording,
        start=75.4,
        title="The market",
        synopsis="Selling yams on Saturdays.",
        keywords="yams; Saturdays",
    )
    section.themes.add(Theme.objects.get(slug="mistrust"))
    section.dimensions.add(Dimension.objects.get(slug="institutional"))
    return recording


def contents(html):
    start = html.index("In this recording")
    return html[start : html.index("</nav>", start)]


def test_the_story_page_lists_the_sections_with_links_to_their_moments(client, media_root):
    story = make_story(title="The market stall", recording=make_recording("audio", seconds=90))
    recording = with_sections(story)
    html = client.get(story.url).content.decode()
    toc = contents(html)
    assert re.search(r'href="#t=0:00"[^>]*>0:00</a> <strong>Arriving</strong>', toc)
    assert re.search(r'href="#t=1:15"[^>]*>1:15</a> <strong>The market</strong>', toc)
    assert "Selling yams on Saturdays." in toc and "Keywords: yams, Saturdays" in toc
    assert 'href="/stories/theme/mistrust/"' in toc
    assert 'href="/stories/dimension/institutional/"' in toc
    track = reverse("transcription:chapters", args=[recording.key])
    assert f'<track kind="chapters" src="{track}" srclang="en" label="Sections">' in html
    assert "transcription/sections.js" in html  # a time plays the recording from there


def test_a_recording_without_sections_has_no_contents_or_chapters(client, media_root):
    story = make_story(recording=make_recording("audio"))
    html = client.get(story.url).content.decode()
    assert "In this recording" not in html and 'kind="chapters"' not in html


def test_words_only_consent_lists_the_sections_without_seeking(client, media_root):
    story = make_story(consent={"media_mode": "transcript-only"})
    StoryRecording.objects.create(story=story, recording=make_recording("audio", seconds=90))
    with_sections(story)
    html = client.get(story.url).content.decode()
    toc = contents(html)
    assert "The market" in toc and "1:15" in toc
    assert "#t=" not in toc and 'kind="chapters"' not in html
