"""Run daily (cron or a systemd timer): consent past its date lapses, and editors hear
14 days before. Also retries any withdrawal whose clean-up was interrupted, and queues again
any purge of database files that has not finished (consent.purge)."""

from django.core.management.base import BaseCommand

from consent import expiry, tasks, withdrawal


class Command(BaseCommand):
    help = "Let expired consent lapse, warn editors 14 days ahead, retry failed withdrawals."

    def handle(self, *args, **options):
        lapsed, warned = expiry.lapse_expired_consent()
        retried = withdrawal.retry_failed_withdrawals()
        purges = tasks.requeue_unpurged()
        self.stdout.write(
            f"{len(lapsed)} consent record(s) lapsed; {len(warned)} expiry notice(s) sent; "
            f"{len(retried)} withdrawal(s) retried; {len(purges)} purge(s) queued again."
        )
