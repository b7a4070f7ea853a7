"""Background jobs. django-tasks has no scheduler: run `manage.py lapse_expired_consent`
daily from cron, or enqueue this task from whatever scheduler the host has."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import expiry, purge
from .models import Withdrawal, WithdrawalStatus

# A purge queued less long ago than this may still be waiting for the worker.
REQUEUE_AFTER = timedelta(minutes=15)


@task()
def lapse_expired_consent():
    lapsed, warned = expiry.lapse_expired_consent()
    return {"lapsed": len(lapsed), "warned": len(warned)}


@task()
def purge_withdrawal(withdrawal_id: int):
    """Remove what a finished withdrawal left in database files and search segments."""
    withdrawal = Withdrawal.objects.get(pk=withdrawal_id)
    seconds = purge.run_purges(withdrawal, withdrawal.purge_tables)
    return {"seconds": round(seconds, 3)}


def requeue_unpurged(now=None):
    """Queue again the purge of every finished withdrawal not purged a while after it
    finished (the worker stopped, or the purge failed). `manage.py lapse_expired_consent`."""
    since = (now or timezone.now()) - REQUEUE_AFTER
    waiting = list(
        Withdrawal.objects.filter(
            status=WithdrawalStatus.DONE, purged_at__isnull=True, finished_at__lt=since
        )
    )
    for withdrawal in waiting:
        purge_withdrawal.enqueue(withdrawal.pk)
    return waiting
