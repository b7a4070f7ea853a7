"""Reuse's withdrawal steps: a withdrawal, lapse or narrowing removes exactly the affected
clips from every reel and pack, deletes their files, marks each affected reel as changed and
tells its owner, and drops the story from saved reports' quotes (report files are made on
demand, never stored). Downloads that already left the archive cannot be recalled: each is
written into the withdrawal's audit trail, by id, so the archive can say where a story went.

Registered on import, from ReuseConfig.ready(), in consent's registry (consent imports nothing
from reuse). Two steps, because search deletes a withdrawn story's passages at order 20 and a
quote's row goes with its passage: quotes are taken out (and counted for their reports'
owners) just before that; clips, exports and the download audit at order 30, while the
recordings (60) and the page (80) still exist. Every step is idempotent: run again, it finds
nothing left to remove and tells no one twice. Notes and e-mails count what was removed and
never name the story nor quote its words."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import dateformat, timezone

from consent import gate
from consent.models import AuditEntry, MediaMode, Withdrawal, WithdrawalScope
from consent.records import audit
from consent.withdrawal import EXPIRED, Scope, register_step
from files.addresses import site_url

from .models import Clip, Download, Reel, ReelExport, ReelItem, ReportQuote, SavedReport

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

QUOTES_STEP = "take the story's quotes out of saved reports"
QUOTES_ORDER = 15  # before search deletes the passages the quotes point at (20)
STEP = "remove clips, reel exports and training packs"
ORDER = 30  # after search (20), before archive deletes the recordings (60) and the page (80)

# The pages (URL names) an owner is linked to from the e-mail.
REEL_URL = "reuse:reel"
REPORT_URL = "reuse:saved_report"
BECAUSE = "because a storyteller changed their consent"


# --- what the scope takes back ------------------------------------------------------------


def clips_go(story: Any, scope: Scope) -> bool:
    """Whether the story's clips (of the scope's recordings) leave every reel: always for a
    full withdrawal, a lapse or one recording; after a narrowing, when the gate no longer lets
    trainers clip the story or its teller no longer lets their voice and face be played."""
    if scope.kind in (WithdrawalScope.FULL, EXPIRED, WithdrawalScope.RECORDING):
        return True
    if scope.kind != WithdrawalScope.USES:
        return False  # switching to anonymous keeps the clips: they name no one
    if story is None:
        return True
    record = getattr(story, "consent", None)
    voice = record is not None and record.media_mode == MediaMode.VOICE_AND_FACE
    return not (voice and gate.allows(gate.Use.CLIP, story))


def quotes_go(story: Any, scope: Scope) -> bool:
    """As clips_go, for report quotes and the gate's QUOTE."""
    if scope.kind in (WithdrawalScope.FULL, EXPIRED, WithdrawalScope.RECORDING):
        return True
    if scope.kind != WithdrawalScope.USES:
        return False
    return story is None or not gate.allows(gate.Use.QUOTE, story)


def exports_go(story: Any, scope: Scope) -> bool:
    """Exports and packs hold the clips and an end card crediting the teller by the name
    they chose: they go with the clips, and when the teller becomes anonymous."""
    return scope.kind == WithdrawalScope.ANONYMOUS or clips_go(story, scope)


# --- quotes ---------------------------------------------------------------------------------


def forget_quotes(story: Any, scope: Scope) -> None:
    if scope.story_id is None or not quotes_go(story, scope):
        return
    quotes = ReportQuote.objects.filter(passage__story_id=scope.story_id)
    if scope.kind == WithdrawalScope.RECORDING:
        quotes = quotes.filter(passage__recording__key__in=scope.recording_keys)
    per_report = Counter(quotes.values_list("report_id", flat=True))
    if not per_report:
        return
    quotes.delete()
    notices: dict[Any, list[Notice]] = defaultdict(list)
    for report in SavedReport.objects.filter(pk__in=per_report).select_related("owner"):
        for remaining, quote in enumerate(report.quotes.order_by("position", "pk")):
            if quote.position != remaining:
                ReportQuote.objects.filter(pk=quote.pk).update(position=remaining)
        note = change_note([counted(per_report[report.pk], "quote", "taken out")])
        _mark(SavedReport, report, note)
        notices[report.owner].append(Notice("report", report.title, REPORT_URL, report.pk, note))
    for owner, items in notices.items():
        tell_owner(owner, items)


# --- clips, exports, downloads --------------------------------------------------------------


def forget_clips_and_exports(story: Any, scope: Scope) -> None:
    if scope.story_id is None:
        return
    clips = _clips_to_remove(story, scope)
    removed = Counter(ReelItem.objects.filter(clip__in=clips).values_list("reel_id", flat=True))
    unreeled = _clips_in_no_reel(clips)
    delete_files(f for clip in clips for f in clip.files())
    Clip.objects.filter(pk__in=[clip.pk for clip in clips]).delete()
    exports = _exports_to_remove(story, scope)
    deleted = Counter(export.reel_id for export in exports)
    delete_files(f for export in exports for f in export.files())
    ReelExport.objects.filter(pk__in=[export.pk for export in exports]).delete()
    _tell_reel_owners(removed, deleted, unreeled)
    audit_downloads(scope, scope.story_id)


def delete_files(files: Iterable[FieldFile]) -> None:
    """A clip's or an export's files (as Clip.delete_files and ReelExport.delete_files), first:
    a step interrupted after this finds the rows and deletes what is left."""
    for field_file in files:
        if field_file and field_file.name:
            field_file.delete(save=False)


def _clips_to_remove(story: Any, scope: Scope) -> list[Clip]:
    if not clips_go(story, scope):
        return []
    clips = Clip.objects.filter(story_id=scope.story_id)
    if scope.kind == WithdrawalScope.RECORDING:
        clips = clips.filter(recording__key__in=scope.recording_keys)
    return list(clips)


def _clips_in_no_reel(clips: list[Clip]) -> Counter[Any]:
    """Per owner, their clips (in their basket) that were in no reel."""
    return Counter(clip.owner for clip in clips if not clip.reel_items.exists())


def _exports_to_remove(story: Any, scope: Scope) -> list[ReelExport]:
    """Every export whose files hold the story. An export does not record which recording
    each clip came from, so withdrawing one recording takes every export of the story: a
    file that might hold the withdrawn recording must not stay."""
    if not exports_go(story, scope):
        return []
    # story_ids is a JSON list; SQLite has no JSON `contains`, so it is read here.
    candidates = ReelExport.objects.only("pk", "reel_id", "story_ids", "video", "captions", "pack")
    return [export for export in candidates if scope.story_id in (export.story_ids or [])]


def _tell_reel_owners(removed: Counter[int], deleted: Counter[int], unreeled: Counter[Any]) -> None:
    notices: dict[Any, list[Notice]] = defaultdict(list)
    for reel in Reel.objects.filter(pk__in=set(removed) | set(deleted)).select_related("owner"):
        _renumber(reel)
        parts = []
        if removed[reel.pk]:
            parts.append(counted(removed[reel.pk], "clip", "taken out"))
        if deleted[reel.pk]:
            parts.append(counted(deleted[reel.pk], "export", "deleted"))
        note = change_note(parts)
        _mark(Reel, reel, note)
        notices[reel.owner].append(Notice("reel", reel.title, REEL_URL, reel.pk, note))
    for owner, count in unreeled.items():
        verb = "was" if count == 1 else "were"
        note = change_note([f"{count} of your clips {verb} taken out"])
        notices[owner].append(Notice("clips", "", "", None, note))
    for owner, items in notices.items():
        tell_owner(owner, items)


def _renumber(reel: Reel) -> None:
    """Close the gaps the removed clips left, keeping the order of what remains."""
    for position, item in enumerate(reel.items.order_by("position", "pk")):
        if item.position != position:
            ReelItem.objects.filter(pk=item.pk).update(position=position)


def _mark(model: type[Reel] | type[SavedReport], thing: Reel | SavedReport, note: str) -> None:
    """Set the notice shown to the owner; an earlier one not yet acknowledged is kept."""
    earlier = thing.consent_change_note if thing.changed_by_consent_at else ""
    text = f"{earlier}\n{note}" if earlier else note
    model.objects.filter(pk=thing.pk).update(
        changed_by_consent_at=timezone.now(), consent_change_note=text
    )


# --- the notes and the e-mail ---------------------------------------------------------------


def counted(number: int, noun: str, verb: str) -> str:
    """E.g. "2 clips were taken out", "1 export was deleted"."""
    if number == 1:
        return f"1 {noun} was {verb}"
    return f"{number} {noun}s were {verb}"


def change_note(parts: Iterable[str]) -> str:
    """E.g. "2 clips were taken out on 1 December 2026 because a storyteller changed their
    consent." Counts and a date only: never the story's title or words."""
    today = dateformat.format(timezone.localdate(), "j F Y")
    return f"{' and '.join(parts)} on {today} {BECAUSE}."


@dataclass
class Notice:
    kind: str  # "reel", "report" or "clips"
    title: str  # the owner's own title for their reel or report
    url_name: str
    pk: int | None
    note: str

    @property
    def link(self) -> str:
        if self.pk is None:
            return ""
        return site_url(reverse(self.url_name, args=[self.pk]))


def tell_owner(owner: Any, notices: list[Notice]) -> None:
    """One e-mail to the owner of what changed. It names their own reels and reports; it
    never names the story."""
    if not owner.email:
        return
    lines = [
        "A storyteller changed their consent, so something you made in the archive changed.",
        "",
    ]
    for notice in notices:
        if notice.kind == "clips":
            lines.append(f"- Your clips: {notice.note}")
        else:
            lines.append(f'- Your {notice.kind} "{notice.title}": {notice.note}')
            lines.append(f"  {notice.link}")
    lines += ["", "Nothing else needs doing. The archive team can answer any questions."]
    lines.append("Export a changed reel again to get a new video and training pack.")
    subject = "Your reels or reports changed because a storyteller changed their consent"
    try:
        send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [owner.email])
    except Exception:
        # The notice on the reel or report stays; a mail server that is down must not stop
        # a withdrawal (run again, it would find nothing left to tell).
        logger.exception("Could not e-mail user %s about a change by consent", owner.pk)


# --- downloads in the audit trail -----------------------------------------------------------


def audit_downloads(scope: Scope, story_id: int) -> None:
    """Every file with the story that already left the archive, by ids, kinds and dates, in
    the withdrawal's trail (or the lapse's): it cannot be recalled, but it can be followed."""
    withdrawal = _withdrawal_of(scope)
    when = "before consent expired" if scope.kind == EXPIRED else "before withdrawal"
    downloads = Download.objects.filter(stories__story_id_value=story_id).distinct()
    for download in downloads.order_by("at", "pk"):
        action = f"{when}: {download_line(download)}"
        done = AuditEntry.objects.filter(
            consent_record_id_value=scope.consent_record_id, withdrawal=withdrawal, action=action
        )
        if not done.exists():
            audit(
                scope.consent_record_id,
                action,
                withdrawal=withdrawal,
                actor=withdrawal.actor if withdrawal else None,
                actor_label=withdrawal.actor_label if withdrawal else "scheduled task",
            )


def download_line(download: Download) -> str:
    """E.g. "training pack downloaded by user 7 on 2026-11-30 (download 12)"."""
    kind = download.get_kind_display().split(" (")[0].lower()
    who = f"user {download.user_id}" if download.user_id else "a user since deleted"
    return f"{kind} downloaded by {who} on {download.at:%Y-%m-%d} (download {download.pk})"


def _withdrawal_of(scope: Scope) -> Withdrawal | None:
    if scope.kind == EXPIRED:
        return None
    return (
        Withdrawal.objects.filter(consent_record_id=scope.consent_record_id, scope=scope.kind)
        .order_by("-requested_at", "-pk")
        .first()
    )


register_step(QUOTES_STEP, order=QUOTES_ORDER)(forget_quotes)
register_step(STEP, order=ORDER)(forget_clips_and_exports)
