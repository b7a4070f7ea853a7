"""python manage.py resume_transcriptions [--all]

Queue again every transcription that a stopped or crashed worker left marked "running" (no
progress for 15 minutes). `--all` takes every running one, whatever its age: right for the
moment a single worker starts (scripts/run.sh), when nothing else can be running them."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from transcription.models import STALLED_AFTER
from transcription.tasks import resume_interrupted


class Command(BaseCommand):
    help = "Queue again the transcriptions a stopped worker left running."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="every running one, whatever its age"
        )

    def handle(self, *args, all, **options):
        older_than = timedelta(0) if all else STALLED_AFTER
        resumed = resume_interrupted(older_than)
        self.stdout.write(f"{resumed} interrupted transcription{'s' * (resumed != 1)} queued again")
