"""After a withdrawal, not one copy of the story remains: a canary word put in the title,
summary, file name and transcript of a published, indexed, reused and edited story is
found 0 times in every database table, every search index, the media folder, the cache and
the log lines written while withdrawing; and, once the withdrawal's purge is done, 0 times
in the raw bytes of the database's files (issue 10, point 2)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from archive.models import CollectionItem, CollectionPage, HomePage, StoryPage

from .conftest import contribution_data, make_media_file, make_user

pytestmark = pytest.mark.django_db

CANARY = "Quillowmere"
# FTS5 stores each term after the prefix it shares with the term before it ("qui" of
# "quiet", say), and stems it ("quillowmer"): this tail is in every stored copy of the term.
CANARY_TAIL = "llowmer"
ROOT = Path(__file__).resolve().parents[2]


def scan_database():
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a quoted table name
            for row in cursor.fetchall():
                text = " ".join(_text(value) for value in row)
                if CANARY.lower() in text.lower():
                    hits.append((table, text[:200]))
    return hits + scan_sessions()


def _text(value):
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("latin-1")
    return str(value)


def scan_sessions():
    # Session data is signed and base64-encoded: decode it before looking.
    from django.contrib.sessions.models import Session

    return [
        ("django_session", key)
        for key, data in ((s.session_key, str(s.get_decoded())) for s in Session.objects.all())
        if CANARY.lower() in data.lower()
    ]


def scan_media(root):
    hits = []
    for path in root.rglob("*"):
        if CANARY.lower() in path.name.lower():
            hits.append(str(path))
        elif path.is_file() and CANARY.lower().encode() in path.read_bytes().lower():
            hits.append(str(path))
    return hits


def scan_cache():
    backend = caches["default"]
    store = getattr(backend, "_cache", {})  # LocMemCache: {key: pickled value}
    return [
        key
        for key, value in store.items()
        if CANARY.lower() in key.lower() or CANARY.lower().encode() in bytes(value).lower()
    ]


def scan_search_indexes():
    from wagtail.search.backends import get_search_backends

    from search.models import Passage

    hits = []
    for backend in get_search_backends(with_auto_update=False):
        for model in (StoryPage, Passage):
            found = backend.search(CANARY, model.objects.all())
            if found.count():
                hits.append((type(backend).__name__, model.__name__, found.count()))
    return hits


def contribute_publish_and_reuse(client, django_user_model):
    """A story contributed through the portal with the canary everywhere the contributor
    types, transcribed, edited, previewed, published, put in a collection and read by the
    public. Returns (story, withdrawal code)."""
    path = make_media_file("audio")
    data = contribution_data(
        title=f"The {CANARY} bus stop",
        summary=f"Words about {CANARY} that only this story has.",
        full_name=f"Ada {CANARY}",
    )
    data["recordings"] = [SimpleUploadedFile(f"{CANARY}-interview.mp3", path.read_bytes())]
    client.post("/contribute/", data)
    html = client.get(reverse("archive:contribute_thanks")).content.decode()
    code = html.split('data-testid="withdrawal-code">')[1].split("<")[0]
    story = StoryPage.objects.get(title=data["title"])
    recording = story.story_recordings.get().recording

    # Transcribed: a transcript holds the canary too.
    from transcription.models import Segment, Transcript

    transcript = Transcript.objects.create(recording=recording, status="done", language="en")
    Segment.objects.create(
        transcript=transcript,
        start=0,
        end=2,
        text=f"I waited at the {CANARY} stop and he shouted at me.",
    )

    # Edited and previewed in the admin, moderated and published (revisions, log entries).
    editor = make_user(django_user_model, "editor")
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    story.title = f"The {CANARY} bus stop, edited"
    story.save_revision(user=editor, log_action=True).publish(user=editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert client.get(edit_url).status_code == 200
    client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk]),
        {
            "title": f"{CANARY} preview title",
            "slug": story.slug,
            "kind": story.kind,
            "summary": "x",
            "borough": story.borough_id,
            "language": "en",
            "story_recordings-TOTAL_FORMS": "0",
            "story_recordings-INITIAL_FORMS": "0",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
        },
    )

    reuse_in_training_and_reports(story, recording, django_user_model)

    # Reused: in a collection, and read by the public (which fills caches).
    collection = HomePage.objects.get().add_child(
        instance=CollectionPage(title="Everyday encounters", slug="everyday")
    )
    CollectionItem.objects.create(collection=collection, story=story)
    client.logout()
    story = StoryPage.objects.get(pk=story.pk)
    assert client.get(story.url).status_code == 200
    client.get(collection.url)
    client.get("/stories/")
    return story, code


def reuse_in_training_and_reports(story, recording, django_user_model):
    """Clipped (a real cut: its captions hold the canary) into a reel with a slide, shared,
    exported (video, captions and pack whose bytes name the story), quoted in a saved report
    and downloaded. Returns nothing: `reuse_rows` finds them again."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from archive.tasks import make_rendition
    from reuse import clipping, exporting
    from reuse.models import (
        Clip,
        Download,
        DownloadedStory,
        Reel,
        ReelExport,
        ReelItem,
        ReportQuote,
        SavedReport,
        ShareLink,
    )
    from tests.search.helpers import add_passage

    if not recording.rendition:  # the worker's job, done here as the test backend does not
        make_rendition.call(recording.pk)
        recording.refresh_from_db()
    trainer = make_user(django_user_model, "trainer")
    clip = Clip.objects.create(
        owner=trainer, story=story, recording=recording, start=0.0, end=1.5,
        title="Waiting", excerpt=clipping.excerpt(recording, 0.0, 1.5),
    )  # fmt: skip
    clipping.cut(clip)
    assert CANARY in clip.captions.read().decode()
    exporting.prepare_reel_part(clip)  # the background job after a cut: captions burned in
    assert clip.reel_part.storage.exists(clip.reel_part.name)
    reel = Reel.objects.create(owner=trainer, title="Session one")
    ReelItem.objects.create(reel=reel, position=0, kind="slide", text="What would you do?")
    ReelItem.objects.create(reel=reel, position=1, kind="clip", clip=clip)
    ShareLink.objects.create(
        reel=reel, created_by=trainer, expires_at=timezone.now() + timedelta(days=1)
    )
    export = ReelExport(
        reel=reel, status="done", story_ids=[story.pk], manifest={"credits": [story.title]}
    )
    for name in ("video", "captions", "pack"):
        getattr(export, name).save(f"reel.{name}", ContentFile(f"{CANARY} {name}".encode()), False)
    export.save()
    writer = make_user(django_user_model, "report writer")
    report = SavedReport.objects.create(owner=writer, title="Forum 2026")
    passage = add_passage(story, f"I waited at the {CANARY} stop.", recording=recording)
    ReportQuote.objects.create(report=report, passage=passage)
    download = Download.objects.create(kind="training_pack", user=trainer, reel_id_value=reel.pk)
    DownloadedStory.objects.create(download=download, story_id_value=story.pk)


def reuse_rows():
    """What reuse holds of any story: {model: rows}."""
    from reuse import models

    kept = (models.Reel, models.ReelItem, models.ShareLink, models.SavedReport)
    copies = (models.Clip, models.ReelExport, models.ReportQuote)
    return {m.__name__: m.objects.count() for m in (*kept, *copies, models.Download)}


def withdraw_by_link(client, story, code):
    response = client.post(
        reverse("consent:withdraw", args=[story.consent.reference]), {"code": code, "scope": "full"}
    )
    assert response.status_code == 302


def test_withdrawal_leaves_no_trace(client, media_root, ffmpeg, django_user_model, caplog):
    story, code = contribute_publish_and_reuse(client, django_user_model)
    cache.set("rendered-story-fragment", f"<h1>{CANARY}</h1>")  # as a template cache would

    tables = {table for table, _row in scan_database()}
    # Each place Wagtail and the apps keep copies really held the canary beforehand.
    for table in [
        "wagtailcore_page",
        "wagtailcore_revision",
        "wagtailcore_pagelogentry",
        "wagtailadmin_formstate",
        "archive_recording",
        "transcription_segment",
        "consent_contributor",
        "wagtailsearch_indexentry",
        "reuse_clip",
        "reuse_reelexport",
        "search_passage",
    ]:
        assert any(table in name for name in tables), (table, sorted(tables))
    assert scan_cache()
    assert scan_media(media_root)  # the clip's captions and the export's files
    assert reuse_rows() == {
        "Reel": 1, "ReelItem": 2, "ShareLink": 1, "SavedReport": 1,
        "Clip": 1, "ReelExport": 1, "ReportQuote": 1, "Download": 1,
    }  # fmt: skip

    # Withdrawn by link and code.
    caplog.clear()
    caplog.set_level("INFO")
    withdraw_by_link(client, story, code)

    # Nothing is left.
    assert scan_database() == []
    assert scan_search_indexes() == []
    assert scan_media(media_root) == []
    # Nor any file of the clip, the canary burned into its reel part's pictures included.
    assert list(media_root.rglob("reuse/clips/*")) == []
    assert scan_cache() == []
    assert CANARY not in caplog.text  # nor in the application log written while withdrawing
    # The reel, its slide and its share link stay, and the report: the copies are gone, and
    # the download is kept by ids only; the owners were told, in words naming no story.
    assert reuse_rows() == {
        "Reel": 1, "ReelItem": 1, "ShareLink": 1, "SavedReport": 1,
        "Clip": 0, "ReelExport": 0, "ReportQuote": 0, "Download": 1,
    }  # fmt: skip
    told = [m for m in mail.outbox if "storyteller changed their consent" in m.subject]
    assert len(told) == 2  # the reel's owner and the report's
    assert not [m for m in told if CANARY.lower() in (m.subject + m.body).lower()]


# --- the raw bytes of the database's files ------------------------------------------------


def count_in(path):
    """How often the canary, or the tail FTS5 stores of it, is in a file's bytes."""
    data = path.read_bytes().lower()
    return data.count(CANARY.lower().encode()) + data.count(CANARY_TAIL.encode())


def sqlite_files():
    name = Path(connection.settings_dict["NAME"])
    return [path for path in (name, Path(f"{name}-wal"), Path(f"{name}-journal")) if path.exists()]


def postgres_files():
    """Every file of the test database (tables, TOAST tables, indexes, free space maps),
    after a checkpoint has written every changed page to them. As the server's superuser:
    scripts/postgres.sh trusts it on loopback."""
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user="postgres",
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("CHECKPOINT")
        data_directory = admin.execute("SHOW data_directory").fetchone()[0]
        oid = admin.execute(
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]
    return [path for path in (Path(data_directory) / "base" / str(oid)).iterdir() if path.is_file()]


def snapshots_held():
    """PostgreSQL: the other sessions on this database that hold a snapshot (VACUUM FULL must
    keep every row they may still see), to explain a failure."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, backend_xmin::text, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_xmin IS NOT NULL"
        )
        return cursor.fetchall()


def raw_hits():
    """{file: occurrences of the canary} over the database's files."""
    files = sqlite_files() if connection.vendor == "sqlite" else postgres_files()
    assert files, "no database files found"
    return {str(path): hits for path in files if (hits := count_in(path))}


def rerun_on_a_sqlite_file(tmp_path, test_name):
    """pytest-django keeps the SQLite test database in memory, which has no file to read: run
    this test again in a pytest of its own whose test database is a file, a copy of this one
    (so it need not migrate again)."""
    database = tmp_path / "residue.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(database)])
    env = {**os.environ, "TEST_DATABASE_NAME": str(database)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--reuse-db",
            f"{__file__}::{test_name}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout, done.stdout[-3000:]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_withdrawal_leaves_no_word_in_the_database_files(
    client, media_root, ffmpeg, django_user_model, tmp_path
):
    """SQLite: its database file and write-ahead log. PostgreSQL: every file of the database.
    Before the withdrawal the canary is in them; once its purge is recorded, 0 times."""
    from consent.models import Withdrawal

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return rerun_on_a_sqlite_file(
            tmp_path, "test_withdrawal_leaves_no_word_in_the_database_files"
        )
    if connection.vendor == "sqlite":
        # Every connection zeroes what it deletes (settings; Debian's SQLite does by default).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1
    else:
        # Earlier tests on this database rolled back rows holding the canary: their dead
        # tuples stay in the files until a VACUUM, in tables this withdrawal never writes to
        # (so its purge rightly leaves them). Start from clean files, so the scan below sees
        # this story's copies only, whichever tests ran here before (as with pytest -n 2).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL")
        assert raw_hits() == {}, "an earlier test's canary survived VACUUM FULL"
    story, code = contribute_publish_and_reuse(client, django_user_model)
    assert raw_hits(), "the canary should be in the database files before the withdrawal"

    withdraw_by_link(client, story, code)

    assert scan_database() == []
    assert raw_hits() == {}, snapshots_held()
    withdrawal = Withdrawal.objects.get(story_id=story.pk)
    assert withdrawal.status == "done"
    assert withdrawal.purged_at is not None  # run on commit; inline with the test task backend
    # Editors see when it was done, in the consent register.
    editor = make_user(django_user_model, "editor")
    client.force_login(editor)
    register = client.get(reverse("consent_admin:register")).content.decode()
    assert f"Purged from database files at {withdrawal.purged_at:%-d %b %Y}" in register


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_purge_that_did_not_finish_is_queued_again_and_shown_until_done(
    client, django_user_model
):
    """The worker stopped before the purge ran: editors see it is not done yet, and the daily
    `manage.py lapse_expired_consent` queues it again."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from consent.models import Withdrawal
    from tests.factories import make_story

    record = make_story().consent
    withdrawal = Withdrawal.objects.create(
        consent_record=record,
        scope="uses",
        status="done",
        detail={"uses_removed": ["reports"]},
        finished_at=timezone.now() - timedelta(hours=1),
        purge_tables=["consent_withdrawal"],
    )
    client.force_login(make_user(django_user_model, "editor"))
    assert (
        "Not yet purged from database files"
        in client.get(reverse("consent_admin:register")).content.decode()
    )

    call_command("lapse_expired_consent", stdout=open(os.devnull, "w"))

    withdrawal.refresh_from_db()
    assert withdrawal.purged_at is not None
    register = client.get(reverse("consent_admin:register")).content.decode()
    assert "Purged from database files at" in register
    assert "Not yet purged" not in register
