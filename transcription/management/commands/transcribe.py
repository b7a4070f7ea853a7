"""python manage.py transcribe PATH [--engine faster|openai] [--model base|tiny.en]
[--format vtt|srt|txt|json] [--task transcribe|translate] [--language xx]

Works on any file ffmpeg reads, in the archive or not. The result goes to standard output,
progress to standard error, so `... > talk.vtt` gives a clean caption file."""

from django.core.management.base import BaseCommand, CommandError

from transcription import audio, captions, modelstore
from transcription.engines import engine_settings, get_engine


class Command(BaseCommand):
    requires_system_checks = []  # works on files outside the archive; needs no database
    help = "Transcribe an audio or video file and print captions or text to standard output."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--engine", default="default", help="an alias in TRANSCRIPTION_ENGINES")
        parser.add_argument("--model", choices=list(modelstore.MODELS))
        parser.add_argument("--format", default="vtt", choices=captions.FORMATS)
        parser.add_argument("--task", default="transcribe", choices=["transcribe", "translate"])
        parser.add_argument("--language", help="skip detection, e.g. en")

    def handle(self, *args, path, engine, model, format, task, language, **options):
        if engine not in engine_settings():
            known = ", ".join(engine_settings())
            raise CommandError(f"Unknown engine {engine!r}; configured: {known}")
        transcriber = get_engine(engine, MODEL=model)
        try:
            result = transcriber.transcribe(
                path, language=language, task=task, progress=self.report
            )
        except (audio.AudioError, modelstore.ModelError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"\n{transcriber.name} {transcriber.model_name}: language {result.language}, "
            f"{result.duration:.1f} s, {len(result.segments)} segments"
        )
        self.stdout.write(captions.render(captions.from_result(result), format), ending="")

    def report(self, fraction):
        self.stderr.write(f"\rtranscribing: {fraction:6.1%}", ending="")
        self.stderr.flush()
