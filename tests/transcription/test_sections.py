"""Sections of a recording, as OHMS indexes an interview (issue 14): times entered as m:ss and
checked in plain words, each section running to the next one's start, the WebVTT chapters
track served through the consent gate, redacted words hidden from titles and synopses, and
the editors' screens (the list by story, one screen per recording)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archive.models import Theme
from consent.withdrawal import withdraw
from tests.factories import make_recording, make_story
from tests.transcription.test_checked_note import machine_words
from transcription.corrections import redact
from transcription.models import Section, Transcript
from transcription.running import save_result
from transcription.sections import chapters_vtt, parse_time, public_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(media_root, settings):
    """A story with a 30-second recording, transcribed, in three sections."""
    settings.TRANSCRIPTION_AUTO_QUEUE = False
    story = make_story(title="The market stall", recording=make_recording("audio", seconds=30))
    recording = story.story_recordings.get().recording
    transcript = Transcript.objects.create(recording=recording)
    texts = ("We came in spring.", "Grace Okafor ran the stall.", "Then the market closed.")
    save_result(transcript, machine_words(*texts), "x")
    Section.objects.create(recording=recording, start=0, title="Arriving", synopsis="Spring.")
    Section.objects.create(
        recording=recording,
        start=5,
        title="Grace Okafor's stall",
        synopsis="Grace Okafor sold yams every Saturday.",
        keywords="yams; market, Saturday",
    )
    Section.objects.create(recording=recording, start=12.5, title="Closing", synopsis="The end.")
    return story


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def recording_of(story):
    return story.story_recordings.get().recording


# --- times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("4:05", 245.0), ("4:05.5", 245.5), (" 0:07 ", 7.0), ("12:00", 720.0), ("1:02:03", 3723.0)],
)
def test_times_are_read_as_minutes_and_seconds(typed, seconds):
    assert parse_time(typed) == seconds


@pytest.mark.parametrize("typed", ["", "245", "4.05", "4:5:6:7", "four", "4:60", "1:60:00"])
def test_a_time_not_in_minutes_and_seconds_is_refused_in_plain_words(typed):
    with pytest.raises(ValidationError) as refused:
        parse_time(typed)
    assert refused.value.messages[0] in (
        "Enter the time as minutes and seconds, like 4:05 or 4:05.5.",
        "Seconds and minutes go up to 59, like 4:59.",
    )


# --- what the public gets -----------------------------------------------------------------


def test_each_section_runs_to_the_next_ones_start_and_the_last_to_the_end(story):
    sections = public_sections(recording_of(story))
    assert [(s.start, s.end) for s in sections] == [
        (0, 5),
        (5, 12.5),
        (12.5, pytest.approx(30, abs=0.2)),
    ]
    assert sections[1].keywords == ["yams", "market", "Saturday"]
    assert [s.at for s in sections] == ["0:00", "0:05", "0:12"]


def test_the_chapters_track_is_webvtt_with_one_cue_per_section(story):
    vtt = chapters_vtt(recording_of(story))
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:05.000\nArriving\n")
    assert "2\n00:00:05.000 --> 00:00:12.500\nGrace Okafor&#x27;s stall\n" in vtt or (
        "2\n00:00:05.000 --> 00:00:12.500\nGrace Okafor's stall\n" in vtt
    )
    assert "3\n00:00:12.500 --> 00:00:30" in vtt


def test_cue_text_cannot_break_the_track(story):
    recording = recording_of(story)
    Section.objects.create(recording=recording, start=20, title="R&B --> <b>\n\nnext")
    vtt = chapters_vtt(recording)
    assert "R&amp;B -&gt; &lt;b&gt; next\n" in vtt
    assert "-->" not in vtt.split("00:00:20.000 --> ")[1].split("\n", 1)[1]


def test_the_chapters_track_is_served_only_while_the_words_may_be_shown(story, client):
    recording = recording_of(story)
    url = reverse("transcription:chapters", args=[recording.key])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response["Cache-Control"] == "private, no-cache"
    assert "Grace Okafor" in response.content.decode()
    withdraw(story.consent, "full")
    assert client.get(url).status_code == 404


def test_redacted_words_are_hidden_from_titles_synopses_and_chapters(story, client):
    recording = recording_of(story)
    segment = Transcript.objects.get(recording=recording).segments.get(start=5)
    redact(segment, "Grace Okafor", reason="names a neighbour")
    sections = public_sections(recording)
    assert sections[1].title == "[redacted]'s stall"
    assert sections[1].synopsis == "[redacted] sold yams every Saturday."
    assert "Okafor" not in chapters_vtt(recording)
    page = client.get(story.url).content.decode()
    assert "Okafor" not in page[page.index("In this recording") :]


def test_a_section_wholly_inside_a_redaction_shows_nothing_of_its_words(story):
    recording = recording_of(story)
    Section.objects.create(recording=recording, start=6, title="Her address", synopsis="12 Hope St")
    segment = Transcript.objects.get(recording=recording).segments.get(start=5)
    redaction = redact(segment, "Grace Okafor ran the stall.")
    redaction.start, redaction.end = 5.9, 13.0  # the editor silenced the whole span
    redaction.save()
    hidden = [s for s in public_sections(recording) if s.start == 6][0]
    assert (hidden.title, hidden.synopsis, hidden.keywords) == ("[redacted]", "", [])
    assert "Hope St" not in chapters_vtt(recording)


# --- editors' screens ---------------------------------------------------------------------


def test_the_list_filters_by_story_and_searches_titles_and_synopses(story, editor, media_root):
    other = make_story(title="The ferry", recording="audio")
    Section.objects.create(recording=recording_of(other), start=0, title="Crossing the river")
    listing = editor.get(reverse("sections:index")).content.decode()
    assert "Arriving" in listing and "Crossing the river" in listing and "The ferry" in listing
    assert "0:05.0" in listing  # times as editors read them (timecode)
    found = editor.get(reverse("sections:index"), {"q": "yams"}).content.decode()
    assert "Grace Okafor" in found and "Crossing the river" not in found
    key = "recording__story_links__story"
    only = editor.get(reverse("sections:index"), {key: other.pk}).content.decode()
    assert "Crossing the river" in only and "Arriving" not in only


def form_data(recording, **fields):
    themes = fields.pop("themes", [])
    return {
        "recording": recording.pk,
        "title": "A new part",
        "synopsis": "",
        "keywords": "",
        "themes": themes,
        **fields,
    }


def test_adding_a_section_reads_its_time_and_checks_it(story, editor):
    recording = recording_of(story)
    add = reverse("sections:add")
    offered = editor.get(add).content.decode()
    assert f"The market stall · {recording.title}</option>" in offered  # by its story
    resilience = Theme.objects.first()
    response = editor.post(add, form_data(recording, start="0:20.5", themes=[resilience.pk]))
    assert response.status_code == 302
    added = Section.objects.get(title="A new part")
    assert added.start == 20.5 and list(added.themes.all()) == [resilience]

    outside = editor.post(add, form_data(recording, start="0:45")).content.decode()
    assert "This time is outside the recording, which is 0:30.0 long." in outside
    taken = editor.post(add, form_data(recording, start="0:05")).content.decode()
    assert "Another section already starts at 0:05.0." in taken
    typo = editor.post(add, form_data(recording, start="5 min")).content.decode()
    assert "Enter the time as minutes and seconds, like 4:05 or 4:05.5." in typo


def management(total, initial):
    return {
        "sections-TOTAL_FORMS": str(total),
        "sections-INITIAL_FORMS": str(initial),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }


def row(index, section=None, **fields):
    values = {"start": "", "title": "", "synopsis": "", "keywords": ""}
    if section is not None:
        values.update(id=section.pk, start=section.when, title=section.title)
        values.update(synopsis=section.synopsis, keywords=section.keywords)
    values.update(fields)
    return {f"sections-{index}-{name}": value for name, value in values.items()}


def test_one_screen_edits_every_section_of_a_recording(story, editor):
    recording = recording_of(story)
    url = reverse("sections:recording", args=[recording.pk])
    page = editor.get(url).content.decode()
    assert "The market stall" in page and "Add a section" in page
    assert 'value="0:05.0"' in page  # a saved start shown as editors read times
    first, second, third = Section.objects.filter(recording=recording)
    data = {
        **management(4, 3),
        # The first two swap times; the third is removed; a fourth is added.
        **row(0, first, start="0:05"),
        **row(1, second, start="0:00"),
        **row(2, third, DELETE="on"),
        **row(3, start="0:25", title="Afterwards", keywords="leaving"),
    }
    response = editor.post(url, data)
    assert response.status_code == 302
    saved = [(s.when, s.title) for s in Section.objects.filter(recording=recording)]
    assert saved == [
        ("0:00.0", "Grace Okafor's stall"),
        ("0:05.0", "Arriving"),
        ("0:25.0", "Afterwards"),
    ]


def test_two_rows_at_the_same_time_are_refused_in_plain_words(story, editor):
    recording = recording_of(story)
    url = reverse("sections:recording", args=[recording.pk])
    first, second, third = Section.objects.filter(recording=recording)
    data = {
        **management(4, 3),
        **row(0, first),
        **row(1, second),
        **row(2, third),
        **row(3, start="0:12.5", title="Clash"),
    }
    page = editor.post(url, data).content.decode()
    assert "Another section already starts at 0:12.5." in page
    assert "The sections could not be saved." in page
    assert not Section.objects.filter(title="Clash").exists()


def test_a_withdrawal_that_deletes_the_recording_deletes_its_sections(story):
    withdraw(story.consent, "full")
    assert not Section.objects.exists()


def test_transcriptions_withdrawal_step_deletes_the_sections_with_the_transcript(story):
    from transcription.withdrawal import forget_recordings

    forget_recordings([recording_of(story)])
    assert not Section.objects.exists() and not Transcript.objects.exists()
