"""Consent records: the form version agreed to, the audit trail, the record itself and
the contributor behind it, and consent for the demo's fictional stories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, models, transaction

from .codes import new_withdrawal_code, normalise_code
from .models import (
    USE_FIELDS,
    AuditEntry,
    Channel,
    ConsentFormVersion,
    ConsentRecord,
    ConsentUse,
    Contributor,
    MediaMode,
    NamingPreference,
    Withdrawal,
)
from .wording import FORM_WORDING

# A user, or Django's AnonymousUser: only a signed-in user is ever stored.
User = Any


def story_model() -> type[models.Model]:
    """The story model consent records point at, found through the foreign key so that
    consent imports no app."""
    model = ConsentRecord._meta.get_field("story").related_model
    if not isinstance(model, type):  # a string until the apps are loaded
        raise RuntimeError("consent records' story model is not loaded yet")
    return model


def recordings_of(record: ConsentRecord) -> list[Any]:
    """The recordings of the record's story, in the story's order."""
    story: Any = record.story
    if story is None:
        return []
    return [link.recording for link in story.story_recordings.select_related("recording")]


def current_form_version() -> ConsentFormVersion:
    """The version for today's wording; a new version the first time the words change."""
    latest = ConsentFormVersion.current()
    if latest is not None and latest.wording == FORM_WORDING:
        return latest
    try:
        with transaction.atomic():
            number = (latest.version + 1) if latest else 1
            return ConsentFormVersion.objects.create(version=number, wording=FORM_WORDING)
    except IntegrityError:  # another request made it first
        return ConsentFormVersion.objects.get(wording=FORM_WORDING)


def _signed_in(user: User | None) -> bool:
    return user is not None and bool(user.is_authenticated)


def audit(
    record_id: int,
    action: str,
    *,
    actor: User | None = None,
    actor_label: str = "",
    withdrawal: Withdrawal | None = None,
    outcome: str = "done",
    seconds: float = 0.0,
) -> AuditEntry:
    """Add to the trail. `action` must never contain story content."""
    return AuditEntry.objects.create(
        consent_record_id_value=record_id,
        action=action,
        actor=actor if _signed_in(actor) else None,
        actor_label=actor_label or ("editor" if actor is not None else "the contributor"),
        withdrawal=withdrawal,
        outcome=outcome,
        seconds=seconds,
    )


def consent_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """ConsentRecord field values from a cleaned consent form."""
    uses = set(data.get("uses") or [])
    under_18 = bool(data.get("under_18"))
    return {
        **{field: use.value in uses for use, field in USE_FIELDS.items()},
        "archive_only": "archive_only" in uses,
        "media_mode": data.get("media_mode") or MediaMode.TRANSCRIPT_ONLY,
        "expires_on": data.get("expires_on"),
        "under_18": under_18,
        "guardian_name": data.get("guardian_name", "") if under_18 else "",
        "guardian_consented": bool(data.get("guardian_consented")) and under_18,
    }


def contributor_from(data: Mapping[str, Any], user: User | None = None) -> Contributor:
    return Contributor.objects.create(
        naming=data.get("naming") or NamingPreference.ANONYMOUS,
        full_name=data.get("full_name", ""),
        pseudonym=data.get("pseudonym", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        wants_to_hear_back=bool(data.get("wants_to_hear_back")),
        user=user if _signed_in(user) else None,
    )


def record_consent(
    story: Any,
    data: Mapping[str, Any],
    *,
    channel: str = Channel.WEB,
    taken_by: User | None = None,
    contributor: Contributor | None = None,
    scanned_form: Any = None,
    submission_token: Any = None,
) -> tuple[ConsentRecord, str]:
    """Make the consent record for `story`; returns (record, withdrawal code)."""
    code = new_withdrawal_code()
    record = ConsentRecord(
        story=story,
        contributor=contributor or contributor_from(data),
        form_version=current_form_version(),
        channel=channel,
        taken_by=taken_by if _signed_in(taken_by) else None,
        submission_token=submission_token,
        **consent_fields(data),
    )
    if scanned_form:
        record.scanned_form = scanned_form
    record.set_withdrawal_code(normalise_code(code))
    record.save()
    audit(record.pk, f"consent given ({record.get_channel_display().lower()})", actor=taken_by)
    return record, code


ALL_USES = tuple(use.value for use in ConsentUse)


def demo_consent(
    story: Any, *, uses: Iterable[str] = ALL_USES, media_mode: str = MediaMode.VOICE_AND_FACE
) -> ConsentRecord:
    """Consent for a fictional demo story, so the demo shows what real consent allows.
    Called by archive's load_demo for each story it makes."""
    existing = ConsentRecord.objects.filter(story=story).first()
    if existing is not None:
        return existing
    data = {"uses": list(uses), "media_mode": media_mode, "naming": NamingPreference.ANONYMOUS}
    record, _code = record_consent(story, data, channel=Channel.PAPER)
    return record
