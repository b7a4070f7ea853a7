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


def test_the_corrections_and_redactions_lists_have_no_axe_violations(
    page, live_server, django_user_model, media_root
):
    """Issue 14 gave both lists a story filter and a search box: each listing's search is a
    landmark named after its page (archive/static/archive/admin/search-landmark.js)."""
    from tests.factories import make_recording
    from transcription.corrections import redact
    from transcription.models import Segment, Status, Transcript

    editor = make_user(django_user_model, "editor")
    story = make_story(title="The corner shop")
    recording = make_recording("audio", ready=False)
    story.story_recordings.create(recording=recording)
    transcript = Transcript.objects.create(recording=recording, status=Status.DONE)
    segment = Segment.objects.create(transcript=transcript, start=0, end=2, text="Grace came in")
    redact(segment, "Grace", editor, "a name")
    signed_in(page, live_server, editor)
    for url in (reverse("segments:index"), reverse("redactions:index")):
        assert page.goto(live_server.url + url).status == 200, url
        violations = run_axe(page)
        assert not violations, describe_violations(url, violations)
    assert page.get_by_role("search", name="Search Redactions").is_visible()
