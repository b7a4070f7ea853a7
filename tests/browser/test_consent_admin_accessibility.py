"""Editors' consent screens in a real browser (issue 14): axe-core finds no violation (WCAG A
and AA, best practices) on the consent register and on a record page with its versions,
a withdrawal's steps and the audit trail."""

from django.urls import reverse

from consent.models import ConsentRecord
from consent.withdrawal import withdraw
from tests.browser.support import BROWSER, describe_violations, run_axe
from tests.browser.test_reuse_reports import signed_in
from tests.consent.conftest import make_user
from tests.factories import make_story

pytestmark = BROWSER


def test_the_register_and_a_record_page_have_no_axe_violations(
    page, live_server, django_user_model
):
    editor = make_user(django_user_model, "editor")
    record = ConsentRecord.objects.get(story=make_story(title="The corner shop"))
    withdraw(record, "uses", uses=["reports"], actor=editor)
    signed_in(page, live_server, editor)
    for url in (
        reverse("consent_admin:register"),
        reverse("consent_admin:record", args=[record.pk]),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        violations = run_axe(page)
        assert not violations, describe_violations(url, violations)
    assert page.get_by_role("heading", name="Versions").is_visible()
    assert page.get_by_text("Narrowed (stopped: reports)").is_visible()
