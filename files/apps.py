from django.apps import AppConfig


class FilesConfig(AppConfig):
    """The bottom layer: how private files are named and served. It imports no other app."""

    name = "files"
    verbose_name = "Private files"
