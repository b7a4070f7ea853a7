"""Helpers for consent tests: people in each role, stories in each consent state, and
real uploads (ffmpeg-made files) posted through the portal."""

import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import StoryPage
from consent.models import ConsentRecord
from tests.factories import make_media_file, make_recording, make_story

ROLES = ["anonymous", "contributor", "trainer", "report writer", "editor"]
STATES = ["given", "narrowed", "expired", "withdrawn"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in their own cache; each test starts with none.
    from django.core.cache import caches

    for each in (cache, caches["ratelimit"]):
        each.clear()
    yield
    for each in (cache, caches["ratelimit"]):
        each.clear()


def make_user(django_user_model, role):
    if role == "anonymous":  # the public: not signed in
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    user = django_user_model.objects.create_user(
        username=role.replace(" ", "-") + uuid.uuid4().hex[:6],
        password="pw",
        email=f"{role[:4]}@example.org",
    )
    groups = {"trainer": "Trainers", "report writer": "Report writers", "editor": "Editors"}
    group = groups.get(role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def story_in_state(state, *, contributor_user=None, recording=None, title=None):
    """A live story whose consent is in `state`: given (every use, voice and face),
    narrowed (training only, transcript only), expired, or withdrawn."""
    from consent.models import ConsentRecord, ConsentStatus

    story = make_story(title=title, recording=recording)
    record = ConsentRecord.objects.get(story=story)
    if contributor_user is not None:
        record.contributor.user = contributor_user
        record.contributor.save()
    if state == "narrowed":
        record.use_public_website = record.use_reports = False
        record.media_mode = "transcript-only"
        record.save()
    elif state == "expired":
        record.expires_on = date.today() - timedelta(days=1)
        record.save()
    elif state == "withdrawn":
        # Only the consent record changes, as in the first moment of a withdrawal,
        # so the test sees what the gate does before the clean-up steps finish.
        record.status = ConsentStatus.WITHDRAWN
        record.save()
    return type(story).objects.get(pk=story.pk)  # as a request would load it


def upload(kind="audio", name=None, suffix=None):
    path = make_media_file(kind, suffix=suffix)
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def contribution_data(**overrides):
    from archive.models import Borough

    data = {
        "token": str(uuid.uuid4()),
        "title": "A remark at the bus stop",
        "summary": "Someone shouted at me while I waited for the bus.",
        "borough": Borough.objects.get(slug="wirral").pk,
        "language": "en",
        "naming": "first",
        "full_name": "Ada Example",
        "email": "ada@example.org",
        "uses": ["public_website", "training"],
        "media_mode": "voice-and-face",
        "agree": "on",
    }
    data.update(overrides)
    return data


__all__ = ["ROLES", "STATES", "make_recording", "make_user", "story_in_state", "upload"]


@pytest.fixture
def contributed(client, media_root, ffmpeg):
    """A story sent through the portal with two recordings, then published by an editor."""
    data = contribution_data()
    data["recordings"] = [upload("audio"), upload("video")]
    client.post("/contribute/", data)
    html = client.get(reverse("archive:contribute_thanks")).content.decode()
    code = html.split('data-testid="withdrawal-code">')[1].split("<")[0]
    story = StoryPage.objects.get(title=data["title"])
    story.save_revision().publish()
    mail.outbox.clear()
    return {
        "story": StoryPage.objects.get(pk=story.pk),
        "code": code,
        "record": ConsentRecord.objects.get(story=story),
    }


def withdraw_url(record):
    return reverse("consent:withdraw", args=[record.reference])
