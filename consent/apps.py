from django.apps import AppConfig


class ConsentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consent"
    verbose_name = "Consent"

    def ready(self):
        # Register the consent app's own withdrawal steps (note writes, contact, tombstone).
        from django.db.models.signals import post_migrate

        from . import steps  # noqa: F401 - imported for its registrations

        # The rate-limit counters' table (a database cache) is made by every migrate.
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="consent-cache-tables")


def create_cache_tables(using="default", **kwargs):
    """createcachetable for every database cache in CACHES (it skips existing tables)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
