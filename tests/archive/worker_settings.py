"""Settings for a real `manage.py db_worker` started by tests/archive/test_worker_killed.py:
the test settings, with the database task backend and the test's own MEDIA_ROOT."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403 - the test settings, then overrides

MEDIA_ROOT = Path(os.environ["WORKER_MEDIA_ROOT"])
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
