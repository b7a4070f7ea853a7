"""Withdrawal benchmark: how long a contributor waits after pressing "Confirm".

    python bench/withdrawal.py [--runs 5]

Each run builds a published story with 3 recordings (real files, real ffmpeg renditions
and posters), a transcript on each, search index entries, a collection entry and page
revisions, then withdraws it in full through the public page, by link and code, exactly
as a contributor does: one POST to /contribute/withdraw/<reference>/. The time measured
is that request, start to response: every registered withdrawal step runs inside it, so
when the contributor sees "Done" nothing of the story is left.

Codes are hashed with Django's default (production) password hasher, which is part of
the wait. A fresh SQLite database and media folder under var/bench/withdrawal/ are made
each time. Target: under 2 s. Results also go to var/bench/withdrawal.json."""

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = BASE_DIR / "var" / "bench" / "withdrawal"
TARGET_SECONDS = 2.0


def setup_django():
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "media").mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = WORK / "media"
    # Production hashing, not the fast test hasher: checking the code is part of the wait.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    settings.CONSENT_WITHDRAW_RATE = "10000/h"
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_story(number):
    from django.core.files import File

    from archive.models import CollectionItem, CollectionPage, HomePage, StoryPage, StoryRecording
    from archive.services import accept_recording
    from archive.tasks import make_rendition
    from consent.services import record_consent
    from tests.factories import make_media_file, story_index
    from transcription.models import Segment, Transcript

    story = StoryPage(title=f"Bench story {number}", slug=f"bench-{number}", kind="vox-pop",
                      summary="A generated story for the withdrawal benchmark.",
                      borough_id=_borough_id(), language="en")
    story_index().add_child(instance=story)
    for kind in ("video", "audio", "audio"):
        path = make_media_file(kind, seconds=3)
        with path.open("rb") as handle:
            recording = accept_recording(File(handle, name=path.name), title=f"Bench {number}")
        make_rendition.call(recording.pk)
        StoryRecording.objects.create(story=story, recording=recording)
        transcript = Transcript.objects.create(recording=recording, status="done", language="en")
        for second in range(3):
            Segment.objects.create(transcript=transcript, start=second, end=second + 1,
                                   text=f"Words spoken in second {second} of story {number}.")
    data = {"uses": ["public_website", "training", "reports"], "media_mode": "voice-and-face",
            "naming": "anonymous", "email": "bench@example.org"}
    record, code = record_consent(story, data)
    story.save_revision(log_action=True).publish()
    home = HomePage.objects.get()
    collection = CollectionPage.objects.first() or home.add_child(
        instance=CollectionPage(title="Bench collection", slug="bench-collection"))
    CollectionItem.objects.create(collection=collection, story=story)
    return record, code


def _borough_id():
    from archive.models import Borough

    return Borough.objects.values_list("pk", flat=True).first()


def withdraw_once(record, code):
    from django.test import Client
    from django.urls import reverse

    from consent.models import AuditEntry, Withdrawal

    client = Client()
    url = reverse("consent:withdraw", args=[record.reference])
    client.get(url)
    started = time.perf_counter()
    response = client.post(url, {"code": code, "scope": "full"})
    seconds = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    withdrawal = Withdrawal.objects.filter(consent_record=record).get()
    assert withdrawal.status == "done"
    entries = AuditEntry.objects.filter(withdrawal=withdrawal, action__startswith="step")
    steps = {entry.action.removeprefix("step: "): round(entry.seconds, 4) for entry in entries}
    return seconds, steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    timings, last_steps = [], {}
    for number in range(1, max(args.runs, 1) + 1):
        record, code = build_story(number)
        seconds, last_steps = withdraw_once(record, code)
        timings.append(seconds)
        print(f"run {number}: {seconds * 1000:.0f} ms")
    result = {
        "runs": len(timings),
        "median_seconds": round(statistics.median(timings), 3),
        "max_seconds": round(max(timings), 3),
        "target_seconds": TARGET_SECONDS,
        "steps_of_last_run_seconds": last_steps,
        "passed": max(timings) < TARGET_SECONDS,
    }
    (WORK.parent / "withdrawal.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
