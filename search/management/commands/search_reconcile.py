"""Bring every search index back in line with the database and the consent gate.

Replays updates that an engine could not take, then, a chunk at a time, adds what the gate
allows and removes what it does not, and prints counts per backend and model."""

from django.core.management.base import BaseCommand

from search import reconcile


class Command(BaseCommand):
    help = "Compare the database with every search index, repair the difference, print counts."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=500, help="Objects per batch")

    def handle(self, *args, chunk, **options):
        report = reconcile.run(chunk=chunk, stdout=self.stdout)
        self.stdout.write(
            f"replayed {report['replayed']} waiting updates, {report['waiting']} still waiting"
        )
        for row in report["models"]:
            self.stdout.write(
                "{backend} {model}: {allowed} allowed and indexed, {removed} not allowed and "
                "removed".format(**row)
            )
