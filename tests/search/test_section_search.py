"""Search finds a story by its sections' titles and synopses and links to the section (story
address + #t=start), on every backend (the `search_backend` fixture): the section's words are
in the story's own index entry (StoryPage.indexed_text), so consent reaches them exactly as
it reaches the story, and a redaction hides them from the index as from the page."""

import pytest
from django.urls import reverse

from consent.withdrawal import withdraw
from search import services
from tests.factories import make_recording
from tests.transcription.test_checked_note import machine_words
from transcription.corrections import redact
from transcription.models import Section, Transcript
from transcription.running import save_result

from .helpers import consented_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def story(media_root, refresh):
    story = consented_story(
        "Saturdays at the market", summary="A stall holder remembers her customers."
    )
    recording = make_recording("audio", seconds=30)
    story.story_recordings.create(recording=recording)
    story.save_revision().publish()
    transcript = Transcript.objects.create(recording=recording)
    save_result(transcript, machine_words("We came in spring.", "Grace Okafor ran it."), "x")
    Section.objects.create(recording=recording, start=0, title="Arriving in spring")
    Section.objects.create(
        recording=recording,
        start=12.5,
        title="The allotment gate",
        synopsis="Grace Okafor's neighbours planted marrows together.",
        keywords="beetroot; vegetables",
    )
    refresh()
    return story


def found(query):
    outcome = services.search({"q": query})
    return {hit.story.title: hit for hit in outcome.page.object_list} if outcome.page else {}


def test_a_story_is_found_by_a_sections_title_and_linked_at_its_start(
    search_backend, story, client
):
    hit = found("allotment")["Saturdays at the market"]
    assert [(s.title, s.at) for s in hit.sections] == [("The allotment gate", "0:12")]
    page = client.get(reverse("search:search"), {"q": "allotment"}).content.decode()
    assert f'href="{story.url}#t=0:12">Section at 0:12: The allotment gate</a>' in page


def test_a_story_is_found_by_a_sections_keywords(search_backend, story):
    assert [s.title for s in found("beetroot")["Saturdays at the market"].sections] == [
        "The allotment gate"
    ]


def test_a_story_is_found_by_a_sections_synopsis(search_backend, story, client):
    hit = found("marrows")["Saturdays at the market"]
    assert [s.title for s in hit.sections] == ["The allotment gate"]
    page = client.get(reverse("search:search"), {"q": "marrows"}).content.decode()
    assert "<mark>marrows</mark>" in page and f'href="{story.url}#t=0:12"' in page


def test_an_edited_section_is_found_by_its_new_words_only(search_backend, story, refresh):
    section = Section.objects.get(title="The allotment gate")
    section.title = "The orchard gate"
    section.save()
    refresh()
    assert "Saturdays at the market" in found("orchard")
    assert "Saturdays at the market" not in found("allotment")


def test_words_a_redaction_hides_are_not_found_in_sections(search_backend, story, refresh):
    assert "Saturdays at the market" in found("Okafor")
    segment = Transcript.objects.get().segments.get(start=5)
    redact(segment, "Grace Okafor")
    refresh()
    assert "Saturdays at the market" not in found("Okafor")
    assert "Saturdays at the market" in found("marrows")  # the rest of the synopsis still is
    Transcript.objects.get().segments.get(start=5).redactions.get().delete()
    refresh()
    assert "Saturdays at the market" in found("Okafor")  # the redaction taken back


def test_a_withdrawn_story_is_not_found_by_its_sections(search_backend, story, refresh, client):
    withdraw(story.consent, "full")
    refresh()
    assert found("allotment") == {}
    page = client.get(reverse("search:search"), {"q": "allotment"}).content.decode()
    assert "The allotment gate" not in page


def test_a_story_narrowed_to_training_only_is_not_found_by_its_sections(
    search_backend, story, refresh
):
    withdraw(story.consent, "uses", uses=["public_website"])
    refresh()
    assert found("allotment") == {}
