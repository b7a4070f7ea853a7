"""manage.py backup FOLDER: the database and the media folder, with a checked manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from files.backups import BackupError, back_up


class Command(BaseCommand):
    help = "Back up the database and the media folder into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A new, empty folder for the back-up")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = back_up(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {manifest.vendor} database and {len(manifest.files) - 1} media "
            f"files into {options['folder']} ({manifest.created_at})."
        )
        self.stdout.write(
            "The withdrawal ledger is not in it: keep WITHDRAWAL_LEDGER on storage of its own."
        )
