from django.apps import AppConfig


class ReuseConfig(AppConfig):
    """Trainers' clips, reels, share links, exports and training packs; report writers'
    counts, quotes and saved reports. Reuse decides no consent: it asks the gate when a
    thing is made and again when it is played, downloaded or exported."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reuse"
    verbose_name = "Reuse"

    def ready(self):
        # Reuse forgets its own copies of a story (consent imports nothing from reuse).
        from . import withdrawal  # noqa: F401 - registers reuse's withdrawal step
