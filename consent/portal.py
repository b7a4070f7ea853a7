"""What the contributor's portal shows and sends: the receipt with its withdrawal code and
link, what a withdrawal stopped and what goes on, and the e-mails that say the same."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from files.addresses import site_url

from .codes import seal_code, unseal_code
from .models import ConsentRecord, ConsentUse, MediaMode, Withdrawal, WithdrawalScope
from .records import User
from .withdrawal import withdraw

RECEIPT_SESSION_KEY = "consent-receipt"
# The browser's half of the sealed code, and how long the receipt may still show it.
RECEIPT_KEY_COOKIE = "receipt-key"
RECEIPT_SECONDS = 15 * 60

# What each use means to the teller, as the confirmation screen and e-mail say it.
USE_WORDS = {
    ConsentUse.PUBLIC_WEBSITE: "showing it on the public website and in the public search",
    ConsentUse.TRAINING: "using it in training sessions",
    ConsentUse.REPORTS: "quoting it in reports",
}
VOICE_WORDS = "playing your voice and showing your face"
WORDS_ONLY = "showing your words only, never your voice or face"


# --- the receipt ----------------------------------------------------------------------


def withdraw_url(record: ConsentRecord) -> str:
    """The contributor's private link to take their story back, in full."""
    return site_url(reverse("consent:withdraw", args=[record.reference]))


def send_receipt(record: ConsentRecord, code: str, withdraw_url: str) -> bool:
    """Email the withdrawal link and code, if they gave an address."""
    email = record.contributor.email if record.contributor else ""
    if not email:
        return False
    context = {"record": record, "code": code, "withdraw_url": withdraw_url}
    send_mail(
        "Your story: how to take it back",
        render_to_string("consent/email/receipt.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return True


def hold_receipt(
    request: HttpRequest,
    response: HttpResponse,
    *,
    record: ConsentRecord,
    code: str,
    emailed: bool,
    path: str,
) -> None:
    """Keep the code for the receipt page (at `path`) without storing it in clear: the
    session (a database row) gets one half of a one-time pad, the browser a short-lived
    cookie with the other (issue 10, point 3)."""
    sealed, key = seal_code(code)
    request.session[RECEIPT_SESSION_KEY] = {
        "reference": str(record.reference),
        "emailed": emailed,
        "sealed": sealed,
        "until": time.time() + RECEIPT_SECONDS,
    }
    response.set_cookie(
        RECEIPT_KEY_COOKIE,
        key,
        max_age=RECEIPT_SECONDS,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def take_receipt(request: HttpRequest) -> dict[str, Any] | None:
    """The receipt page's context, or None when there is no contribution to show. The
    code is shown once, then both halves are dropped: the only lasting copy is a hash
    (the caller also drops the cookie: drop_receipt_key)."""
    details = request.session.get(RECEIPT_SESSION_KEY)
    if not details:
        return None
    record = ConsentRecord.objects.filter(reference=details["reference"]).first()
    if record is None:
        raise Http404
    sealed, until = details.pop("sealed", None), details.pop("until", 0)
    request.session[RECEIPT_SESSION_KEY] = details
    key = request.COOKIES.get(RECEIPT_KEY_COOKIE)
    return {
        "code": unseal_code(sealed, key) if time.time() < until else None,
        "emailed": details["emailed"],
        "withdraw_url": withdraw_url(record),
    }


def drop_receipt_key(response: HttpResponse, path: str) -> None:
    response.delete_cookie(RECEIPT_KEY_COOKIE, path=path)


# --- after a withdrawal ---------------------------------------------------------------


@dataclass
class Outcome:
    """What a withdrawal stopped and what continues, in the teller's words: no story content."""

    heading: str
    stops: list[str]
    continues: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "stops": self.stops, "continues": self.continues}


def withdrawal_outcome(withdrawal: Withdrawal) -> Outcome:
    """Say exactly what stopped and what goes on (issue 10, point 5): a narrowing is not a
    taking back, and the teller must be able to see that nothing else changed."""
    record = ConsentRecord.objects.get(pk=withdrawal.consent_record_id)
    if withdrawal.scope == WithdrawalScope.FULL:
        return Outcome(
            "You have taken your story back",
            [
                "every use of your story: it, its recordings and every copy we made "
                "have been deleted"
            ],
            [],
        )
    continues = _uses_in_force(record)
    if withdrawal.scope == WithdrawalScope.USES:
        return Outcome("You have stopped some uses of your story", _stopped(withdrawal), continues)
    if withdrawal.scope == WithdrawalScope.ANONYMOUS:
        return Outcome(
            "Your story is now anonymous", ["showing your name with your story"], continues
        )
    return Outcome(
        "You have deleted one recording",
        ["that recording and every copy of it"],
        ["your story and its other recordings, as before"] + continues,
    )


def _stopped(withdrawal: Withdrawal) -> list[str]:
    stops = [USE_WORDS[ConsentUse(use)] for use in withdrawal.detail.get("uses_removed", [])]
    if withdrawal.detail.get("transcript_only"):
        stops.append(VOICE_WORDS)
    return stops


def _uses_in_force(record: ConsentRecord) -> list[str]:
    uses = [words for use, words in USE_WORDS.items() if record.gives(use)]
    if not uses:
        return [
            "keeping your story in the archive only: nobody outside the archive team "
            "sees or hears it"
        ]
    media = VOICE_WORDS if record.media_mode == MediaMode.VOICE_AND_FACE else WORDS_ONLY
    return uses + [media]


def send_withdrawal_confirmation(
    withdrawal: Withdrawal, email: str, outcome: Outcome | None = None
) -> bool:
    if not email:
        return False
    outcome = outcome or withdrawal_outcome(withdrawal)
    send_mail(
        outcome.heading,
        render_to_string(
            "consent/email/withdrawn.txt", {"withdrawal": withdrawal, "outcome": outcome}
        ),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return True


@dataclass
class TakenBack:
    withdrawal: Withdrawal
    outcome: Outcome
    emailed: bool


def take_back(
    record: ConsentRecord, choice: Mapping[str, Any], actor: User | None = None
) -> TakenBack:
    """Withdraw as chosen on the withdrawal form (by the contributor, or by an editor on
    their behalf: `actor`), and e-mail them what stopped and what goes on."""
    # Read first: a full withdrawal erases the address unless they asked to hear back.
    email = record.contributor.email if record.contributor else ""
    withdrawal = withdraw(
        record,
        choice["scope"],
        uses=choice["uses"],
        transcript_only=choice.get("transcript_only", False),
        recording_key=choice["recording"] or None,
        actor=actor,
    )
    outcome = withdrawal_outcome(withdrawal)
    emailed = send_withdrawal_confirmation(withdrawal, email, outcome)
    return TakenBack(withdrawal=withdrawal, outcome=outcome, emailed=emailed)
