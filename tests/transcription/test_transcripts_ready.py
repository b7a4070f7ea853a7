"""`make run` tells the person who started it when the demo's transcripts are ready
(manage.py transcripts_ready --wait), while the worker's own lines go to a log file."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_recording
from transcription.models import Status, Transcript

pytestmark = pytest.mark.django_db


def say(**options):
    out = StringIO()
    call_command("transcripts_ready", stdout=out, **options)
    return out.getvalue()


def test_it_says_how_many_are_ready_and_when_all_are(media_root):
    recordings = [make_recording("audio", ready=False) for _ in range(3)]
    transcripts = [Transcript.objects.create(recording=r) for r in recordings]
    assert say() == "Transcripts: 0 of 3 ready, 3 still to do.\n"
    Transcript.objects.filter(pk__in=[t.pk for t in transcripts]).update(status=Status.DONE)
    assert say(wait=True, every=0) == (
        "All 3 transcripts are ready: captions and search are complete.\n"
    )


def test_a_failed_transcript_is_named_as_such(media_root):
    Transcript.objects.create(recording=make_recording("audio", ready=False), status=Status.DONE)
    Transcript.objects.create(recording=make_recording("audio", ready=False), status=Status.FAILED)
    assert "1 of 2 ready; 1 could not be made" in say(wait=True, every=0)


def test_run_sh_keeps_the_worker_lines_in_a_log_and_waits_for_the_transcripts():
    from django.conf import settings

    script = (settings.BASE_DIR / "scripts" / "run.sh").read_text()
    assert "db_worker --no-reload >>var/log/worker.log 2>&1" in script
    assert "manage.py transcripts_ready --wait" in script
    assert 'export SITE_URL="${SITE_URL:-http://' in script
