"""The quote finder: passages allowed for reports, found by words through the search
backend, asked of the gate again for the real user, each with its credit and link."""

import pytest
from django.urls import reverse

from reuse.models import ReportQuote, SavedReport
from search import indexing
from search.models import Passage
from tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def passage(text, uses, **kw):
    from search.passages import story_facts

    story = make_story(consent={"uses": uses}, **kw)
    made = Passage.objects.create(story=story, start=5, end=30, text=text, **story_facts(story))
    indexing.queue(made)
    return made


@pytest.fixture
def passages():
    found = {
        "public": passage("The tram conductor ignored me.", ["public_website", "reports"]),
        "reports only": passage("The tram inspector followed me.", ["reports"]),
        "training only": passage("The tram guard shouted.", ["training"]),
    }
    indexing.apply_pending()
    return found


def test_finds_only_passages_allowed_for_reports(client, report_writer, passages):
    assert passages["reports only"].allow_quote and not passages["reports only"].allow_show
    client.force_login(report_writer)
    response = client.get(reverse("reuse:quotes"), {"q": "tram"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "conductor ignored" in html and "inspector followed" in html
    assert "guard shouted" not in html
    # The credit and the moment; a story off the public website says so.
    assert "Anonymous, Liverpool, Vox pop" in html
    assert "#t=00:05" in html and "This story is not on the public website" in html


def test_adding_a_quote_asks_the_gate(client, report_writer, passages):
    report = SavedReport.objects.create(owner=report_writer, title="Mine")
    client.force_login(report_writer)
    for name in ("public", "training only"):
        client.post(reverse("reuse:add_quote"), {"report": report.pk, "passage": passages[name].pk})
    assert list(ReportQuote.objects.values_list("passage", flat=True)) == [passages["public"].pk]
