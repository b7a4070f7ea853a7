"""The withdrawal ledger: every withdrawal, written outside the database as it is made, so
that a database restored from a back-up can be made to forget again.

A back-up taken before a withdrawal still holds the story. Restoring it brings the story
back, and the database's own withdrawal records go back to the day of the back-up. The
ledger is an append-only file of JSON lines (settings.WITHDRAWAL_LEDGER), kept on storage
that is not restored with the database. `manage.py reapply_withdrawals` reads it after a
restore and withdraws again whatever the restored database still holds.

A line holds what the withdrawal took back and nothing of the story: the consent record's
random reference, the scope, the uses removed, the recordings' random keys and the time."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

from .models import (
    ConsentRecord,
    ConsentStatus,
    ConsentUse,
    MediaMode,
    NamingPreference,
    WithdrawalScope,
)
from .records import recordings_of

if TYPE_CHECKING:
    from .models import Withdrawal

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    reference: str
    scope: str
    uses_removed: tuple = ()
    transcript_only: bool = False
    recording_keys: tuple = ()
    requested_at: str = ""


def record(withdrawal: Withdrawal, reference: Any) -> None:
    """Append the withdrawal to the ledger and flush it to disk. A ledger that cannot be
    written must not stop the withdrawal itself: the failure is logged for the operators."""
    detail = withdrawal.detail or {}
    line = {
        "reference": str(reference),
        "scope": withdrawal.scope,
        "uses_removed": list(detail.get("uses_removed", [])),
        "transcript_only": bool(detail.get("transcript_only")),
        "recording_keys": list(detail.get("recording_keys", [])),
        "requested_at": withdrawal.requested_at.isoformat(),
    }
    path = settings.WITHDRAWAL_LEDGER
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as ledger:
            ledger.write(json.dumps(line) + "\n")
            ledger.flush()
            os.fsync(ledger.fileno())
    except OSError:
        logger.exception(
            "The withdrawal ledger at %s could not be written (withdrawal %s)", path, withdrawal.pk
        )


def entries(path=None):
    """Every entry of the ledger, oldest first. A torn last line (a crash mid-write) is
    skipped with a warning; the withdrawal it began was still made in the database."""
    path = path or settings.WITHDRAWAL_LEDGER
    if not path.exists():
        return []
    found = []
    with open(path, encoding="utf-8") as ledger:
        for number, line in enumerate(ledger, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                found.append(
                    Entry(
                        reference=data["reference"],
                        scope=data["scope"],
                        uses_removed=tuple(data.get("uses_removed", ())),
                        transcript_only=bool(data.get("transcript_only")),
                        recording_keys=tuple(data.get("recording_keys", ())),
                        requested_at=data.get("requested_at", ""),
                    )
                )
            except (ValueError, KeyError, TypeError):
                logger.warning(
                    "Line %s of the withdrawal ledger %s is not a withdrawal; skipped", number, path
                )
    return found


def still_held(entry):
    """(consent record, [withdraw() arguments]): what of this withdrawal the database holds
    again; no arguments when it already reflects it. None when it has no such record."""
    consent = (
        ConsentRecord.objects.select_related("contributor")
        .filter(reference=entry.reference)
        .first()
    )
    if consent is None:
        return None
    if consent.status == ConsentStatus.WITHDRAWN:
        return consent, []  # withdrawn in full: nothing is left to narrow or remove
    return consent, _arguments(entry, consent)


def _arguments(entry, consent):
    if entry.scope == WithdrawalScope.FULL:
        return [{"kind": entry.scope}]
    if entry.scope == WithdrawalScope.USES:
        uses = [
            use for use in entry.uses_removed if use in ConsentUse.values and consent.gives(use)
        ]
        transcript_only = entry.transcript_only and consent.media_mode != MediaMode.TRANSCRIPT_ONLY
        return (
            [{"kind": entry.scope, "uses": uses, "transcript_only": transcript_only}]
            if uses or transcript_only
            else []
        )
    if entry.scope == WithdrawalScope.ANONYMOUS:
        named = (
            consent.contributor is not None
            and consent.contributor.naming != NamingPreference.ANONYMOUS
        )
        return [{"kind": entry.scope}] if named else []
    if entry.scope == WithdrawalScope.RECORDING:
        held = {str(recording.key) for recording in recordings_of(consent)}
        return [
            {"kind": entry.scope, "recording_key": key}
            for key in entry.recording_keys
            if str(key) in held
        ]
    return []
