"""Report writers' pages in a real browser: axe-core finds no violation (WCAG A and AA, best
practices) on the reports page (its tables, chart and suppression rule), the quote finder
and a saved Leadership Forum report with a chosen quote."""

from django.conf import settings
from django.test import Client

from tests.browser.support import BROWSER, describe_violations, run_axe
from tests.factories import make_story

pytestmark = BROWSER


def signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_reports_page_has_no_axe_violations(page, live_server, django_user_model):
    from django.contrib.auth.models import Group

    writer = django_user_model.objects.create_user("axe-writer", password="x")
    writer.groups.add(Group.objects.get(name="Report writers"))
    make_story(consent={"uses": ["reports"]})
    signed_in(page, live_server, writer)
    response = page.goto(live_server.url + "/reuse/reports/")
    assert response.status == 200
    assert page.locator("#suppression-rule").is_visible()
    violations = run_axe(page)
    assert not violations, describe_violations("/reuse/reports/", violations)


def test_the_quote_finder_and_a_saved_report_have_no_axe_violations(
    page, live_server, django_user_model
):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from reuse.models import ReportQuote, SavedReport
    from tests.search.helpers import add_passage

    writer = django_user_model.objects.create_user("axe-quotes", password="x")
    writer.groups.add(Group.objects.get(name="Report writers"))
    story = make_story(title="The bus home", consent={"uses": ["reports"]})
    passage = add_passage(story, "Nobody on the bus said a word when it happened.")
    report = SavedReport.objects.create(owner=writer, title="Forum 2026", kind="forum", year=2026)
    ReportQuote.objects.create(report=report, passage=passage)
    signed_in(page, live_server, writer)

    for url in (
        reverse("reuse:quotes") + "?q=bus",
        reverse("reuse:saved_report", args=[report.pk]),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        violations = run_axe(page)
        assert not violations, describe_violations(url, violations)
