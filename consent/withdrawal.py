"""Withdrawal reaches every copy: one service that runs registered steps in order.

Each app registers the steps that make it forget a story, from its AppConfig.ready(), in
a module of its own (<app>/withdrawal.py):

    from consent.withdrawal import register_step

    @register_step("remove passages from the search index", order=20)
    def forget_passages(story, scope):
        ...

`scope` (a Scope) says what is taken back: the whole story, some uses, the name, one
recording, or (kind "expired") every use, when consent lapses at its end date. Each step
acts only on what the scope says. Steps must be idempotent: a withdrawal that is
interrupted is run again from the start. `story` may be None when a withdrawal is run
again after the page was already deleted, so steps work from scope.story_id."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import ledger
from .models import (
    ConsentRecord,
    ConsentStatus,
    ConsentUse,
    MediaMode,
    NamingPreference,
    Withdrawal,
    WithdrawalScope,
    WithdrawalStatus,
)
from .records import User, audit, story_model

logger = logging.getLogger(__name__)

# The kind of scope expiry runs the steps with (consent.expiry); not a withdrawal's scope.
EXPIRED = "expired"
ALL_USES = [use.value for use in ConsentUse]


# --- the registry -----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: Callable[..., object]


F = Callable[..., object]


class _Registry:
    """Named steps kept in order; registering a name twice (a reloaded app) keeps the first."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def register(self, name: str, order: int) -> Callable[[F], F]:
        def decorator(func: F) -> F:
            if not any(step.name == name for step in self.steps):
                self.steps.append(Step(name=name, order=order, run=func))
                self.steps.sort(key=lambda step: step.order)
            return func

        return decorator

    def all(self) -> list[Step]:
        return list(self.steps)


_steps = _Registry()
register_step = _steps.register
registered_steps = _steps.all

# Purges: what a withdrawal leaves in database files and search segments once its rows are
# deleted (issue 10). They take longer than a contributor should wait, so they run after the
# withdrawal, in the worker (consent.tasks.purge_withdrawal), in order; each app registers
# its own from ready(). Each takes the tables the withdrawal wrote to, and must be idempotent.
_purges = _Registry()
register_purge = _purges.register
registered_purges = _purges.all


# --- what is taken back ---------------------------------------------------------------


@dataclass
class Scope:
    """What a withdrawal (or a lapse) takes back. Passed to every registered step."""

    kind: str
    story_id: int | None
    consent_record_id: int
    uses_removed: list[str] = field(default_factory=list)
    recording_keys: list[str] = field(default_factory=list)
    title: str = ""  # held in memory only, to find copies; never stored

    @property
    def detail(self) -> dict[str, Any]:
        """The same facts as a dict, as stored on the Withdrawal."""
        keys = list(self.recording_keys)
        return {
            "uses_removed": list(self.uses_removed),
            "recording_keys": keys,
            "recording": keys[0] if keys else None,
        }

    @property
    def is_full(self) -> bool:
        return self.kind == WithdrawalScope.FULL

    @property
    def stops_public(self) -> bool:
        return self.is_full or ConsentUse.PUBLIC_WEBSITE.value in self.uses_removed


def run_steps(story: Any, scope: Scope, note: Callable[[str, str, float], object]) -> bool:
    """Run every registered step in order, telling `note` (name, outcome, started) of each;
    stop at the first that fails. True when every step was done."""
    for step in registered_steps():
        started = time.perf_counter()
        try:
            step.run(story, scope)
        except Exception:
            logger.exception(
                "Consent record %s: step %r failed (%s)",
                scope.consent_record_id,
                step.name,
                scope.kind,
            )
            note(step.name, "failed", started)
            return False
        note(step.name, "done", started)
    return True


def story_of(story_id: int | None) -> Any:
    if story_id is None:
        return None
    return story_model()._default_manager.filter(pk=story_id).first()


# --- withdrawing ----------------------------------------------------------------------


def withdraw(
    record: ConsentRecord,
    kind: str,
    *,
    uses: Iterable[str] = (),
    transcript_only: bool = False,
    recording_key: str | None = None,
    actor: User | None = None,
) -> Withdrawal:
    """Take consent back, in full or in part; returns the finished Withdrawal.

    The consent record changes first, in one transaction, so the gate refuses every
    use at once; the registered steps then make every app forget."""
    on_behalf = actor is not None and bool(actor.is_authenticated)
    story: Any = record.story
    title = story.title if story is not None else ""
    with transaction.atomic():
        record = ConsentRecord.objects.select_for_update().get(pk=record.pk)
        detail = _apply_to_record(record, kind, uses, transcript_only, recording_key)
        withdrawal = Withdrawal.objects.create(
            consent_record=record,
            scope=kind,
            detail=detail,
            story_id=record.story_id,
            on_behalf=on_behalf,
            actor=actor if on_behalf else None,
        )
        audit(
            record.pk,
            f"withdrawal requested: {withdrawal.get_scope_display().lower()}",
            actor=actor if on_behalf else None,
            withdrawal=withdrawal,
            actor_label=withdrawal.actor_label,
        )
    ledger.record(withdrawal, record.reference)  # outlives a restore of the database
    return run_withdrawal(withdrawal, title=title)


def _apply_to_record(
    record: ConsentRecord,
    kind: str,
    uses: Iterable[str],
    transcript_only: bool,
    recording_key: str | None,
) -> dict[str, Any]:
    detail: dict[str, Any] = {}
    if kind == WithdrawalScope.FULL:
        record.status, record.withdrawn_at = ConsentStatus.WITHDRAWN, timezone.now()
    elif kind == WithdrawalScope.USES:
        removed = [use for use in uses if use in ALL_USES]
        for use in removed:
            record.set_use(use, False)
        # What it was before, so the record's history can show each version (consent.history).
        detail = {
            "uses_removed": removed,
            "transcript_only": bool(transcript_only),
            "media_mode_before": record.media_mode,
        }
        if transcript_only:
            record.media_mode = MediaMode.TRANSCRIPT_ONLY
    elif kind == WithdrawalScope.ANONYMOUS:
        if record.contributor is not None:
            detail = {"naming_before": record.contributor.naming}
        _make_anonymous(record)
    elif kind == WithdrawalScope.RECORDING:
        detail = {"recording_keys": [str(recording_key)]}
    record.save()
    return detail


def _make_anonymous(record: ConsentRecord) -> None:
    contributor = record.contributor
    if contributor is not None:
        contributor.naming, contributor.pseudonym = NamingPreference.ANONYMOUS, ""
        contributor.save()


def run_withdrawal(withdrawal: Withdrawal, title: str = "") -> Withdrawal:
    """Run every registered step in order, auditing each. Safe to run again: steps are
    idempotent, so an interrupted withdrawal is simply run from the start."""
    scope = Scope(
        kind=withdrawal.scope,
        story_id=withdrawal.story_id,
        consent_record_id=withdrawal.consent_record_id,
        uses_removed=withdrawal.detail.get("uses_removed", []),
        recording_keys=withdrawal.detail.get("recording_keys", []),
        title=title,
    )

    def note(name: str, outcome: str, started: float) -> None:
        _step_audit(withdrawal, name, outcome, started)

    if not run_steps(story_of(withdrawal.story_id), scope, note):
        Withdrawal.objects.filter(pk=withdrawal.pk).update(status=WithdrawalStatus.FAILED)
        withdrawal.status = WithdrawalStatus.FAILED
        return withdrawal
    withdrawal.status, withdrawal.finished_at = WithdrawalStatus.DONE, timezone.now()
    withdrawal.save(update_fields=["status", "finished_at"])
    return withdrawal


def _step_audit(withdrawal: Withdrawal, name: str, outcome: str, started: float) -> None:
    audit(
        withdrawal.consent_record_id,
        f"step: {name}",
        withdrawal=withdrawal,
        outcome=outcome,
        actor=withdrawal.actor,
        actor_label=withdrawal.actor_label,
        seconds=time.perf_counter() - started,
    )


def retry_failed_withdrawals() -> list[Withdrawal]:
    failed = Withdrawal.objects.filter(status=WithdrawalStatus.FAILED)
    return [run_withdrawal(withdrawal) for withdrawal in failed]
