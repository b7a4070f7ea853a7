"""Back-ups and the restore drill (issue 16): back up, withdraw a story, restore the older
back-up onto a fresh database and media store (`manage.py restore`, which reapplies the
withdrawal ledger), and the residue scan finds the story's canary 0 times. Run on the
database the stage runs on: SQLite's own back-up, or pg_dump and pg_restore."""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from consent.models import ConsentRecord
from consent.withdrawal import withdraw
from files.backups import BackupError, read_manifest
from tests.factories import make_story
from transcription.models import Segment, Transcript

# pg_dump sees committed rows only; the taxonomy (from data migrations) is put back after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CANARY = "Quillowbrace"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the stage's kind, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"restore_drill_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield (
        dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
        and os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def python(args, env, *, check=False):
    """Python in a fresh process on the restored site's settings, as an operator runs it."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=check,
    )


def manage(*args, env):
    return python(["manage.py", *args], env)


SCAN = """
import django, json, sys
django.setup()
from django.db import connection
hits = []
with connection.cursor() as cursor:
    for table in connection.introspection.table_names():
        cursor.execute("SELECT * FROM " + connection.ops.quote_name(table))
        for row in cursor.fetchall():
            text = " ".join(bytes(v).decode("latin-1") if isinstance(v, (bytes, memoryview))
                            else str(v) for v in row)
            if sys.argv[1].lower() in text.lower():
                hits.append(table)
print(json.dumps(hits))
"""


def rows_with(canary, env):
    return python(["-c", SCAN, canary], env, check=True).stdout.strip()


def story_with_canary():
    story = make_story(title=f"The {CANARY} bus stop", recording="audio")
    recording = story.story_recordings.get().recording
    transcript = Transcript.objects.create(recording=recording, status="done", language="en")
    Segment.objects.create(
        transcript=transcript, start=0, end=2, text=f"I waited at {CANARY} every morning."
    )
    return story, recording


def test_the_restore_drill_leaves_no_trace_of_a_story_withdrawn_since_the_backup(
    tmp_path, media_root, fresh_database, settings
):
    story, recording = story_with_canary()
    kept = make_story(title="A story that stays", recording="audio")
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = read_manifest(backup)
    assert manifest.vendor == connection.vendor
    assert any(name.startswith("media/") for name in manifest.files)

    # After the back-up: the teller withdraws. The ledger (outside the back-up) keeps it.
    withdraw(ConsentRecord.objects.get(story=story), "full")

    # A fresh database and media store; the older back-up restored onto them.
    restored_media = tmp_path / "restored-media"
    env = {
        "DATABASE_URL": fresh_database,
        "MEDIA_ROOT": str(restored_media),
        "WITHDRAWAL_LEDGER": str(settings.WITHDRAWAL_LEDGER),
    }
    done = manage("restore", str(backup), env=env)
    assert done.returncode == 0, done.stderr
    assert "1 withdrawn again" in done.stdout

    # The residue scan: every row of every table of the restored database, every file.
    assert rows_with(CANARY, env) == "[]"
    assert rows_with(kept.title, env) != "[]"  # the scan would find a story that stayed
    files = [p for p in restored_media.rglob("*") if p.is_file()]
    assert not any(CANARY.lower() in p.name.lower() for p in files)
    assert not any(recording.file.name.split("/")[-1] == p.name for p in files)
    kept_recording = kept.story_recordings.get().recording
    assert any(kept_recording.file.name.split("/")[-1] == p.name for p in files)

    # Once the worker has purged the withdrawal, not even the raw file holds the words.
    if connection.vendor == "sqlite":
        drained = manage("db_worker", "--batch", "--no-startup-delay", env=env)
        assert drained.returncode == 0, drained.stderr
        raw = Path(dj_database_url.parse(fresh_database)["NAME"]).read_bytes()
        assert CANARY.encode() not in raw and CANARY.lower().encode() not in raw


def test_a_restore_refuses_a_changed_backup_and_a_database_in_use(tmp_path, media_root):
    make_story(title="Anything")
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))  # this test's database has tables
    name = next(n for n in read_manifest(backup).files if n.startswith("database."))
    with (backup / name).open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(BackupError, match="changed since the back-up"):
        read_manifest(backup)
    with pytest.raises(CommandError, match="not empty: choose a new folder"):
        call_command("backup", str(backup))


def test_a_restore_without_the_ledger_says_the_site_must_not_open(tmp_path, settings):
    backup = tmp_path / "backup"
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", str(backup))
    settings.WITHDRAWAL_LEDGER = tmp_path / "lost-ledger.jsonl"
    with pytest.raises(CommandError, match="Do not open the site"):
        call_command("restore", str(backup), "--replace")
