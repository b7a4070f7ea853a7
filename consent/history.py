"""One consent record's history, for editors: each version of what the contributor agreed
to, what changed it, who and when, and the audit trail of every step taken since.

Versions are worked out backwards from the record as it is now: each withdrawal says what
it took away (Withdrawal.detail: uses removed, voice and face before, the naming before), so
undoing them newest first gives the record as it stood before each one. Nothing about a
version is stored twice."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .models import (
    AuditEntry,
    ConsentRecord,
    ConsentStatus,
    ConsentUse,
    MediaMode,
    NamingPreference,
    Withdrawal,
    WithdrawalScope,
)


@dataclass(frozen=True)
class Terms:
    """What the record allowed at one time."""

    uses: frozenset[str]  # ConsentUse values
    archive_only: bool
    media_mode: str
    naming: str  # a NamingPreference value, "" with no contributor
    status: str

    @property
    def uses_label(self) -> str:
        labels = [use.label for use in ConsentUse if use in self.uses]
        return ", ".join(labels) or ("archive only" if self.archive_only else "none")

    @property
    def media_mode_label(self) -> str:
        return MediaMode(self.media_mode).label

    @property
    def naming_label(self) -> str:
        return NamingPreference(self.naming).label if self.naming else "No contributor details"

    @property
    def status_label(self) -> str:
        return ConsentStatus(self.status).label


@dataclass
class Version:
    number: int
    since: datetime
    change: str  # what made this version, in words
    by: str
    terms: Terms
    withdrawal: Withdrawal | None = None
    steps: list[AuditEntry] = field(default_factory=list)


def terms_now(record: ConsentRecord) -> Terms:
    contributor = record.contributor
    return Terms(
        uses=frozenset(use.value for use in ConsentUse if record.gives(use)),
        archive_only=record.archive_only,
        media_mode=record.media_mode,
        naming=contributor.naming if contributor else "",
        status=record.status,
    )


def versions(record: ConsentRecord) -> list[Version]:
    """Every version of the record, the first (as given) first."""
    steps = _steps_by_withdrawal(record)
    # Whatever changed the terms, newest first: withdrawals, and the expiry (None).
    changes: list[tuple[datetime, Withdrawal | None]] = [
        (withdrawal.requested_at, withdrawal) for withdrawal in record.withdrawals.all()
    ]
    if record.expired_at:
        changes.append((record.expired_at, None))
    changes.sort(key=lambda change: change[0], reverse=True)
    terms, later = terms_now(record), []
    for at, withdrawal in changes:
        if withdrawal is None:
            before = replace(terms, status=ConsentStatus.ACTIVE)
            later.append(Version(0, at, "Consent expired", "the archive (on schedule)", terms))
        else:
            before = _undo(terms, withdrawal, record)
            later.append(
                Version(
                    0,
                    at,
                    _change(withdrawal),
                    _by(withdrawal),
                    terms,
                    withdrawal,
                    steps.get(withdrawal.pk, []),
                )
            )
        terms = before
    given = Version(0, record.given_at, _given(record), _taken_by(record), terms)
    ordered = [given, *reversed(later)]
    for number, version in enumerate(ordered, start=1):
        version.number = number
    return ordered


def trail(record: ConsentRecord) -> list[AuditEntry]:
    """Every audit line of the record, oldest first."""
    return list(
        AuditEntry.objects.filter(consent_record_id_value=record.pk).select_related("actor")
    )


def person(user: Any) -> str:
    """An editor as other editors know them."""
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _steps_by_withdrawal(record: ConsentRecord) -> dict[int, list[AuditEntry]]:
    steps: dict[int, list[AuditEntry]] = {}
    for entry in trail(record):
        if entry.withdrawal_id is not None and entry.action.startswith("step: "):
            steps.setdefault(entry.withdrawal_id, []).append(entry)
    return steps


def _undo(terms: Terms, withdrawal: Withdrawal, record: ConsentRecord) -> Terms:
    """The terms before `withdrawal`, from the terms after it."""
    detail = withdrawal.detail or {}
    if withdrawal.scope == WithdrawalScope.FULL:
        lapsed = record.expired_at is not None and record.expired_at < withdrawal.requested_at
        return replace(terms, status=ConsentStatus.EXPIRED if lapsed else ConsentStatus.ACTIVE)
    if withdrawal.scope == WithdrawalScope.USES:
        media_mode = detail.get("media_mode_before") or (
            MediaMode.VOICE_AND_FACE if detail.get("transcript_only") else terms.media_mode
        )
        uses = terms.uses | set(detail.get("uses_removed", []))
        return replace(terms, uses=frozenset(uses), media_mode=media_mode)
    if withdrawal.scope == WithdrawalScope.ANONYMOUS and detail.get("naming_before"):
        return replace(terms, naming=detail["naming_before"])
    return terms  # one recording removed: the terms stay as they were


def _change(withdrawal: Withdrawal) -> str:
    detail = withdrawal.detail or {}
    if withdrawal.scope == WithdrawalScope.USES:
        removed = [ConsentUse(use).label for use in detail.get("uses_removed", [])]
        parts = [f"stopped: {', '.join(removed)}"] if removed else []
        if detail.get("transcript_only"):
            parts.append("words only, no voice or face")
        return "Narrowed" + (f" ({'; '.join(parts)})" if parts else "")
    if withdrawal.scope == WithdrawalScope.RECORDING:
        return "One recording removed"
    if withdrawal.scope == WithdrawalScope.ANONYMOUS:
        return "Switched to anonymous"
    return "Withdrawn in full"


def _by(withdrawal: Withdrawal) -> str:
    if withdrawal.actor_id:
        return f"{person(withdrawal.actor)}, on the contributor's behalf"
    return "the contributor"


def _given(record: ConsentRecord) -> str:
    channel = record.get_channel_display().lower()
    return f"Given through {channel}, on form version {record.form_version.version}"


def _taken_by(record: ConsentRecord) -> str:
    return person(record.taken_by) if record.taken_by_id else "the contributor"
