"""python manage.py suggest --jsonl FILE: ranked dimension, key issue and outcome suggestions
for each {"id": ..., "text": ...} line, one JSON line each. --evaluate also compares them with
the labels in the file and prints the figures; --evaluate --folds K prints k-fold
cross-validated figures on the labelled file (the dev set by default), --feedback adds each
fold's figures before and after the other folds' labels are fed back; --train FILE learns from
a labelled file as if editors had confirmed it; --passages stores suggestions for editors.

Before `migrate` it still works: the labels come from the strategy's text and the editors'
examples are skipped, with a note on stderr."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from search import evaluation, suggest
from search.embedding import ModelMissing


class Command(BaseCommand):
    help = "Suggest dimensions, key issues and outcomes for passages."

    def add_arguments(self, parser):
        parser.add_argument("--jsonl", help='Lines of {"id": ..., "text": ...}')
        parser.add_argument(
            "--evaluate", action="store_true", help="Print accuracy figures to stderr"
        )
        parser.add_argument(
            "--folds",
            type=int,
            help="With --evaluate: k-fold cross-validation on the labelled file "
            "(default: the dev set in search/labelled/)",
        )
        parser.add_argument("--repeats", type=int, default=5, help="Shuffles of the folds")
        parser.add_argument(
            "--feedback",
            action="store_true",
            help="With --folds: each fold's figures before and after the other folds' labels "
            "are fed back as if editors had confirmed them",
        )
        parser.add_argument("--train", help="A labelled file to learn from, as if confirmed")
        parser.add_argument("--method", choices=suggest.METHODS, default="classifier")
        parser.add_argument(
            "--passages",
            action="store_true",
            help="Suggest for the archive's passages that have no suggestions yet",
        )

    def handle(self, *args, jsonl=None, evaluate=False, passages=False, **options):
        try:
            if evaluate and options["folds"]:
                return self._cross_validate(jsonl, options)
            self._run(jsonl, evaluate, passages, options)
        except ModelMissing as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:  # tables from an older version of the archive
            raise CommandError(
                f"The database is not up to date ({error}): run `make migrate` "
                "(manage.py migrate) first, or suggest without it: see --help."
            ) from error

    def _run(self, jsonl, evaluate, passages, options):
        if passages:
            from search.suggestions import suggest_for_new_passages

            suggester = suggest.Suggester(examples=self._examples(), method=options["method"])
            self.stdout.write(f"{suggest_for_new_passages(suggester)} passages given suggestions")
            return
        if not jsonl:
            raise CommandError("Give --jsonl FILE or --passages (or --evaluate --folds K).")
        items = _read(jsonl)
        examples = self._examples()
        if options["train"]:
            examples += [evaluation.as_example(item) for item in _read(options["train"])]
        suggester = suggest.Suggester(examples=examples, method=options["method"])
        ranked = suggester.suggest([item["text"] for item in items])
        for item, result in zip(items, ranked, strict=True):
            line = {"id": item["id"], **{k: [s.name for s in result[k]] for k in suggest.KINDS}}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if evaluate:
            figures = suggest.evaluate(items, ranked)
            sys.stderr.write(json.dumps(figures, indent=2) + "\n")

    def _examples(self):
        try:
            return suggest.editor_examples()
        except suggest.TablesMissing as missing:
            sys.stderr.write(
                f"Note: {missing}; suggesting from the strategy's text without editors' examples.\n"
            )
            return []

    def _cross_validate(self, jsonl, options):
        items = _read(jsonl or evaluation.DEV_SET)
        if options["folds"] < 2 or options["folds"] > len(items):
            raise CommandError(f"--folds must be between 2 and {len(items)}.")
        figures = evaluation.cross_validate(
            items, folds=options["folds"], repeats=options["repeats"], method=options["method"]
        )
        if options["feedback"]:
            figures["feedback_by_fold"] = evaluation.feedback_by_fold(
                items, folds=options["folds"], method=options["method"]
            )
        sys.stderr.write(json.dumps(figures, indent=2) + "\n")


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, ValueError) as error:
        raise CommandError(f"Could not read {path}: {error}") from error
