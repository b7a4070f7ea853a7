"""The consent app's own withdrawal steps, registered from ConsentConfig.ready(): note the
tables written, clear cached copies, erase contact details, keep a tombstone, and queue
the purge of database files.

Other apps register theirs from their own <app>/withdrawal.py (archive: the page and its
recordings; search: the indexes; transcription: transcripts). Every step is idempotent and
takes (story, scope); `story` may be None when a withdrawal is re-run after the page was
already deleted, so steps work from scope.story_id."""

from django.core.cache import cache
from django.db import transaction

from . import purge
from .models import ConsentRecord, Tombstone, Withdrawal, WithdrawalScope
from .tasks import purge_withdrawal
from .withdrawal import EXPIRED, register_purge, register_step


@register_step("note the tables the withdrawal writes to", order=1)
def note_writes(story, scope):
    purge.start_noting()


@register_step("clear cached copies", order=90)
def clear_cache(story, scope):
    # Cached fragments and pages may hold the story's words, and cache keys cannot be
    # listed portably across backends; a cold cache is cheap next to a leaked story.
    cache.clear()


@register_step("erase contact details", order=95)
def erase_contact_details(story, scope):
    if not scope.is_full:
        return
    record = ConsentRecord.objects.select_related("contributor").get(pk=scope.consent_record_id)
    if record.contributor is not None:
        record.contributor.erase(keep_contact=record.contributor.wants_to_hear_back)
    if record.guardian_name:
        record.guardian_name = ""
        record.save(update_fields=["guardian_name"])


@register_step("keep a tombstone", order=100)
def keep_tombstone(story, scope):
    if not scope.is_full:
        return
    record = ConsentRecord.objects.get(pk=scope.consent_record_id)
    withdrawal = (
        record.withdrawals.filter(scope=WithdrawalScope.FULL).order_by("-requested_at").first()
    )
    Tombstone.objects.get_or_create(
        consent_record=record,
        defaults={
            "story_id": scope.story_id,
            "withdrawn_at": record.withdrawn_at,
            "actor": withdrawal.actor if withdrawal else None,
            "actor_label": withdrawal.actor_label if withdrawal else "the contributor",
        },
    )


@register_step("queue the purge of database files", order=110)
def queue_purge(story, scope):
    """Deleted rows leave bytes in the database files until they are purged (consent.purge),
    which takes longer than a contributor should wait: the worker does it once this
    withdrawal is committed, and records when. Consent that lapses deletes nothing."""
    tables = purge.stop_noting()
    withdrawal = Withdrawal.objects.filter(consent_record_id=scope.consent_record_id).first()
    if withdrawal is None or scope.kind == EXPIRED:
        return
    Withdrawal.objects.filter(pk=withdrawal.pk).update(purge_tables=tables, purged_at=None)
    transaction.on_commit(lambda: purge_withdrawal.enqueue(withdrawal.pk))


# The database files are purged last, after every app's own purge (search merges its
# index first, so the pages it frees are zeroed before the checkpoint).
register_purge("purge database files", order=90)(purge.purge_database_files)
