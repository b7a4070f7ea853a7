"""The reports page, saved reports and their CSV and PDF, as a report writer sees them."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from archive.models import Theme
from consent.models import Contributor
from consent.withdrawal import withdraw
from reuse.models import Download, ReportQuote, SavedReport
from search.models import Passage
from tests.conftest import require_part
from tests.factories import make_story

pytestmark = pytest.mark.django_db
WORDS = "The bus driver waved everyone on but stopped me and asked for my pass."


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def theme():
    return Theme.objects.order_by("pk").first()


@pytest.fixture
def stories(theme):
    """Five stories in Liverpool with reports consent (one of them named), one without."""
    made = []
    for n in range(5):
        story = make_story(themes=[theme.slug], consent={"uses": ["public_website", "reports"]})
        Passage.objects.create(story=story, start=65, end=90, text=f"{WORDS} ({n})")
        made.append(story)
    record = made[0].consent
    record.contributor = Contributor.objects.create(naming="full", full_name="Amina Yusuf")
    record.save()
    hidden = make_story(themes=[theme.slug], consent={"uses": ["public_website"]})
    Passage.objects.create(story=hidden, start=0, end=20, text="Not for reports.")
    return made


@pytest.fixture
def report(report_writer, stories):
    report = SavedReport.objects.create(
        owner=report_writer, title="Forum 2026", kind="forum", year=2026
    )
    for position, story in enumerate(stories[:2]):
        ReportQuote.objects.create(report=report, passage=story.passages.first(), position=position)
    return report


def test_signed_out_goes_to_sign_in_and_others_get_a_plain_403(client, django_user_model):
    response = client.get(reverse("reuse:reports"))
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    client.force_login(django_user_model.objects.create_user("other", password="x"))
    for name in ("reuse:reports", "reuse:quotes"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "Reports and quotes are for report writers" in response.content.decode()


def test_reports_page_counts_with_the_rule_and_a_chart(client, report_writer, stories, theme):
    client.force_login(report_writer)
    response = client.get(reverse("reuse:reports"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Small numbers are hidden" in html and "fewer than 5" in html
    assert "5 stories and 5 passages counted" in html
    assert f"{theme.name}: 5" in html  # the chart's text alternative
    chart = client.get(reverse("reuse:reports_chart", args=["stories"]), {"borough": "wirral"})
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content


def test_csv_counts_and_the_download_audit(client, report_writer, stories, theme, report):
    client.force_login(report_writer)
    report.kind, report.filters = "counts", {"rows": "theme", "columns": "kind"}
    report.save()
    response = client.get(reverse("reuse:report_csv", args=[report.pk]))
    text = response.content.decode()
    assert response["Content-Type"] == "text/csv"
    assert f"{theme.name},5,0,0,5" in text.replace("\r", "")
    download = Download.objects.get()
    assert download.kind == "report_csv" and download.report_id_value == report.pk
    counted = set(download.stories.values_list("story_id_value", flat=True))
    assert counted == {s.pk for s in stories}


def test_pdf_has_the_quotes_and_their_credits(client, report_writer, stories, report):
    require_part(shutil.which("pdftotext"), "pdftotext (poppler-utils)")
    client.force_login(report_writer)
    response = client.get(reverse("reuse:report_pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "waved everyone on" in flat and "(0)" in flat and "(1)" in flat
    assert "Amina Yusuf, Liverpool" in flat and "Anonymous, Liverpool" in flat
    assert "#t=01:05" in flat  # the link to the moment
    assert "Suppression" in flat and "fewer than 5" in flat
    assert Download.objects.get().kind == "report_pdf"


def test_a_quote_whose_story_stops_reports_is_left_out(client, report_writer, stories, report):
    withdraw(stories[1].consent, "uses", uses=["reports"])
    client.force_login(report_writer)
    html = client.get(reverse("reuse:saved_report", args=[report.pk])).content.decode()
    assert "(0)" in html and "(1)" not in html
    report.refresh_from_db()
    assert report.last_run_at is not None


def test_saved_report_shows_a_consent_change_until_acknowledged(client, report_writer, report):
    from django.utils import timezone

    report.changed_by_consent_at = timezone.now()
    report.consent_change_note = "1 quote was removed because consent changed."
    report.save()
    client.force_login(report_writer)
    url = reverse("reuse:saved_report", args=[report.pk])
    assert "1 quote was removed" in client.get(url).content.decode()
    client.post(url, {"action": "acknowledge"})
    assert "1 quote was removed" not in client.get(url).content.decode()


def test_quotes_reorder_and_remove(client, report_writer, report):
    client.force_login(report_writer)
    url = reverse("reuse:saved_report", args=[report.pk])
    first, second = report.quotes.order_by("position")
    client.post(url, {"action": "down", "quote": first.pk})
    assert list(report.quotes.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    client.post(url, {"action": "remove_quote", "quote": second.pk})
    assert list(report.quotes.values_list("pk", flat=True)) == [first.pk]


def test_dashboard_shows_your_reports_first(client, report_writer, report):
    client.force_login(report_writer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Your reports" in html and "Forum 2026" in html
    assert reverse("reuse:reports") in html and reverse("reuse:quotes") in html


def test_hostile_filters_get_the_default_report_not_an_error(client, report_writer, stories):
    """Unknown axes, a year that is no number, NUL and oversized words: a plain page, the
    default table, nothing leaked; the chart and saving the query behave the same."""
    client.force_login(report_writer)
    hostile = {
        "rows": "borough;DROP TABLE",
        "columns": "rows",
        "year": "20x6",
        "theme": "../../etc/passwd",
        "q": "bus\x00driver" + "x" * 5000,
    }
    response = client.get(reverse("reuse:reports"), hostile)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Traceback" not in html and "DROP TABLE" not in html
    assert "Small numbers are hidden" in html
    chart = client.get(reverse("reuse:reports_chart", args=["stories"]), hostile)
    assert chart.status_code == 200 and b"<svg" in chart.content
    bad_chart = client.get(reverse("reuse:reports_chart", args=["secrets"]))
    assert bad_chart.status_code == 404
