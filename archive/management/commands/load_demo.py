"""Load the fictional demo archive: `manage.py load_demo`. Safe to run again."""

import time

from django.core.management.base import BaseCommand, CommandError

from archive.demo import DemoError, load_demo
from archive.demo.media import DemoMediaError


class Command(BaseCommand):
    help = "Load the demo archive of fictional stories, with playable media made offline."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", action="append", metavar="SLUG", help="Load only this story (repeatable)."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        log = self.stdout.write if options["verbosity"] > 1 else (lambda message: None)
        try:
            result = load_demo(log=log, only=options["only"])
        except (DemoError, DemoMediaError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo archive ready: {result.created} fictional stories created, "
                f"{result.existing} already there ({time.monotonic() - started:.1f} s)."
            )
        )
