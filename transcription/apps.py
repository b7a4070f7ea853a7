from django.apps import AppConfig


class TranscriptionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "transcription"
    verbose_name = "Transcription"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from django_tasks.signals import task_finished
        from wagtail.signals import page_published

        from archive.models import Recording, StoryPage
        from consent.withdrawal import register_step

        from . import signals
        from .models import RedactedRendition

        post_save.connect(signals.recording_saved, sender=Recording, dispatch_uid="tx-saved")
        post_delete.connect(
            signals.rendition_deleted, sender=RedactedRendition, dispatch_uid="tx-del"
        )
        task_finished.connect(signals.task_finished, dispatch_uid="tx-rendition")
        page_published.connect(signals.story_published, sender=StoryPage, dispatch_uid="tx-pub")
        # Withdrawal must reach the transcript too: it holds the contributor's words.
        register_step("delete transcripts, captions and redacted renditions", order=40)(
            signals.forget_story
        )
