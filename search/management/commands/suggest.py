"""python manage.py suggest --jsonl FILE: ranked dimension, key issue and outcome suggestions
for each {"id": ..., "text": ...} line, one JSON line each. --evaluate also compares them with
the labels in the file and prints the figures; --passages stores suggestions for editors."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from search import suggest
from search.embedding import ModelMissing


class Command(BaseCommand):
    help = "Suggest dimensions, key issues and outcomes for passages."

    def add_arguments(self, parser):
        parser.add_argument("--jsonl", help='Lines of {"id": ..., "text": ...}')
        parser.add_argument(
            "--evaluate", action="store_true", help="Print accuracy figures to stderr"
        )
        parser.add_argument(
            "--passages",
            action="store_true",
            help="Suggest for the archive's passages that have no suggestions yet",
        )

    def handle(self, *args, jsonl=None, evaluate=False, passages=False, **options):
        try:
            suggester = suggest.Suggester(examples=suggest.confirmed_examples())
        except ModelMissing as error:
            raise CommandError(str(error)) from error
        if passages:
            from search.suggestions import suggest_for_new_passages

            self.stdout.write(f"{suggest_for_new_passages(suggester)} passages given suggestions")
            return
        if not jsonl:
            raise CommandError("Give --jsonl FILE or --passages.")
        items = _read(jsonl)
        ranked = suggester.suggest([item["text"] for item in items])
        for item, result in zip(items, ranked, strict=True):
            line = {"id": item["id"], **{k: [s.name for s in result[k]] for k in suggest.KINDS}}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if evaluate:
            figures = suggest.evaluate(items, ranked)
            sys.stderr.write(json.dumps(figures, indent=2) + "\n")


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, ValueError) as error:
        raise CommandError(f"Could not read {path}: {error}") from error
