"""Shared fixtures. A test that needs a part this machine lacks (ffmpeg, Chromium,
PostgreSQL, the search engine, a Whisper model) fails under CI=true, never skips."""

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
# The factories' fixtures (media_root) are available to every test.
# The browser fixtures live in one plugin so every test module shares one Chromium
# (a second sync_playwright in the same session fails inside the first one's loop).
pytest_plugins = ["tests.factories", "tests.browser.support"]


def require_part(available, what):
    """Skip locally with a reason, but fail in CI: a missing part is a broken install."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing; make test should have installed it")
    pytest.skip(f"{what} is missing (run make test to install it)")


@pytest.fixture
def ffmpeg():
    require_part(shutil.which("ffmpeg") and shutil.which("ffprobe"), "ffmpeg")
    return shutil.which("ffmpeg")


@pytest.fixture(autouse=True)
def _own_withdrawal_ledger(settings, tmp_path):
    """Each test appends its withdrawals to a ledger of its own (consent.ledger)."""
    settings.WITHDRAWAL_LEDGER = tmp_path / "withdrawal-ledger.jsonl"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the header navigation is cached
    (archive.context_processors), and a rolled-back test must not leave pages behind in it.
    The same goes for the story facts the search facets count (search.facts)."""
    from django.core.cache import cache, caches

    from search import facts

    cache.clear()
    caches["ratelimit"].clear()  # rate-limit counters: locmem in tests
    facts.forget()
    yield
