"""Consent with an end date lapses by itself: on the day, the record is marked expired and
every app forgets what it must (the registered withdrawal steps, with a scope of kind
"expired" that removes every use); editors are warned 14 days ahead."""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ConsentRecord, ConsentStatus
from .records import audit
from .withdrawal import ALL_USES, EXPIRED, Scope, run_steps

EXPIRY_NOTICE_DAYS = 14
SCHEDULED = "scheduled task"


def lapse_expired_consent(
    today: date | None = None,
) -> tuple[list[ConsentRecord], list[ConsentRecord]]:
    """Mark consent past its date as expired, take the story off public surfaces, and
    warn editors 14 days ahead. Run daily (manage.py lapse_expired_consent).
    Returns (lapsed records, records whose editors were warned)."""
    today = today or date.today()
    due = ConsentRecord.objects.filter(status=ConsentStatus.ACTIVE, expires_on__lte=today)
    lapsed = list(due)
    for record in lapsed:
        _lapse(record)
    return lapsed, _send_expiry_notices(today)


def _lapse(record: ConsentRecord) -> None:
    record.status, record.expired_at = ConsentStatus.EXPIRED, timezone.now()
    record.save(update_fields=["status", "expired_at"])
    audit(record.pk, "consent expired", actor_label=SCHEDULED)
    if record.story is None:
        return
    scope = Scope(
        kind=EXPIRED,
        story_id=record.story_id,
        consent_record_id=record.pk,
        uses_removed=list(ALL_USES),
    )

    def note(name: str, outcome: str, started: float) -> None:
        # Only failures are worth the trail: the gate already refuses every use.
        if outcome != "done":
            seconds = time.perf_counter() - started
            audit(
                record.pk, f"step: {name}", actor_label=SCHEDULED, outcome=outcome, seconds=seconds
            )

    run_steps(record.story, scope, note)


def _send_expiry_notices(today: date) -> list[ConsentRecord]:
    soon = ConsentRecord.objects.filter(
        status=ConsentStatus.ACTIVE,
        expires_on__gt=today,
        expires_on__lte=today + timedelta(days=EXPIRY_NOTICE_DAYS),
        expiry_notice_sent_at__isnull=True,
        story__isnull=False,
    )
    records = list(soon)
    if not records:
        return []
    send_mail(
        f"Consent for {len(records)} stor{'y' if len(records) == 1 else 'ies'} ends soon",
        render_to_string("consent/email/expiry_notice.txt", {"records": records}),
        settings.DEFAULT_FROM_EMAIL,
        _editor_emails(),
    )
    for record in records:
        record.expiry_notice_sent_at = timezone.now()
        record.save(update_fields=["expiry_notice_sent_at"])
        audit(record.pk, "expiry notice sent to editors", actor_label=SCHEDULED)
    return records


def _editor_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(groups__name__in=["Editors", "Moderators"], is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))
