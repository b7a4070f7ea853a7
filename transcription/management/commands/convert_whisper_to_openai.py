"""python manage.py convert_whisper_to_openai [--model base|tiny.en]

Writes var/models/whisper-<model>-openai.pt from the verified CTranslate2 weights, for the
openai-whisper reference engine (needs the `openai` extra: pip install '.[openai]')."""

from django.core.management.base import BaseCommand, CommandError

from transcription import modelstore
from transcription.engines.openai import checkpoint_path


class Command(BaseCommand):
    requires_system_checks = []  # works on files outside the archive; needs no database
    help = "Convert the packaged CTranslate2 Whisper weights to an openai-whisper checkpoint."

    def add_arguments(self, parser):
        parser.add_argument("--model", action="append", choices=list(modelstore.MODELS))

    def handle(self, *args, model, **options):
        try:
            import torch  # noqa: F401 - imported only to see that it is installed
        except ImportError as error:
            raise CommandError(
                "torch is missing: pip install -c requirements/constraints.txt '.[openai]'"
            ) from error
        from transcription.convert import convert

        for name in model or list(modelstore.MODELS):
            try:
                source = modelstore.verify(name)
            except modelstore.ModelError as error:
                raise CommandError(str(error)) from error
            target = checkpoint_path(name)
            dims = convert(source, target)
            self.stdout.write(f"Whisper {name}: {target} ({dims['n_text_layer']} layers)")
