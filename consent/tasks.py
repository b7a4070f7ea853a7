"""Background jobs. django-tasks has no scheduler: run `manage.py lapse_expired_consent`
daily from cron, or enqueue this task from whatever scheduler the host has."""

from django_tasks import task

from . import services


@task()
def lapse_expired_consent():
    lapsed, warned = services.lapse_expired_consent()
    return {"lapsed": len(lapsed), "warned": len(warned)}
