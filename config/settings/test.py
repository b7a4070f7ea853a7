import os

from .base import *  # noqa: F403 - settings start from every base setting
from .base import BASE_DIR, DATABASES, env

SECRET_KEY = "test-only-key"  # noqa: S105 - signs nothing outside a test run
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Cleared before each test (tests/conftest.py); tests/consent/test_rate_limits.py
    # runs the shared database cache that base.py configures.
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
}
# Tasks run inline in tests; the worker path is exercised separately.
TASKS = {
    "default": {
        "BACKEND": env("TEST_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}
# One folder per pytest-xdist worker (the SQLite stage runs two).
MEDIA_ROOT = BASE_DIR / "var" / ("test-media-" + os.environ.get("PYTEST_XDIST_WORKER", "main"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Other apps' tests publish stories with recordings: don't run Whisper inline for each.
# tests/transcription turn it on where queueing is the behaviour under test.
TRANSCRIPTION_AUTO_QUEUE = False
# A test database of its own (a file for SQLite), for a run started by another test:
# tests/consent/test_residue.py reads the raw bytes of a SQLite file that way.
if env("TEST_DATABASE_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
