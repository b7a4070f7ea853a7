"""Rate limits that hold behind a proxy (issue 10, point 12): the client's address comes
from the trusted proxy's header, set by an environment variable; counters are shared by every
worker process through the database; and a valid withdrawal code always works, however many
wrong ones anybody sent."""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from consent.codes import normalise_code

pytestmark = pytest.mark.django_db

CODE = "ABCD-EFGH-JKLM"
PROXY = "10.0.0.1"  # nginx: every request reaches Django from here


@pytest.fixture
def record():
    from tests.factories import make_story

    story = make_story()
    record = story.consent
    record.set_withdrawal_code(normalise_code(CODE))
    record.save()
    return record


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    settings.CONSENT_WITHDRAW_RATE = "3/h"


def url(record):
    return f"/contribute/withdraw/{record.reference}/"


def post(record, client_ip, code="WRONG-CODE"):
    """A request to stop quoting in reports, through the proxy, from `client_ip`."""
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=client_ip)
    return client.post(
        url(record), {"code": code, "scope": "uses", "uses": ["reports"]}
    ).status_code


def run_settings(code, **env):
    """Run `code` in a new Python process with the given environment; its printed JSON."""
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=full_env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_proxy_header_and_a_shared_cache_come_from_the_environment():
    code = """
        import json
        from config.settings import base
        print(json.dumps([base.TRUSTED_PROXY_HEADER, base.RATELIMIT_IP_META_KEY,
                          base.CACHES[base.RATELIMIT_USE_CACHE]["BACKEND"]]))
    """
    assert run_settings(code, RATELIMIT_IP_META_KEY="X-Real-IP") == [
        "X-Real-IP",
        "consent.ratelimits.client_ip",
        "consent.ratelimits.SharedCounterCache",
    ]
    assert run_settings(code, TRUSTED_PROXY_HEADER="X-Forwarded-For")[0] == "X-Forwarded-For"


def test_two_clients_behind_one_proxy_are_limited_separately(record, behind_proxy):
    assert [post(record, "203.0.113.5") for _ in range(4)] == [400, 400, 400, 429]
    assert post(record, "198.51.100.7") == 400  # another person's first try is not refused
    assert post(record, "198.51.100.7", code=CODE) == 302  # and their own code works


def test_the_last_address_of_x_forwarded_for_is_the_one_our_proxy_saw(rf, settings):
    from consent.ratelimits import client_ip

    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    request = rf.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"  # the first is whatever the client claimed
    settings.TRUSTED_PROXY_HEADER = ""
    assert client_ip(request) == PROXY


@pytest.mark.parametrize(
    "header", ["", "not an address", "1.2.3.4, '; DROP TABLE x; --", "9" * 5000, "999.1.1.1"]
)
def test_a_header_that_holds_no_address_counts_as_the_connection(rf, settings, header):
    # A broken or hostile header must not give each request a key of its own (dodging the
    # limit) nor reach the cache as a key: the connection's address is used instead.
    from consent.ratelimits import client_ip

    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    request = rf.post("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=header)
    assert client_ip(request) == PROXY


def test_a_valid_code_works_after_the_limit_is_hit(record, behind_proxy):
    assert [post(record, "203.0.113.5") for _ in range(4)][-1] == 429
    assert post(record, "203.0.113.5", code=CODE) == 302
    record.refresh_from_db()
    assert not record.use_reports


def test_the_export_also_counts_only_wrong_codes(record, behind_proxy):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.5")
    export = f"/contribute/withdraw/{record.reference}/my-data/"
    assert [client.post(export, {"code": "WRONG"}).status_code for _ in range(4)][-1] == 429
    assert client.post(export, {"code": CODE}).status_code == 200


def _database_url(tmp_path):
    """The test database for PostgreSQL; a file of its own for SQLite (the test database is
    in memory, out of another process's reach)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


WORKER = """
    import json, django
    django.setup()
    from django.core.management import call_command
    from django.test import RequestFactory
    from consent.ratelimits import count_failure
    call_command("createcachetable", verbosity=0)
    out = []
    for client_ip in %s:
        request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=client_ip)
        out.append(count_failure(request, "consent-code", "3/h"))
    print(json.dumps(out))
"""


def test_limits_are_shared_by_worker_processes(tmp_path):
    """Two processes with the production settings, as two gunicorn workers: the first
    counts three wrong codes, the second is refused at the fourth, for that client only."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 50,
        "RATELIMIT_IP_META_KEY": "X-Real-IP",
        "DATABASE_URL": _database_url(tmp_path),
    }
    first = run_settings(WORKER % '["203.0.113.5"] * 3', **env)
    second = run_settings(WORKER % '["203.0.113.5", "198.51.100.7"]', **env)
    assert first == [False, False, False]
    assert second == [True, False]  # over the limit for the first client, not the other


CREATE_TABLE = """
    import django
    django.setup()
    from django.core.management import call_command
    call_command("createcachetable", verbosity=0)
    print(0)
"""

COUNTER = """
    import json, time, django
    django.setup()
    from django.test import RequestFactory
    from django_ratelimit.core import get_usage
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    while time.time() < %f:  # both workers start counting at the same moment
        time.sleep(0.005)
    for _ in range(%d):
        usage = get_usage(request, group="race", key="ip", rate="1000/h", method="POST",
                          increment=True)
    print(json.dumps(usage["count"]))
"""


TRIES = 150


def test_workers_counting_at_the_same_time_lose_no_count(tmp_path):
    """Two worker processes counting at once: every failure is counted (the database
    cache's own increment reads and writes without a lock, and loses some)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": _database_url(tmp_path),
    }
    run_settings(
        CREATE_TABLE,
        **{k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL")},
    )
    script = textwrap.dedent(COUNTER % (time.time() + 15, TRIES))
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            cwd=django_settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=180) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err[-1500:] for _, err in outputs]
    assert max(int(out.strip().splitlines()[-1]) for out, _ in outputs) == 2 * TRIES
