"""Queue (or, with --now, make) web renditions that are missing, failed or were cut off.

A worker killed mid-rendition leaves its recording "processing" and, at worst, a hidden
.partial-* file beside the renditions; this finds both. Safe to run at any time: the task
skips recordings that are already ready."""

from django.core.management.base import BaseCommand

from archive.models import Recording, RenditionStatus
from archive.recovery import sweep_partials
from archive.tasks import make_rendition

STALE_PARTIAL_SECONDS = 6 * 60 * 60


class Command(BaseCommand):
    help = "Queue web renditions that are missing or failed, and sweep half-made files."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Make them here, not in the worker.")
        parser.add_argument("--force", action="store_true", help="Remake ready ones too.")

    def handle(self, *args, **options):
        swept = sweep_partials(STALE_PARTIAL_SECONDS)
        todo = Recording.objects.all()
        if not options["force"]:
            todo = todo.exclude(rendition_status=RenditionStatus.READY, rendition__gt="")
        count = 0
        for recording_id in todo.values_list("pk", flat=True):
            runner = make_rendition.call if options["now"] else make_rendition.enqueue
            try:
                runner(recording_id, force=options["force"])
            except Exception as error:  # recorded on the recording; carry on with the rest
                self.stderr.write(f"Recording {recording_id}: {error}")
            count += 1
        verb = "Made" if options["now"] else "Queued"
        self.stdout.write(f"{verb} {count} renditions; removed {swept} half-made files.")
