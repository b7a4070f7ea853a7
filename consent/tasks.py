"""Background jobs. django-tasks has no scheduler: run `manage.py lapse_expired_consent`
daily from cron, or enqueue this task from whatever scheduler the host has."""

from django_tasks import task

from . import services


@task()
def lapse_expired_consent():
    lapsed, warned = services.lapse_expired_consent()
    return {"lapsed": len(lapsed), "warned": len(warned)}


@task()
def purge_withdrawal(withdrawal_id: int):
    """Remove what a finished withdrawal left in database files and search segments."""
    from . import purge
    from .models import Withdrawal

    withdrawal = Withdrawal.objects.get(pk=withdrawal_id)
    seconds = purge.run_purges(withdrawal, withdrawal.purge_tables)
    return {"seconds": round(seconds, 3)}
