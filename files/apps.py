from django.apps import AppConfig


class FilesConfig(AppConfig):
    """The bottom layer: how private files are named and served, and the id in the apps'
    addresses. It imports no other app."""

    name = "files"
    verbose_name = "Private files"

    def ready(self) -> None:
        from .addresses import register

        register()  # before any app's URLconf is read: those use <id:...>
