"""Back-ups of the database and the media folder, and their restore (issue 16).

A back-up is a folder: the database (pg_dump's custom format on PostgreSQL, SQLite's own
online back-up on SQLite), a copy of the media folder, and manifest.json with a SHA-256 of
every file, checked before anything is restored. The withdrawal ledger is deliberately
not in it: it lives apart, so that after a restore `reapply_withdrawals` can withdraw again
whatever the back-up still holds (`manage.py restore` runs it)."""

from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from .checksums import sha256_of

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A back-up or restore that cannot go ahead, in words for the person running it."""


@dataclass
class Manifest:
    created_at: str
    vendor: str
    database_file: str
    files: dict[str, str]  # path inside the back-up -> SHA-256

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}


def back_up(target: Path) -> Manifest:
    """Write a back-up of the database and MEDIA_ROOT into the new folder `target`."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: choose a new folder for the back-up.")
    target.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        database_file = "database.pgdump"
        _pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges"], target / database_file)
    elif vendor == "sqlite":
        database_file = "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target / database_file) as copy:
            connection.connection.backup(copy)  # consistent while the site keeps writing
        copy.close()
    else:
        raise BackupError(f"Back-ups of a {vendor} database are not supported.")
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, target / "media", symlinks=False)
    else:
        (target / "media").mkdir()
    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        vendor=vendor,
        database_file=database_file,
        files={
            _relative(p, target): sha256_of(p) for p in sorted(target.rglob("*")) if p.is_file()
        },
    )
    (target / MANIFEST).write_text(json.dumps(manifest.as_json(), indent=2))
    return manifest


def read_manifest(source: Path) -> Manifest:
    """The back-up's manifest, once every file it lists is there and unchanged."""
    try:
        data = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{source} has no readable {MANIFEST}: it is not a back-up.") from None
    if data.get("format") != FORMAT:
        raise BackupError(f"{source} was written in a format this version cannot read.")
    manifest = Manifest(
        created_at=data["created_at"],
        vendor=data["vendor"],
        database_file=data["database_file"],
        files=data["files"],
    )
    for name, digest in manifest.files.items():
        path = source / name
        if not path.is_file() or sha256_of(path) != digest:
            raise BackupError(f"{name} is missing or changed since the back-up: nothing restored.")
    return manifest


def restore(source: Path, *, replace: bool = False) -> Manifest:
    """Restore a back-up onto this site's database and MEDIA_ROOT, which must be empty
    (a fresh database and media store) unless `replace`."""
    manifest = read_manifest(source)
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"The back-up is of a {manifest.vendor} database; this site uses {connection.vendor}."
        )
    media = Path(settings.MEDIA_ROOT)
    if not replace and (connection.introspection.table_names() or _has_files(media)):
        raise BackupError(
            "The database or the media folder is not empty. Restore onto a fresh one, or add "
            "--replace to overwrite this one."
        )
    database = source / manifest.database_file
    if manifest.vendor == "postgresql":
        connection.close()
        _pg(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists"], database)
    else:
        connection.ensure_connection()
        with sqlite3.connect(database) as copy:
            copy.backup(connection.connection)
        copy.close()
    if media.exists():
        shutil.rmtree(media)
    shutil.copytree(source / "media", media)
    return manifest


def _pg(command: list[str], path: Path) -> None:
    """Run pg_dump (to `path`) or pg_restore (from `path`) on this site's database. The
    connection goes in libpq's variables, so the password is never on a command line."""
    name, *options = command
    db = settings.DATABASES["default"]
    variables = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
    }
    place = [f"--file={path}"] if name == "pg_dump" else [f"--dbname={db['NAME']}", str(path)]
    done = subprocess.run(  # noqa: S603 - fixed programs; arguments from settings
        [_pg_program(name), *options, *place],
        env={**os.environ, **{k: v for k, v in variables.items() if v}},
        capture_output=True,
        text=True,
        timeout=settings.BACKUP_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"{name} failed: {done.stderr.strip()[-500:]}")


def _pg_program(name: str) -> str:
    # The newest of Debian's PostgreSQL client programs, as scripts/postgres.sh uses.
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version)
    program = found[-1] if found else shutil.which(name)
    if not program:
        raise BackupError(f"{name} is not installed (Debian's postgresql-client package).")
    return program


def _version(path: str) -> float:
    try:
        return float(path.split("/")[4])
    except (IndexError, ValueError):
        return 0.0


def _has_files(folder: Path) -> bool:
    return folder.exists() and any(p.is_file() for p in folder.rglob("*"))


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
