"""Settings come from the environment: DATABASE_URL picks the database the suite runs on."""

import os
import subprocess
import sys

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection

from config.settings.base import env_bool, env_list


def test_the_suite_runs_on_the_database_named_by_database_url():
    url = os.environ.get("DATABASE_URL")
    expected = dj_database_url.parse(url)["ENGINE"].rsplit(".", 1)[-1] if url else "sqlite3"
    vendor = {"sqlite3": "sqlite", "postgresql": "postgresql"}[expected]
    assert connection.vendor == vendor


@pytest.mark.django_db
def test_the_database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_each_test_worker_has_a_media_folder_of_its_own():
    # The SQLite stage runs on two pytest-xdist workers (scripts/test.d/10-sqlite.sh);
    # pytest-django gives each its own test database.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert settings.MEDIA_ROOT.name == f"test-media-{worker}"


def base_settings(*names, env):
    """The values of config.settings.base's `names`, read by a fresh Python with `env` as
    its whole environment (settings are read once, at import)."""
    code = "from config.settings import base\n" + "".join(f"print(base.{n})\n" for n in names)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split("\n")[: len(names)]


def test_sqlite_is_the_embedded_default():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    [engine] = base_settings("DATABASES['default']['ENGINE']", env=env)
    assert engine == "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("LEA_FLAG", raw)
    assert env_bool("LEA_FLAG") is expected


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("LEA_HOSTS", " a.example , b.example,, ")
    assert env_list("LEA_HOSTS") == ["a.example", "b.example"]
