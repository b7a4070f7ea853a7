"""Trainers' clips: the clip maker asks the gate when shown and when a clip is made, the
clip keeps what consent allowed, "My clips" asks the gate on every read, and the old
address and the sign-in page work."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from consent.withdrawal import withdraw
from reuse import clipping, clips
from reuse.models import Clip, JobStatus
from tests.factories import make_story

from .conftest import make_trainer, make_transcribed_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def transcribed_story(media_root):
    """Audio is enough here, and cheaper: words w0..w6, one every half second."""
    return make_transcribed_story(kind="audio", seconds=4)


def make_clip_by_post(client, story, **data):
    return client.post(reverse("reuse:clip_maker", args=[story.pk]), data)


def test_the_clip_maker_shows_every_public_word_with_its_times(client, trainer, transcribed_story):
    client.force_login(trainer)
    response = client.get(reverse("reuse:clip_maker", args=[transcribed_story.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="word-2" data-index="2" data-start="1.000" data-end="1.400">w2</span>' in html
    assert reverse("reuse:story_media", args=[transcribed_story.pk]) in html
    # The player's file comes through a gated view, with Range support.
    media = client.get(
        reverse("reuse:story_media", args=[transcribed_story.pk]), HTTP_RANGE="bytes=0-99"
    )
    assert media.status_code == 206
    vtt = client.get(reverse("reuse:story_captions", args=[transcribed_story.pk]))
    assert vtt.content.decode().startswith("WEBVTT")


def test_a_clip_made_from_chosen_words_keeps_its_consent_basis_and_is_cut(
    client, trainer, transcribed_story, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = make_clip_by_post(client, transcribed_story, first=2, last=6)
    assert response.status_code == 302
    clip = Clip.objects.get()
    record = transcribed_story.consent
    assert (clip.owner, clip.story, clip.start, clip.end) == (trainer, transcribed_story, 1.0, 3.4)
    assert clip.excerpt == "w2 w3 w4 w5 w6"
    basis = clip.consent_basis
    assert basis["consent_record_id"] == record.pk
    assert basis["form_version"] == record.form_version.version
    assert "training" in basis["uses"] and basis["media_mode"] == record.media_mode
    assert "checked_at" in basis and "expires_on" in basis
    assert clip.status == JobStatus.DONE and clip.file.name.endswith(".m4a")
    page = client.get(reverse("reuse:clips"))
    assert [c.pk for c in page.context["my_clips"]] == [clip.pk]
    assert "w2 w3 w4 w5 w6" in page.content.decode()


def test_times_from_the_page_win_stay_inside_the_recording_and_are_not_too_short(
    client, trainer, transcribed_story
):
    client.force_login(trainer)
    make_clip_by_post(client, transcribed_story, start="0.5", end="99", first=0, last=0)
    clip = Clip.objects.get()
    assert clip.start == 0.5 and clip.end <= 4.1
    # Too short: refused in plain words, nothing saved.
    response = make_clip_by_post(client, transcribed_story, start="1.0", end="1.1")
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert Clip.objects.count() == 1


def test_the_gate_is_asked_when_shown_and_when_made(client, trainer, transcribed_story):
    client.force_login(trainer)
    url = reverse("reuse:clip_maker", args=[transcribed_story.pk])
    assert client.get(url).status_code == 200
    withdraw(transcribed_story.consent, "uses", uses=["training"])
    assert client.get(url).status_code == 404
    assert make_clip_by_post(client, transcribed_story, first=0, last=3).status_code == 404
    assert client.get(reverse("reuse:story_media", args=[transcribed_story.pk])).status_code == 404
    assert not Clip.objects.exists()


def test_a_story_without_training_consent_cannot_be_clipped(client, trainer):
    story = make_story(consent={"uses": ("public_website",)})
    client.force_login(trainer)
    response = client.get(reverse("reuse:clip_maker", args=[story.pk]))
    assert response.status_code == 404
    assert "cannot be clipped" in response.content.decode()


def test_my_clips_are_mine_and_a_narrowed_consent_takes_them_out_with_their_media(
    client, trainer, transcribed_story
):
    clip = clips.make_clip(trainer, transcribed_story, 1.0, 3.4)
    clipping.cut(clip)
    client.force_login(trainer)
    media = reverse("reuse:clip_media", args=[clip.pk, "media"])
    assert client.get(media).status_code == 200
    client.force_login(make_trainer("other-trainer"))  # another trainer's clip: not theirs
    assert list(client.get(reverse("reuse:clips")).context["my_clips"]) == []
    assert client.get(media).status_code == 404
    client.force_login(trainer)
    withdraw(transcribed_story.consent, "uses", uses=["training"])
    assert list(client.get(reverse("reuse:clips")).context["my_clips"]) == []
    assert client.get(media).status_code == 404


def test_only_trainers_reach_the_clips_pages(client):
    visitor = get_user_model().objects.create_user("visitor", password="x")
    client.force_login(visitor)
    assert client.get(reverse("reuse:clips")).status_code == 403
    assert client.get(reverse("reuse:clip_maker", args=[1])).status_code == 403
    assert client.get(reverse("reuse:reels")).status_code == 403


def test_signed_out_the_old_address_reaches_a_working_sign_in_page_and_comes_back(client, trainer):
    response = client.get("/search/clips/", follow=True)
    sign_in = response.redirect_chain[-1][0]
    assert response.status_code == 200
    assert reverse("wagtailadmin_login") in sign_in
    assert 'name="password"' in response.content.decode()
    next_url = response.context["next"]
    signed_in = client.post(
        sign_in,
        {"username": "trainer", "password": "trainer-password", "next": next_url},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == reverse("reuse:clips")
    assert signed_in.status_code == 200
    assert "Find clips for training" in signed_in.content.decode()
