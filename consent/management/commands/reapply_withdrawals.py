"""After restoring the database from a back-up: withdraw again every story, use and
recording that the withdrawal ledger says was taken back and the restored database holds."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from consent import ledger, records
from consent.withdrawal import withdraw


class Command(BaseCommand):
    help = "Withdraw again what the withdrawal ledger lists and a restored database still holds."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ledger", type=Path, help="The ledger file (default: settings.WITHDRAWAL_LEDGER)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be withdrawn; change nothing"
        )

    def handle(self, *args, **options):
        path, dry_run = options["ledger"] or settings.WITHDRAWAL_LEDGER, options["dry_run"]
        if not path.exists():
            raise CommandError(
                f"There is no withdrawal ledger at {path}: nothing can be reapplied."
            )
        entries = ledger.entries(path)
        reapplied = failed = 0
        for entry in entries:
            consent, held = ledger.still_held(entry) or (None, [])
            for arguments in held:
                if dry_run:
                    self.stdout.write(
                        f"would withdraw again: consent {entry.reference} ({arguments['kind']})"
                    )
                    reapplied += 1
                    continue
                records.audit(
                    consent.pk,
                    "withdrawal reapplied from the ledger after a restore",
                    actor_label="reapply_withdrawals",
                )
                withdrawal = withdraw(consent, **arguments)
                if withdrawal.status == "done":
                    reapplied += 1
                else:
                    failed += 1
        verb = "would be withdrawn again" if dry_run else "withdrawn again"
        self.stdout.write(
            f"{len(entries)} ledger entries read; {reapplied} {verb}; {failed} failed (retried by "
            "lapse_expired_consent); the rest already withdrawn or not in this database."
        )
        if failed:
            raise CommandError(f"{failed} withdrawal(s) did not finish; run the command again.")
