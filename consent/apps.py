from django.apps import AppConfig


class ConsentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consent"
    verbose_name = "Consent"

    def ready(self):
        # Register the consent app's own withdrawal steps (unpublish, purge, tombstone).
        from . import steps  # noqa: F401
