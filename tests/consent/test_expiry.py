"""Consent with an end date lapses by itself, and editors are told 14 days before."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from archive.models import StoryPage
from consent import gate
from consent.models import AuditEntry, ConsentRecord
from tests.factories import make_story

from .conftest import make_user

pytestmark = pytest.mark.django_db


def story_ending_in(days):
    story = make_story(title=f"Story ending in {days} days")
    ConsentRecord.objects.filter(story=story).update(expires_on=date.today() + timedelta(days=days))
    return StoryPage.objects.get(pk=story.pk)


def test_editors_are_warned_14_days_ahead_once(django_user_model):
    editor = make_user(django_user_model, "editor")
    soon, later = story_ending_in(14), story_ending_in(30)
    call_command("lapse_expired_consent")
    [notice] = mail.outbox
    assert notice.to == [editor.email]
    # Named by reference, not title (issue 10, point 4).
    assert f"Story {soon.pk} " in notice.body and f"Story {later.pk} " not in notice.body
    call_command("lapse_expired_consent")
    assert len(mail.outbox) == 1  # told once, not every day


def test_expired_consent_lapses_and_the_story_leaves_the_website(client):
    story = story_ending_in(1)
    assert client.get(story.url).status_code == 200
    # The next day the gate already refuses, even before the task runs...
    ConsentRecord.objects.filter(story=story).update(expires_on=date.today())
    assert client.get(story.url).status_code == 404
    # ...and the daily task records the lapse.
    call_command("lapse_expired_consent")
    record = ConsentRecord.objects.get(story=story)
    assert record.status == "expired" and record.expired_at
    trail = AuditEntry.objects.filter(consent_record_id_value=record.pk)
    assert trail.filter(action="consent expired").exists()
    assert not gate.permitted(gate.Use.INDEX, StoryPage.objects.filter(pk=story.pk)).exists()


def test_the_scheduled_task_does_the_same():
    from consent.tasks import lapse_expired_consent

    story_ending_in(0)
    result = lapse_expired_consent.enqueue()
    assert result.return_value == {"lapsed": 1, "warned": 0}
