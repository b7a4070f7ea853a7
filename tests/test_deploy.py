"""Django's deployment checklist passes with the production settings, as
`make check-deploy` runs it.

Run in a subprocess: production settings must be loaded fresh, not over the test settings."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def run_manage(*args, **env):
    # Not the test run's own switches: browser tests set DJANGO_ALLOW_ASYNC_UNSAFE (for
    # Playwright), which check --deploy rightly warns about in production.
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "archive.example.org",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_never_runs_with_debug_even_if_asked():
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = run_manage("shell", "-c", code, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
