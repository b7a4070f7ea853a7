"""manage.py restore FOLDER: a back-up onto a fresh database and media folder, then every
withdrawal made since is made again (consent's reapply_withdrawals), so a restore never
brings back a story its teller took back."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from files.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a back-up onto a fresh database and media folder, then reapply withdrawals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A folder written by manage.py backup")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database and media folder that are not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["folder"], replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the back-up of {manifest.created_at}.")
        # By name, not by import: files sits below consent, which owns the ledger.
        try:
            call_command("reapply_withdrawals", stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            raise CommandError(
                f"Restored, but the withdrawals made since the back-up were not reapplied: "
                f"{error} Do not open the site until `manage.py reapply_withdrawals` succeeds."
            ) from None
