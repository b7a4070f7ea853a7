"""Say how far the transcripts are, and when all are ready: `make run` runs it with --wait
beside the worker, whose own lines go to a log file, so the person who started the demo is
told when its transcripts (and so its captions and search) are complete."""

import time

from django.core.management.base import BaseCommand

from transcription.models import Status, Transcript


def progress() -> dict[str, int]:
    counts = {status: 0 for status in Status.values}
    for status in Transcript.objects.values_list("status", flat=True):
        counts[status] += 1
    return counts


def progress_line(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    done, failed = counts[Status.DONE], counts[Status.FAILED]
    waiting = counts[Status.QUEUED] + counts[Status.RUNNING]
    if waiting:
        return f"Transcripts: {done} of {total} ready, {waiting} still to do."
    if failed:
        return (
            f"Transcripts: {done} of {total} ready; {failed} could not be made "
            "(the reasons are in the admin, under Transcription > Transcripts)."
        )
    return f"All {total} transcripts are ready: captions and search are complete."


class Command(BaseCommand):
    help = "Say how far the transcripts are; with --wait, until none is left to do."

    def add_arguments(self, parser):
        parser.add_argument("--wait", action="store_true", help="Say again as they finish")
        parser.add_argument("--every", type=float, default=30.0, help="Seconds between lines")

    def handle(self, *args, wait=False, every=30.0, **options):
        counts = progress()
        if not sum(counts.values()):
            self.stdout.write("No recordings to transcribe.")
            return
        line = progress_line(counts)
        self.stdout.write(line)
        while wait and counts[Status.QUEUED] + counts[Status.RUNNING]:
            time.sleep(every)
            counts = progress()
            if progress_line(counts) != line:  # only news
                line = progress_line(counts)
                self.stdout.write(line)
