"""Consent logic: taking a contribution, recording consent, withdrawing it, exporting
what we hold about a person, and letting consent lapse when it expires.

Views and admin screens call these functions and only render what they return."""

import json
import logging
import re
import secrets
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import ledger, limits
from .models import (
    AuditEntry,
    Channel,
    ConsentFormVersion,
    ConsentRecord,
    ConsentStatus,
    Contributor,
    MediaMode,
    NamingPreference,
    Withdrawal,
    WithdrawalScope,
    WithdrawalStatus,
)
from .withdrawal import registered_steps
from .wording import FORM_WORDING

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
EXPIRY_NOTICE_DAYS = 14
USE_FIELDS = {
    "public_website": "use_public_website",
    "training": "use_training",
    "reports": "use_reports",
}


# --- codes and form versions ---------------------------------------------------------


def new_withdrawal_code():
    """Twelve characters in three groups: about 60 bits, read aloud easily on the phone."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code):
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def seal_code(code):
    """Split a code into two random-looking halves (a one-time pad): (sealed, key), hex.
    The server keeps the sealed half and the browser the key, so neither holds the code
    in clear and the receipt can still show it once (issue 10, point 3)."""
    raw = code.encode()
    key = secrets.token_bytes(len(raw))
    return bytes(a ^ b for a, b in zip(raw, key)).hex(), key.hex()


def unseal_code(sealed, key):
    """The code from its two halves, or None if either is missing or damaged."""
    try:
        raw, pad = bytes.fromhex(sealed or ""), bytes.fromhex(key or "")
    except ValueError:
        return None
    if not raw or len(raw) != len(pad):
        return None
    return bytes(a ^ b for a, b in zip(raw, pad)).decode("ascii", errors="replace")


def current_form_version():
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


def audit(
    record_id, action, *, actor=None, actor_label="", withdrawal=None, outcome="done", seconds=0.0
):
    """Add to the trail. `action` must never contain story content."""
    return AuditEntry.objects.create(
        consent_record_id_value=record_id,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label or ("editor" if actor is not None else "the contributor"),
        withdrawal=withdrawal,
        outcome=outcome,
        seconds=seconds,
    )


# --- consent records -----------------------------------------------------------------


def consent_fields(data):
    """ConsentRecord field values from a cleaned consent form."""
    uses = set(data.get("uses") or [])
    return {
        "use_public_website": "public_website" in uses,
        "use_training": "training" in uses,
        "use_reports": "reports" in uses,
        "archive_only": "archive_only" in uses,
        "media_mode": data.get("media_mode") or MediaMode.TRANSCRIPT_ONLY,
        "expires_on": data.get("expires_on"),
        "under_18": bool(data.get("under_18")),
        "guardian_name": data.get("guardian_name", "") if data.get("under_18") else "",
        "guardian_consented": bool(data.get("guardian_consented")) and bool(data.get("under_18")),
    }


def contributor_from(data, user=None):
    return Contributor.objects.create(
        naming=data.get("naming") or NamingPreference.ANONYMOUS,
        full_name=data.get("full_name", ""),
        pseudonym=data.get("pseudonym", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        wants_to_hear_back=bool(data.get("wants_to_hear_back")),
        user=user if user is not None and user.is_authenticated else None,
    )


def record_consent(
    story,
    data,
    *,
    channel=Channel.WEB,
    taken_by=None,
    contributor=None,
    scanned_form=None,
    submission_token=None,
):
    """Make the consent record for `story`; returns (record, withdrawal code)."""
    code = new_withdrawal_code()
    record = ConsentRecord(
        story=story,
        contributor=contributor or contributor_from(data),
        form_version=current_form_version(),
        channel=channel,
        taken_by=taken_by if taken_by is not None and taken_by.is_authenticated else None,
        submission_token=submission_token,
        **consent_fields(data),
    )
    if scanned_form:
        record.scanned_form = scanned_form
    record.set_withdrawal_code(normalise_code(code))
    record.save()
    audit(record.pk, f"consent given ({record.get_channel_display().lower()})", actor=taken_by)
    return record, code


def demo_consent(
    story, *, uses=("public_website", "training", "reports"), media_mode=MediaMode.VOICE_AND_FACE
):
    """Consent for a fictional demo story, so the demo shows what real consent allows.
    Called by archive's load_demo for each story it makes."""
    if ConsentRecord.objects.filter(story=story).exists():
        return story.consent
    data = {"uses": list(uses), "media_mode": media_mode, "naming": NamingPreference.ANONYMOUS}
    record, _code = record_consent(story, data, channel=Channel.PAPER)
    return record


# --- contributions through the portal ---------------------------------------------------


class AlreadySubmitted(Exception):
    """The same form was sent twice; `record` is the one the first submission made."""

    def __init__(self, record):
        super().__init__("already submitted")
        self.record = record


@dataclass
class Contribution:
    record: ConsentRecord
    code: str
    story: object
    recordings: list = field(default_factory=list)


def contribute(data, files, *, token, user=None, contributor_key=""):
    """Take a contribution: accept each recording, make a draft story in the workflow,
    record consent. Raises RecordingRejected (nothing kept), AlreadySubmitted or
    limits.Busy (nothing kept). `contributor_key` is limits.contributor_key(request)."""
    from archive.services import accept_recording

    existing = ConsentRecord.objects.filter(submission_token=token).first()
    if existing is not None:
        raise AlreadySubmitted(existing)
    limits.check_capacity(len(files), user, contributor_key)  # raises limits.Busy: nothing is kept
    recordings = []
    try:
        for number, upload in enumerate(files, start=1):
            title = data["title"] if len(files) == 1 else f"{data['title']} ({number})"
            recordings.append(
                accept_recording(upload, title=title, language=data["language"], user=user)
            )
        with transaction.atomic():
            contributor = contributor_from(data, user)
            story = _draft_story(data, recordings)
            record, code = record_consent(
                story, data, contributor=contributor, submission_token=token
            )
    except IntegrityError:
        _discard(recordings)
        raise AlreadySubmitted(ConsentRecord.objects.get(submission_token=token)) from None
    except BaseException:
        _discard(recordings)  # a half-made contribution must leave nothing behind
        raise
    limits.note_contribution(contributor_key, recordings)
    _submit_for_review(story, user)
    return Contribution(record=record, code=code, story=story, recordings=recordings)


def _discard(recordings):
    for recording in recordings:
        delete_recording_files(recording)
        recording.delete()


def _draft_story(data, recordings):
    from archive.models import StoryIndexPage, StoryKind, StoryPage, StoryRecording

    index = StoryIndexPage.objects.get(slug="stories")
    # A neutral slug: the address is in every access log, which a withdrawal cannot reach.
    slug = f"story-{secrets.token_hex(5)}"
    story = StoryPage(
        title=data["title"],
        slug=slug,
        kind=StoryKind.VOX_POP,
        summary=data["summary"],
        borough=data["borough"],
        language=data["language"],
        live=False,
    )
    story.story_recordings = [StoryRecording(recording=rec) for rec in recordings]
    index.add_child(instance=story)
    story.save_revision(log_action=False)
    return story


def _submit_for_review(story, user):
    """Put the new draft into the story workflow (consent check, then editorial review)."""
    workflow = story.get_workflow()
    if workflow is not None:
        workflow.start(story, user if user is not None and user.is_authenticated else None)


def send_receipt(record, code, withdraw_url):
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


# --- withdrawal -----------------------------------------------------------------------


@dataclass
class Scope:
    """What a withdrawal takes back. Passed to every registered step."""

    kind: str
    story_id: int | None
    consent_record_id: int
    uses_removed: list = field(default_factory=list)
    recording_keys: list = field(default_factory=list)
    title: str = ""  # held in memory only, to find copies; never stored

    @property
    def detail(self):
        """The same facts as a dict, as stored on the Withdrawal."""
        keys = list(self.recording_keys)
        return {
            "uses_removed": list(self.uses_removed),
            "recording_keys": keys,
            "recording": keys[0] if keys else None,
        }

    @property
    def is_full(self):
        return self.kind == WithdrawalScope.FULL

    @property
    def stops_public(self):
        return self.is_full or "public_website" in self.uses_removed

    def recordings(self, story=None):
        """The recordings this withdrawal deletes."""
        from archive.models import Recording

        if self.is_full and self.story_id is not None:
            return list(Recording.objects.filter(story_links__story_id=self.story_id).distinct())
        if self.kind == WithdrawalScope.RECORDING:
            return list(Recording.objects.filter(key__in=self.recording_keys))
        return []


def withdraw(record, kind, *, uses=(), transcript_only=False, recording_key=None, actor=None):
    """Take consent back, in full or in part; returns the finished Withdrawal.

    The consent record changes first, in one transaction, so the gate refuses every
    use at once; the registered steps then make every app forget."""
    on_behalf = actor is not None and actor.is_authenticated
    story = record.story
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
    run_withdrawal(withdrawal, title=title)
    return withdrawal


def _apply_to_record(record, kind, uses, transcript_only, recording_key):
    now = timezone.now()
    detail = {}
    if kind == WithdrawalScope.FULL:
        record.status, record.withdrawn_at = ConsentStatus.WITHDRAWN, now
    elif kind == WithdrawalScope.USES:
        removed = [use for use in uses if use in USE_FIELDS]
        for use in removed:
            setattr(record, USE_FIELDS[use], False)
        if transcript_only:
            record.media_mode = MediaMode.TRANSCRIPT_ONLY
        detail = {"uses_removed": removed, "transcript_only": bool(transcript_only)}
    elif kind == WithdrawalScope.ANONYMOUS:
        if record.contributor is not None:
            contributor = record.contributor
            contributor.naming, contributor.pseudonym = NamingPreference.ANONYMOUS, ""
            contributor.save()
    elif kind == WithdrawalScope.RECORDING:
        detail = {"recording_keys": [str(recording_key)]}
    record.save()
    return detail


def run_withdrawal(withdrawal, title=""):
    """Run every registered step in order, auditing each. Safe to run again: steps are
    idempotent, so an interrupted withdrawal is simply run from the start."""
    from archive.models import StoryPage

    scope = Scope(
        kind=withdrawal.scope,
        story_id=withdrawal.story_id,
        consent_record_id=withdrawal.consent_record_id,
        uses_removed=withdrawal.detail.get("uses_removed", []),
        recording_keys=withdrawal.detail.get("recording_keys", []),
        title=title,
    )
    story = StoryPage.objects.filter(pk=withdrawal.story_id).first()
    for step in registered_steps():
        started = time.perf_counter()
        try:
            step.run(story, scope)
        except Exception:
            logger.exception("Withdrawal %s failed at step %r", withdrawal.pk, step.name)
            _step_audit(withdrawal, step.name, "failed", started)
            Withdrawal.objects.filter(pk=withdrawal.pk).update(status=WithdrawalStatus.FAILED)
            withdrawal.status = WithdrawalStatus.FAILED
            return withdrawal
        _step_audit(withdrawal, step.name, "done", started)
    withdrawal.status, withdrawal.finished_at = WithdrawalStatus.DONE, timezone.now()
    withdrawal.save(update_fields=["status", "finished_at"])
    return withdrawal


def _step_audit(withdrawal, name, outcome, started):
    audit(
        withdrawal.consent_record_id,
        f"step: {name}",
        withdrawal=withdrawal,
        outcome=outcome,
        actor=withdrawal.actor,
        actor_label=withdrawal.actor_label,
        seconds=time.perf_counter() - started,
    )


def retry_failed_withdrawals():
    done = []
    for withdrawal in Withdrawal.objects.filter(status=WithdrawalStatus.FAILED):
        done.append(run_withdrawal(withdrawal))
    return done


# What each use means to the teller, as the confirmation screen and e-mail say it.
USE_WORDS = {
    "public_website": "showing it on the public website and in the public search",
    "training": "using it in training sessions",
    "reports": "quoting it in reports",
}
VOICE_WORDS = "playing your voice and showing your face"
WORDS_ONLY = "showing your words only, never your voice or face"


@dataclass
class Outcome:
    """What a withdrawal stopped and what continues, in the teller's words: no story content."""

    heading: str
    stops: list
    continues: list

    def as_dict(self):
        return {"heading": self.heading, "stops": self.stops, "continues": self.continues}


def withdrawal_outcome(withdrawal):
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
        stops = [USE_WORDS[use] for use in withdrawal.detail.get("uses_removed", [])]
        if withdrawal.detail.get("transcript_only"):
            stops.append(VOICE_WORDS)
        return Outcome("You have stopped some uses of your story", stops, continues)
    if withdrawal.scope == WithdrawalScope.ANONYMOUS:
        return Outcome(
            "Your story is now anonymous", ["showing your name with your story"], continues
        )
    return Outcome(
        "You have deleted one recording",
        ["that recording and every copy of it"],
        ["your story and its other recordings, as before"] + continues,
    )


def _uses_in_force(record):
    uses = [words for use, words in USE_WORDS.items() if getattr(record, USE_FIELDS[use])]
    if not uses:
        return [
            "keeping your story in the archive only: nobody outside the archive team "
            "sees or hears it"
        ]
    media = VOICE_WORDS if record.media_mode == MediaMode.VOICE_AND_FACE else WORDS_ONLY
    return uses + [media]


def send_withdrawal_confirmation(withdrawal, email, outcome=None):
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


def delete_recording_files(recording):
    """Delete a recording's original, web rendition and poster from storage."""
    for field_file in (recording.file, recording.rendition, recording.thumbnail):
        if field_file and field_file.name:
            field_file.storage.delete(field_file.name)


# --- subject access ---------------------------------------------------------------------


def subject_access_export(record):
    """Everything held about the person behind `record`, as a zip file (a temporary file
    object, rewound): data.json plus their original recordings."""
    contributor = record.contributor
    records = list(contributor.consents.all()) if contributor else [record]
    data = {
        "exported_at": timezone.now().isoformat(),
        "contributor": _contributor_data(contributor),
        "consent_records": [_record_data(item) for item in records],
    }
    archive = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for item in records:
            for recording in _recordings_of(item):
                if recording.file and recording.file.storage.exists(recording.file.name):
                    name = f"recordings/{recording.key}{_suffix(recording.file.name)}"
                    bundle.write(recording.file.path, name)
        bundle.writestr("data.json", json.dumps(data, indent=2, default=str))
    archive.seek(0)
    return archive


def _suffix(name):
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def _recordings_of(record):
    if record.story is None:
        return []
    return [link.recording for link in record.story.story_recordings.select_related("recording")]


def _contributor_data(contributor):
    if contributor is None:
        return None
    return {
        "naming": contributor.get_naming_display(),
        "full_name": contributor.full_name,
        "pseudonym": contributor.pseudonym,
        "email": contributor.email,
        "phone": contributor.phone,
        "wants_to_hear_back": contributor.wants_to_hear_back,
        "created_at": contributor.created_at,
    }


def _record_data(record):
    story = record.story
    return {
        "reference": str(record.reference),
        "status": record.get_status_display(),
        "uses": record.uses_label,
        "media": record.get_media_mode_display(),
        "expires_on": record.expires_on,
        "under_18": record.under_18,
        "guardian_name": record.guardian_name,
        "given_via": record.get_channel_display(),
        "given_at": record.given_at,
        "withdrawn_at": record.withdrawn_at,
        "form_version": record.form_version.version,
        "form_wording": record.form_version.wording,
        "story": None
        if story is None
        else {
            "title": story.title,
            "summary": story.summary,
            "borough": str(story.borough),
            "language": story.language,
            "published": story.live,
            "recordings": [
                {"key": str(rec.key), "type": rec.type, "duration_seconds": rec.duration}
                for rec in _recordings_of(record)
            ],
        },
        "history": [
            {"at": entry.at, "action": entry.action, "by": entry.actor_label}
            for entry in AuditEntry.objects.filter(consent_record_id_value=record.pk)
        ],
    }


# --- expiry -----------------------------------------------------------------------------


def lapse_expired_consent(today=None):
    """Mark consent past its date as expired, take the story off public surfaces, and
    warn editors 14 days ahead. Run daily (manage.py lapse_expired_consent)."""
    today = today or date.today()
    lapsed = []
    due = ConsentRecord.objects.filter(status=ConsentStatus.ACTIVE, expires_on__lte=today)
    for record in due:
        _lapse(record)
        lapsed.append(record)
    warned = _send_expiry_notices(today)
    return lapsed, warned


def _lapse(record):
    from .steps import remove_from_search_indexes

    record.status, record.expired_at = ConsentStatus.EXPIRED, timezone.now()
    record.save(update_fields=["status", "expired_at"])
    audit(record.pk, "consent expired", actor_label="scheduled task")
    if record.story is not None:
        scope = Scope(
            kind="expired",
            story_id=record.story_id,
            consent_record_id=record.pk,
            uses_removed=list(USE_FIELDS),
        )
        remove_from_search_indexes(record.story, scope)


def _send_expiry_notices(today):
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
        audit(record.pk, "expiry notice sent to editors", actor_label="scheduled task")
    return records


def _editor_emails():
    users = (
        get_user_model()
        .objects.filter(groups__name__in=["Editors", "Moderators"], is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))
