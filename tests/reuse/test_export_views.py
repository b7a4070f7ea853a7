"""Asking for an export, watching it, and downloading it (reuse.views.exports): one export
per reel and option however often the button is pressed, clips no longer allowed left out
and counted, only the reel's trainers let in, every download audited and refused once a
storyteller's consent no longer covers a clip."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from consent.models import ConsentRecord, ConsentStatus
from reuse.models import Download, DownloadKind, JobStatus, ReelExport
from tests.factories import make_recording
from tests.reuse.conftest import make_transcribed_story

pytestmark = pytest.mark.django_db


def trainer(name):
    user = get_user_model().objects.create_user(name, password="pw")
    user.groups.add(Group.objects.get(name="Trainers"))
    return user


@pytest.fixture
def reel(media_root, export_trainer):
    from reuse.models import Clip, Reel, ReelItem

    reel = Reel.objects.create(owner=export_trainer, title="Session one")
    for position in range(2):
        # No web version is made: asking and downloading never open the media.
        recording = make_recording("audio", seconds=3, ready=False)
        story = make_transcribed_story(recording=recording, seconds=3)
        recording = story.story_recordings.first().recording
        clip = Clip.objects.create(
            owner=export_trainer, story=story, recording=recording, start=0.5, end=2.0
        )
        ReelItem.objects.create(reel=reel, position=position, kind="clip", clip=clip)
    return reel


def finished(reel):
    """A finished export of the reel, its files written as the task would leave them."""
    export = ReelExport.objects.create(reel=reel, requested_by=reel.owner, status=JobStatus.DONE)
    clips = [item.clip for item in reel.items.all()]
    export.video.save("reel.mp4", ContentFile(b"not really a film"), save=False)
    export.captions.save("reel.vtt", ContentFile(b"WEBVTT\n"), save=False)
    export.pack.save("pack.zip", ContentFile(b"PK"), save=False)
    export.story_ids = sorted(clip.story_id for clip in clips)
    export.manifest = {"clips": [{"clip_id": clip.pk} for clip in clips], "left_out": 0}
    export.save()
    return export


def test_pressing_export_twice_makes_one_export_and_its_page_refreshes_while_queued(
    client, reel, export_trainer
):
    client.force_login(export_trainer)
    url = reverse("reuse:export_reel", args=[reel.pk])
    reel_page = client.get(reverse("reuse:reel", args=[reel.pk])).content.decode()
    assert f'href="{url}"' in reel_page  # the reel's page leads to its export
    form = client.get(url).content.decode()
    assert "2 clips will be included" in form

    first = client.post(url, {"burn_captions": "on"})
    second = client.post(url, {"burn_captions": "on"})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    export = ReelExport.objects.get()
    assert export.burn_captions and export.status == JobStatus.QUEUED
    page = client.get(first["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and 'aria-live="polite"' in page
    assert "Queued" in page and "0% done" in page
    client.post(url, {})  # without burned-in captions: another export
    assert ReelExport.objects.count() == 2


def test_a_clip_no_longer_allowed_is_left_out_and_the_trainer_told(client, reel, export_trainer):
    clip = reel.items.first().clip
    ConsentRecord.objects.filter(story=clip.story).update(use_training=False)
    client.force_login(export_trainer)
    url = reverse("reuse:export_reel", args=[reel.pk])
    assert "1 clip will be left out" in client.get(url).content.decode()

    page = client.get(client.post(url, {"burn_captions": "on"})["Location"]).content.decode()

    assert "1 clip was left out" in page


def test_only_the_reels_trainers_may_export_or_download(client, reel):
    export = finished(reel)
    stranger, colleague = trainer("stranger"), trainer("colleague")
    reel.shared_with.add(colleague)
    urls = [
        reverse("reuse:export_reel", args=[reel.pk]),
        reverse("reuse:export", args=[export.pk]),
        reverse("reuse:export_download", args=[export.pk, "pack"]),
    ]
    client.force_login(stranger)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(colleague)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the sign-in page


def test_each_download_is_audited_and_refused_once_consent_no_longer_covers_a_clip(
    client, reel, export_trainer
):
    export = finished(reel)
    client.force_login(export_trainer)
    page = client.get(reverse("reuse:export", args=[export.pk])).content.decode()
    assert "The training pack" in page

    response = client.get(reverse("reuse:export_download", args=[export.pk, "pack"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="training-pack.zip"'
    assert b"".join(response.streaming_content) == b"PK"
    download = Download.objects.get()
    assert download.kind == DownloadKind.TRAINING_PACK
    assert download.user == export_trainer and download.reel_id_value == reel.pk
    assert sorted(download.stories.values_list("story_id_value", flat=True)) == export.story_ids

    story = reel.items.first().clip.story
    ConsentRecord.objects.filter(story=story).update(status=ConsentStatus.WITHDRAWN)
    refused = client.get(reverse("reuse:export_download", args=[export.pk, "video"]))

    assert refused.status_code == 409
    assert "Export the reel again" in refused.content.decode()
    assert Download.objects.count() == 1
    page = client.get(reverse("reuse:export", args=[export.pk])).content.decode()
    assert "The reel has changed" in page and "training-pack" not in page
