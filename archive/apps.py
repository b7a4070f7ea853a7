from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
    verbose_name = "Archive"

    def ready(self):
        # Register the archive's own withdrawal steps (the page, its revisions, recordings).
        from . import withdrawal  # noqa: F401  (imported for its registrations)
