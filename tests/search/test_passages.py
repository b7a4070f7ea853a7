"""Grouping transcript segments into passages of about 20 to 40 seconds on sentence ends."""

import pytest

from search.passages import group_segments, sentences


def seg(start, end, text):
    return (start, end, text)


def test_short_segments_are_grouped_to_at_least_twenty_seconds():
    segments = [seg(i * 5, i * 5 + 5, f"Sentence number {i}.") for i in range(12)]
    passages = group_segments(segments)
    assert [round(p.end - p.start) for p in passages] == [20, 20, 20]


def test_passages_close_on_sentence_boundaries():
    segments = [seg(0, 12, "I was stopped"), seg(12, 24, "on my way home."), seg(24, 30, "Again.")]
    passages = group_segments(segments)
    assert passages[0].text.endswith("home. Again.") or passages[0].text.endswith("home.")
    assert all(p.text.rstrip().endswith(".") for p in passages)


def test_a_run_on_speaker_is_cut_near_forty_seconds():
    segments = [seg(i * 6, i * 6 + 6, "and then we went on") for i in range(20)]
    passages = group_segments(segments)
    assert all(p.end - p.start <= 42 for p in passages)
    assert len(passages) >= 3


def test_a_long_segment_is_split_into_sentences_with_shared_time():
    parts = sentences(0, 30, "First one here. Second one here. Third one here.")
    assert [p.text for p in parts] == ["First one here.", "Second one here.", "Third one here."]
    assert parts[0].start == 0 and parts[-1].end == 30
    assert abs(parts[1].start - 10) < 0.5


def test_a_short_tail_joins_the_passage_before():
    segments = [seg(0, 25, "A long first sentence."), seg(25, 28, "Short.")]
    passages = group_segments(segments)
    assert len(passages) == 1 and passages[0].end == 28


def test_empty_transcript_gives_no_passages():
    assert group_segments([]) == []
    assert group_segments([seg(0, 3, "   ")]) == []


# --- from a finished transcript to searchable passages --------------------------------


@pytest.mark.django_db
def test_a_finished_transcript_becomes_redacted_searchable_passages(settings, refresh, media_root):
    from django.core.files.base import ContentFile

    from archive.models import Recording, StoryPage, StoryRecording
    from search import services
    from search.models import Passage
    from transcription.corrections import redact
    from transcription.models import Segment, Transcript

    from .helpers import consented_story

    settings.TRANSCRIPTION_AUTO_QUEUE = False
    story = consented_story("The corner shop", summary="A story about a shop.")
    recording = Recording(title="Interview", type="audio", duration=60)
    recording.file.save("a.m4a", ContentFile(b"not played here"), save=False)
    recording.save()
    StoryRecording.objects.create(story=story, recording=recording)
    transcript = Transcript.objects.create(recording=recording, status="queued")
    texts = [
        "My name is Delphine Okafor.",
        "The shopkeeper followed me round every aisle.",
        "He never followed the white lads.",
        "So I stopped going there.",
    ]
    segments = [
        Segment.objects.create(transcript=transcript, start=i * 8, end=i * 8 + 8, text=t)
        for i, t in enumerate(texts)
    ]
    redact(segments[0], "Delphine Okafor")
    transcript.status = "done"
    transcript.save()  # as save_result does when the engine finishes: passages are rebuilt
    refresh()
    passages = list(Passage.objects.filter(story=story))
    assert passages and all("Okafor" not in p.text for p in passages)
    assert passages[0].start == 0 and passages[-1].end == 32
    assert [h.story.pk for h in services.search({"q": "shopkeeper"}).page.object_list] == [story.pk]
    assert services.search({"q": "Okafor"}).total == 0
    assert StoryPage.objects.get(pk=story.pk).passages.count() == len(passages)


@pytest.mark.django_db
def test_editors_decisions_survive_a_rebuild_of_the_passages(settings, admin_user, refresh):
    """A correction rebuilds the story's passages; the labels editors confirmed and the
    suggestions they rejected stay with the same moment of the recording."""
    from django.core.files.base import ContentFile

    from archive.models import Dimension, Recording, StoryRecording, Theme
    from search import services
    from search.models import LabelKind, Passage, Suggestion, SuggestionStatus
    from search.passages import rebuild_for_story
    from search.suggestions import decide
    from search.tasks import rebuild_passages
    from transcription.models import Segment, Transcript

    from .helpers import consented_story

    settings.TRANSCRIPTION_AUTO_QUEUE = False
    story = consented_story("Stopped at the station")
    recording = Recording(title="Interview", type="audio", duration=90)
    recording.file.save("a.m4a", ContentFile(b"not played here"), save=False)
    recording.save()
    StoryRecording.objects.create(story=story, recording=recording)
    transcript = Transcript.objects.create(recording=recording, status="done")
    texts = [
        "The police stopped me at the station again.",
        "They searched my bag in front of everyone.",
        "Then I went to work.",
        "My manager asked why I was late.",
        "I did not tell him.",
        "I never do.",
    ]
    segments = [
        Segment.objects.create(transcript=transcript, start=i * 12, end=i * 12 + 12, text=t)
        for i, t in enumerate(texts)
    ]
    rebuild_for_story(story)
    first = Passage.objects.filter(story=story).order_by("start").first()
    institutional = Dimension.objects.get(name="Institutional")
    mistrust = Theme.objects.get(name="Mistrust")
    confirmed = Suggestion.objects.create(
        passage=first, label_kind=LabelKind.DIMENSION, dimension=institutional
    )
    rejected = Suggestion.objects.create(
        passage=first, label_kind=LabelKind.KEY_ISSUE, theme=mistrust
    )
    decide(confirmed, admin_user, confirm=True)
    decide(rejected, admin_user, confirm=False)

    segments[1].text = "They searched my rucksack in front of everyone."  # an editor's correction
    segments[1].save()
    rebuild_passages.call(story.pk)  # what the correction's signal queues
    refresh()

    again = Passage.objects.filter(story=story).order_by("start").first()
    assert again.pk != first.pk and "rucksack" in again.text
    assert list(again.dimensions.all()) == [institutional]
    assert not again.themes.exists()
    kept = {(s.label.name, s.status) for s in again.suggestions.all()}
    assert kept == {
        ("Institutional", SuggestionStatus.CONFIRMED),
        ("Mistrust", SuggestionStatus.REJECTED),
    }
    later = Passage.objects.filter(story=story).order_by("start").last()
    assert later.pk != again.pk and not later.dimensions.exists()
    facets = services.search({"q": "rucksack"}).facets["dimension"]
    assert [(slug, n) for slug, _name, n in facets] == [(institutional.slug, 1)]
