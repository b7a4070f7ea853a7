"""Editors' lists of segments and redactions across the archive (issue 14): each row names
its story and its time as mm:ss.s, the lists search the words and filter by story, and the
new-redaction form offers segments by story, time and words."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_story
from tests.transcription.test_checked_note import machine_words
from transcription.corrections import redact
from transcription.models import Segment, Transcript, timecode
from transcription.running import save_result

pytestmark = pytest.mark.django_db


def transcribed(title, *texts):
    story = make_story(title=title, recording="audio")
    transcript = Transcript.objects.create(recording=story.story_recordings.get().recording)
    save_result(transcript, machine_words(*texts), "x")
    return story


@pytest.fixture
def archive(media_root, settings, client, django_user_model):
    settings.TRANSCRIPTION_AUTO_QUEUE = False
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    market = transcribed("The market stall", "Grace Okafor came every Saturday.", "We sold yams.")
    ferry = transcribed("The ferry", "The ferry was late again.", "Nobody said sorry.")
    return market, ferry


def listing(client, name, **query):
    return client.get(reverse(f"{name}:index"), query).content.decode()


def test_times_read_as_minutes_seconds_and_tenths():
    assert timecode(7.680000000000001) == "0:07.7"
    assert timecode(75.26) == "1:15.3"
    assert timecode(3723.04) == "1:02:03.0"


def test_segments_name_their_story_and_time_and_search_the_words(client, archive):
    html = listing(client, "segments")
    assert "The market stall" in html and "The ferry" in html
    assert "0:05.0–0:09.0" in html
    found = listing(client, "segments", q="yams")
    assert "We sold yams." in found and "The ferry was late" not in found


def test_segments_filter_by_story(client, archive):
    market, _ferry = archive
    html = listing(client, "segments", **{"transcript__recording__story_links__story": market.pk})
    assert "Grace Okafor" in html and "Nobody said sorry." not in html


def test_redactions_list_their_story_and_time_and_search(client, archive):
    market, ferry = archive
    segment = Segment.objects.get(text__startswith="Grace")
    redact(segment, "Grace Okafor", reason="A name")
    redact(Segment.objects.get(text__startswith="The ferry"), "ferry", reason="A place")
    html = listing(client, "redactions")
    assert "The market stall" in html and re.search(r"0:00\.\d–0:01\.\d", html)
    assert "7.680000000000001" not in html and not re.search(r"\d\.\d{4,}", html)
    found = listing(client, "redactions", q="name")
    assert "Grace Okafor" in found and "A place" not in found


def test_the_new_redaction_form_offers_segments_by_story_time_and_words(client, archive):
    market, _ferry = archive
    html = client.get(reverse("redactions:add")).content.decode()
    assert "The market stall · 0:00.0–0:04.0: Grace Okafor came every Saturday." in html
    only = client.get(reverse("redactions:add"), {"story": market.pk}).content.decode()
    assert "The market stall ·" in only and "The ferry ·" not in only


@pytest.mark.parametrize("story", ["abc", "-1", "1 OR 1=1", "9" * 30])
def test_a_hostile_story_in_the_address_offers_every_segment_not_an_error(client, archive, story):
    response = client.get(reverse("redactions:add"), {"story": story})
    assert response.status_code == 200
    assert "The market stall ·" in response.content.decode()
