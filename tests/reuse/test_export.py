"""Exporting a reel (reuse.exporting): one MP4 checked with ffprobe, its WebVTT timed to
the reel, captions burned in or not, and a failure that is plain and can be retried."""

import json
import subprocess

import pytest

from reuse import exporting
from reuse.models import JobStatus, ReelExport
from tests.reuse.conftest import make_export_reel, make_transcribed_story

pytestmark = pytest.mark.django_db


def probe(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)


def test_smoke(media_root, export_settings, export_trainer):
    stories = [make_transcribed_story(), make_transcribed_story(kind="audio")]
    reel = make_export_reel(export_trainer, stories)
    export, created = exporting.request_export(reel, export_trainer, True)
    exporting.export_reel(export)
    export.refresh_from_db()
    print(export.status, export.error, export.manifest)
    print(probe(export.video.path))
    print(export.captions.read().decode())
