"""The reference web tier (issue 16), for real: Debian's nginx in front of gunicorn with
production settings (scripts/web-tier.sh, deploy/nginx.conf.template), on the stage's
PostgreSQL test database. nginx serves static files itself; a recording is streamed with
Range only after the consent gate said yes (X-Accel-Redirect to an internal location that
no browser can reach); a story without public consent gets nothing."""

import os
import shutil
import socket
import subprocess
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.db import connection

from tests.browser.support import ready_recording
from tests.conftest import require_part
from tests.factories import make_story

# gunicorn reads rows this test has committed; the taxonomy is put back after the flush.
pytestmark = [
    pytest.mark.web_tier,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def web_tier(tmp_path, media_root):
    require_part(shutil.which("nginx"), "nginx (scripts/system-deps.sh)")
    require_part(
        connection.vendor == "postgresql",
        "PostgreSQL: gunicorn shares the test database (the 20-postgres stage)",
    )
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(media_root),
        "SECRET_KEY": "web-tier-test-key-" + "x" * 40,
        "WEB_PORT": str(port),
        "APP_PORT": str(free_port()),
        "WEB_HOME": str(tmp_path / "web-tier"),
        "WEB_WORKERS": "2",
    }
    script = [str(ROOT / "scripts" / "web-tier.sh")]
    started = subprocess.run(
        [*script, "start"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert started.returncode == 0, started.stderr
    yield port
    subprocess.run([*script, "stop"], env=env, capture_output=True, timeout=120, check=False)


def get(port, path, headers=None):
    connection_ = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection_.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection_.close()


def test_nginx_serves_static_itself_and_streams_media_only_through_the_gate(web_tier):
    recording = ready_recording("audio", "Bus stop memories")
    story = make_story(title="At the bus stop", recording=recording)
    hidden = make_story(
        title="Kept off the website",
        recording=ready_recording("audio", "Not for the public"),
        consent={"uses": ["training"]},
    )

    status, headers, body = get(web_tier, story.url)
    assert status == 200 and b"At the bus stop" in body
    assert headers["Server"] == "nginx"  # no version: server_tokens off
    assert "Content-Security-Policy" in headers, headers
    assert headers["X-Content-Type-Options"] == "nosniff"

    # Static files straight from nginx, cached for a year under their hashed names.
    static_path = next(
        p for p in body.decode().split('"') if p.startswith("/static/") and p.endswith(".css")
    )
    status, headers, _ = get(web_tier, static_path)
    assert status == 200
    assert (
        "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
    )

    # A stream with Range: the gate in the app, then the bytes from nginx.
    stream = recording.get_stream_url()
    status, headers, part = get(web_tier, stream, {"Range": "bytes=0-99"})
    assert status == 206, headers
    assert headers["Content-Range"] == f"bytes 0-99/{recording.rendition.size}"
    with recording.rendition.open("rb") as handle:
        assert part == handle.read(100)
    assert "X-Accel-Redirect" not in headers
    assert "private" in headers["Cache-Control"]

    # The internal location is not reachable from outside; a story without public consent
    # gets no bytes at all.
    hidden_recording = hidden.story_recordings.get().recording
    status, _, _ = get(web_tier, "/protected-media/" + recording.rendition.name)
    assert status == 404
    status, _, body = get(web_tier, hidden_recording.get_stream_url(), {"Range": "bytes=0-99"})
    assert status == 404

    status, headers, body = get(web_tier, "/healthz")
    assert status == 200 and b'"database": {"ok": true' in body
