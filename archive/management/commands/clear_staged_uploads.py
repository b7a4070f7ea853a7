"""python manage.py clear_staged_uploads

Delete staged uploads (archive.staged_uploads) nobody finished: those not written to for
STAGED_UPLOAD_HOURS. `make run` and `make worker` run it through resume_jobs; a site that
runs for days should also run it hourly from cron (a new upload clears stale ones too)."""

from django.core.management.base import BaseCommand

from archive import staged_uploads


class Command(BaseCommand):
    help = "Delete unfinished uploads older than STAGED_UPLOAD_HOURS."

    def handle(self, *args, **options):
        cleared = staged_uploads.clear_stale()
        self.stdout.write(f"{cleared} staged upload(s) deleted.")
