from django.apps import AppConfig


class TranscriptionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "transcription"
    verbose_name = "Transcription"

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published

        from archive import editor_panels
        from archive.models import StoryPage
        from archive.public_files import register_public_file
        from archive.recovery import register_resumer
        from archive.signals import rendition_finished
        from archive.story_text import register_story_text
        from consent.withdrawal import register_step

        from . import signals, story_panel, tasks, withdrawal
        from .models import RedactedRendition
        from .outputs import public_media_file
        from .sections import story_section_text

        rendition_finished.connect(signals.rendition_finished, dispatch_uid="tx-rendition")
        page_published.connect(signals.story_published, sender=StoryPage, dispatch_uid="tx-pub")
        post_delete.connect(
            signals.rendition_deleted, sender=RedactedRendition, dispatch_uid="tx-del"
        )
        # The public hears the rendition with redacted words silenced.
        register_public_file(public_media_file)
        # A transcription's progress tells whether its worker is alive: it resumes its own.
        register_resumer(
            "transcriptions",
            tasks.transcribe_recording.module_path,
            tasks.resume_after_worker_stopped,
        )
        # A story is found by its sections' titles and synopses (issue 14).
        register_story_text("sections", story_section_text)
        # Withdrawal must reach the transcript too: it holds the contributor's words.
        register_step(withdrawal.STEP, order=40)(withdrawal.forget_story)
        # The story editor shows each recording's player and transcript state.
        editor_panels.register(
            "transcript", "transcription/admin/story_panel.html", story_panel.context
        )
