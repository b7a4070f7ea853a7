"""Resumable uploads on /contribute/ (archive/tus.py, archive/staged_uploads.py), driven by
tuspy, a real tus 1.0 client, against the live server: chunks, a connection cut off
mid-chunk and resumed from the server's offset, another session refused, the size limit,
termination, and unfinished uploads deleted after STAGED_UPLOAD_HOURS."""

import io
import os
import socket
import time
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import Client
from django.utils.crypto import get_random_string
from tusclient.client import TusClient
from tusclient.exceptions import TusCommunicationError

from archive import staged_uploads
from tests.factories import make_media_file

# The live server reads committed rows; the taxonomy (data migrations) is put back after,
# as in every transactional test (one without it leaves rows the next one's restore clashes
# with). The live server's gate opens for each test (tests/browser/support.py).
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("open_live_server"),
]

CHUNK = 16 * 1024


def http(method, url, **options):
    return requests.request(method, url, timeout=30, **options)


def browser_session():
    """A session and CSRF token as a browser on /contribute/ would hold them."""
    session = SessionStore()
    session.create()
    csrf = get_random_string(32)
    return {
        "Cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
    }


def tus_client(live_server, headers):
    return TusClient(f"{live_server.url}/contribute/uploads/", headers=headers)


@pytest.fixture
def recording_bytes(ffmpeg):
    path = make_media_file("video", seconds=4, suffix=".mp4")
    assert path.stat().st_size > 3 * CHUNK
    return path


def cut_off_patch(url, headers, offset, body, sent):
    """A PATCH whose connection drops after `sent` of the body's bytes."""
    parts = urlsplit(url)
    lines = [
        f"PATCH {parts.path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Tus-Resumable: 1.0.0",
        "Content-Type: application/offset+octet-stream",
        f"Content-Length: {len(body)}",
        f"Upload-Offset: {offset}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body[:sent])
    time.sleep(0.5)  # the server takes what came before the drop


def test_chunks_resume_from_the_servers_offset_after_a_dropped_connection(
    live_server, media_root, recording_bytes
):
    headers = browser_session()
    content = recording_bytes.read_bytes()
    uploader = tus_client(live_server, headers).uploader(
        file_path=str(recording_bytes), chunk_size=CHUNK, metadata={"filename": "my story.mp4"}
    )
    uploader.upload_chunk()
    uploader.upload_chunk()
    assert uploader.offset == 2 * CHUNK

    cut_off_patch(uploader.url, headers, 2 * CHUNK, content[2 * CHUNK : 3 * CHUNK], 5_000)

    # A new client (the page reloaded, say) asks the server where it got to: HEAD.
    resumed = tus_client(live_server, headers).uploader(
        file_path=str(recording_bytes), url=uploader.url, chunk_size=CHUNK
    )
    assert resumed.offset == 2 * CHUNK + 5_000  # what arrived before the drop is kept
    resumed.upload()
    assert resumed.offset == len(content)

    upload_id = uploader.url.rsplit("/", 1)[1]
    stored = media_root / "staged-uploads" / upload_id / "data"
    assert stored.read_bytes() == content  # every byte once, in order
    # Private: the site has no address for it (the live server's own test harness serves
    # MEDIA_URL, so ask the site's URLs through Django's test client).
    assert (
        Client().get(f"/private-media/staged-uploads/{upload_id}/data", follow=True).status_code
        == 404
    )


def test_another_session_cannot_see_write_or_delete_an_upload(
    live_server, media_root, recording_bytes
):
    uploader = tus_client(live_server, browser_session()).uploader(
        file_path=str(recording_bytes), chunk_size=CHUNK
    )
    uploader.upload_chunk()
    with pytest.raises(TusCommunicationError) as refused:
        tus_client(live_server, browser_session()).uploader(
            file_path=str(recording_bytes), url=uploader.url, chunk_size=CHUNK
        )
    assert refused.value.status_code == 404
    stranger = browser_session()
    answer = http("DELETE", uploader.url, headers={**stranger, "Tus-Resumable": "1.0.0"})
    assert answer.status_code == 404
    assert uploader.get_offset() == CHUNK  # still there for its own session


def test_an_upload_over_the_limit_is_refused_in_plain_words(
    live_server, media_root, recording_bytes, settings
):
    settings.RECORDING_MAX_BYTES = 100_000
    with pytest.raises(TusCommunicationError) as refused:
        tus_client(live_server, browser_session()).uploader(
            file_path=str(recording_bytes), chunk_size=CHUNK
        ).upload()
    assert refused.value.status_code == 413
    assert b"the largest recording we can accept is" in refused.value.response_content
    assert not any((media_root / "staged-uploads").glob("*"))


def test_a_chunk_past_the_declared_length_is_refused(live_server, media_root, recording_bytes):
    headers = browser_session()
    uploader = tus_client(live_server, headers).uploader(
        file_path=str(recording_bytes), chunk_size=CHUNK
    )
    uploader.upload(stop_at=uploader.get_file_size() - 10)
    answer = http(
        "PATCH",
        uploader.url,
        data=b"x" * 100,
        headers={
            **headers,
            "Tus-Resumable": "1.0.0",
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(uploader.offset),
        },
    )
    assert answer.status_code == 413


def test_termination_deletes_the_upload(live_server, media_root, recording_bytes):
    headers = browser_session()
    uploader = tus_client(live_server, headers).uploader(
        file_path=str(recording_bytes), chunk_size=CHUNK
    )
    uploader.upload_chunk()
    answer = http("DELETE", uploader.url, headers={**headers, "Tus-Resumable": "1.0.0"})
    assert answer.status_code == 204
    assert not any((media_root / "staged-uploads").glob("*"))


def test_options_says_what_the_server_speaks(live_server, settings):
    answer = http("OPTIONS", f"{live_server.url}/contribute/uploads/")
    assert answer.status_code == 204
    assert answer.headers["Tus-Version"] == "1.0.0"
    assert answer.headers["Tus-Extension"] == "creation,termination"
    assert answer.headers["Tus-Max-Size"] == str(settings.RECORDING_MAX_BYTES)


def test_without_the_csrf_token_nothing_is_created(live_server, media_root):
    session = SessionStore()
    session.create()
    answer = http(
        "POST",
        f"{live_server.url}/contribute/uploads/",
        headers={
            "Cookie": f"sessionid={session.session_key}",
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "100",
        },
    )
    assert answer.status_code == 403
    assert not (media_root / "staged-uploads").exists()


def test_unfinished_uploads_are_deleted_after_staged_upload_hours(media_root, settings):
    settings.STAGED_UPLOAD_HOURS = 24
    session = SessionStore()
    old = staged_uploads.create(session, 1000, "old.mp3", "audio/mpeg")
    fresh = staged_uploads.create(session, 1000, "fresh.mp3", "audio/mpeg")
    day_and_a_bit = time.time() - 25 * 3600
    for path in old.folder.iterdir():
        os.utime(path, (day_and_a_bit, day_and_a_bit))

    call_command("clear_staged_uploads", stdout=io.StringIO())

    assert not old.folder.exists()
    assert fresh.folder.exists()


def test_resume_jobs_which_make_run_runs_clears_stale_uploads(media_root, settings):
    settings.STAGED_UPLOAD_HOURS = 1
    old = staged_uploads.create(SessionStore(), 1000, "old.mp3", "audio/mpeg")
    two_hours_ago = time.time() - 2 * 3600
    for path in old.folder.iterdir():
        os.utime(path, (two_hours_ago, two_hours_ago))
    call_command("resume_jobs", "--all", stdout=io.StringIO())
    assert not old.folder.exists()


def test_starting_a_new_upload_clears_stale_ones(media_root, settings):
    settings.STAGED_UPLOAD_HOURS = 24
    old = staged_uploads.create(SessionStore(), 1000, "old.mp3", "audio/mpeg")
    two_days_ago = time.time() - 48 * 3600
    for path in old.folder.iterdir():
        os.utime(path, (two_days_ago, two_days_ago))
    staged_uploads.create(SessionStore(), 1000, "new.mp3", "audio/mpeg")
    assert not old.folder.exists()


def test_starting_uploads_is_rate_limited(client, media_root, settings):
    settings.STAGED_UPLOAD_RATE = "2/h"
    headers = {"Tus-Resumable": "1.0.0", "Upload-Length": "1000"}
    codes = [client.post("/contribute/uploads/", headers=headers).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_a_chunk_that_overlaps_one_still_arriving_waits_its_turn(media_root):
    import fcntl

    upload = staged_uploads.create(SessionStore(), 1000, "story.mp3", "audio/mpeg")
    with upload.data_path.open("ab") as first_writer:
        fcntl.flock(first_writer, fcntl.LOCK_EX)
        with pytest.raises(staged_uploads.StagingRefused) as refused:
            staged_uploads.write(upload, 0, io.BytesIO(b"x" * 10), 10)
    assert refused.value.status == 423
    assert staged_uploads.write(upload, 0, io.BytesIO(b"x" * 10), 10) == 10
