"""Share links: participants need no account; every play asks the gate again as the
trainer who made the link; an expired or revoked link says so and serves no media."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.withdrawal import withdraw
from reuse import clipping, clips, reels, sharing
from reuse.models import ShareLink

from .conftest import make_transcribed_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def shared(trainer, media_root):
    story = make_transcribed_story(kind="audio", seconds=3)
    clip = clips.make_clip(trainer, story, 0.5, 1.9)
    clipping.cut(clip)
    reel = reels.create_reel(trainer, "Session for the council")
    reels.add_clip(reel, clip, trainer, note="Trainer's own note")
    reels.add_slide(reel, "What would you have done?")
    link = sharing.create_link(reel, trainer, 24, "Tuesday")
    return {"story": story, "clip": clip, "reel": reel, "link": link}


def media_url(link, clip, what="share_media"):
    return reverse(f"reuse:{what}", args=[link.token, clip.pk])


def test_participants_without_an_account_see_the_presenter_and_play_with_range(client, shared):
    link, clip = shared["link"], shared["clip"]
    page = client.get(reverse("reuse:share", args=[link.token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "What would you have done?" in html and media_url(link, clip) in html
    assert "Trainer's own note" not in html  # notes are for the trainer
    media = client.get(media_url(link, clip), HTTP_RANGE="bytes=0-99")
    assert media.status_code == 206 and media["Content-Range"].startswith("bytes 0-99/")
    captions = client.get(media_url(link, clip, "share_captions"))
    assert b"".join(captions.streaming_content).startswith(b"WEBVTT")


def test_an_expired_link_and_a_revoked_one_say_so_and_serve_no_media(client, trainer, shared):
    link, clip, reel = shared["link"], shared["clip"], shared["reel"]
    revoked = sharing.create_link(reel, trainer, 1, "Revoked")
    client.force_login(trainer)
    reel_page = client.get(reverse("reuse:reel", args=[reel.pk])).content.decode()
    assert reverse("reuse:share", args=[revoked.token]) in reel_page  # listed on the reel
    client.post(reverse("reuse:reel", args=[reel.pk]), {"action": "revoke", "link": revoked.pk})
    client.logout()
    page = client.get(reverse("reuse:share", args=[revoked.token]))
    assert page.status_code == 410 and "revoked" in page.content.decode()
    assert client.get(media_url(revoked, clip)).status_code == 410

    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = client.get(reverse("reuse:share", args=[link.token]))
    assert page.status_code == 410 and "expired" in page.content.decode()
    assert client.get(media_url(link, clip)).status_code == 410
    assert client.get(media_url(link, clip, "share_captions")).status_code == 410


def test_every_play_asks_the_gate_again_as_the_trainer_who_made_the_link(client, shared):
    link, clip, story = shared["link"], shared["clip"], shared["story"]
    assert client.get(media_url(link, clip)).status_code == 200
    withdraw(story.consent, "uses", uses=["training"])
    assert client.get(media_url(link, clip)).status_code == 404
    page = client.get(reverse("reuse:share", args=[link.token])).content.decode()
    assert media_url(link, clip) not in page and "What would you have done?" in page
    # A trainer who lost the role takes every link they made with them.
    link.created_by.groups.clear()
    assert client.get(reverse("reuse:share", args=[link.token])).status_code == 410


def test_links_expire_only_at_a_chosen_time_and_only_owners_make_them(client, trainer):
    reel = reels.create_reel(trainer, "No clips yet")
    client.force_login(trainer)
    response = client.post(reverse("reuse:reel", args=[reel.pk]), {"action": "link", "hours": "5"})
    assert response.status_code == 400 and "how long" in response.content.decode()
    client.post(reverse("reuse:reel", args=[reel.pk]), {"action": "link", "hours": "1"})
    newest = reel.share_links.first()
    assert timedelta(minutes=59) < newest.expires_at - timezone.now() <= timedelta(hours=1)
    assert client.get(reverse("reuse:share", args=["no-such-token"])).status_code == 404
