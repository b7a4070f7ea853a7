"""python manage.py resume_jobs [--all]

Resume every job a stopped or crashed worker left part-way (archive.recovery): jobs left
"running" are marked failed with the reason and queued again, renditions stuck "processing"
lose their half-made files and are queued again, and so are interrupted transcriptions.
`--all` takes every running job, whatever its age: right just before the one worker starts
(scripts/run.sh), when nothing else can be running them. It also deletes staged uploads
nobody finished (archive.staged_uploads.clear_stale)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from archive import staged_uploads
from archive.recovery import resume_interrupted_jobs


class Command(BaseCommand):
    help = "Resume the jobs a stopped worker left part-way."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="every running job, whatever its age"
        )

    def handle(self, *args, all, **options):
        counts = resume_interrupted_jobs(timedelta(0) if all else None)
        self.stdout.write(
            "Resumed after a stopped worker: "
            + ", ".join(f"{count} {kind}" for kind, count in counts.items())
        )
        cleared = staged_uploads.clear_stale()
        self.stdout.write(f"Unfinished uploads deleted: {cleared}")
