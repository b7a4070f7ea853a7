"""Reels: the owner orders clips and slides (move, drag order), shares with other trainers
(who view and present, never edit), sees consent changes until acknowledged; a clip the gate
no longer allows is never shown."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from archive.models import Recording
from consent.withdrawal import withdraw
from reuse import reels
from reuse.models import Clip, Reel, ReelItemKind
from tests.factories import make_story

from .conftest import make_trainer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def paper_clip(owner, title, story=None):
    """A clip row without media (reels order rows; cutting is tested elsewhere)."""
    story = story or make_story(title=f"Story of {title}")
    recording = Recording.objects.create(title=title, type="audio", file="none.m4a")
    return Clip.objects.create(
        owner=owner, story=story, recording=recording, start=0, end=2, title=title
    )


@pytest.fixture
def reel(trainer):
    reel = reels.create_reel(trainer, "Induction, week 1")
    for title in ("First", "Second"):
        reels.add_clip(reel, paper_clip(trainer, title), trainer, note=f"About {title}")
    reels.add_slide(reel, "What did you notice?")
    return reel


def labels(reel, user):
    return [s.item.text if s.is_slide else s.clip.title for s in reels.shown_items(reel, user)]


def post(client, reel, **data):
    return client.post(reverse("reuse:reel", args=[reel.pk]), data)


def test_the_owner_orders_clips_and_slides_with_buttons_and_by_drag_order(client, trainer, reel):
    client.force_login(trainer)
    items = list(reel.items.values_list("pk", flat=True))
    assert post(client, reel, action="up", item=items[2]).status_code == 302
    assert labels(reel, trainer) == ["First", "What did you notice?", "Second"]
    response = client.post(
        reverse("reuse:reel", args=[reel.pk]),
        {"action": "reorder", "order": f"{items[1]},{items[0]}"},
        HTTP_ACCEPT="application/json",
    )
    assert response.json() == {"ok": True}
    assert labels(reel, trainer) == ["Second", "First", "What did you notice?"]
    post(client, reel, action="add_slide", text="  Who was missing?  ")
    post(client, reel, action="remove", item=items[0])
    assert labels(reel, trainer) == ["Second", "What did you notice?", "Who was missing?"]
    page = client.get(reverse("reuse:reel", args=[reel.pk])).content.decode()
    assert "Move up" in page and "About Second" in page


def test_an_empty_slide_is_refused_in_plain_words(client, trainer, reel):
    client.force_login(trainer)
    response = post(client, reel, action="add_slide", text="  ")
    assert response.status_code == 400
    assert "Write the slide" in response.content.decode()


def test_a_clip_whose_training_consent_is_withdrawn_is_never_shown(client, trainer, reel):
    story = reel.items.get(position=0).clip.story
    withdraw(story.consent, "uses", uses=["training"])
    assert labels(reel, trainer) == ["Second", "What did you notice?"]
    client.force_login(trainer)
    page = client.get(reverse("reuse:reel", args=[reel.pk])).content.decode()
    assert "First" not in page
    assert (
        client.get(reverse("reuse:presenter", args=[reel.pk]))
        .content.decode()
        .count("presenter__item")
        >= 2
    )
    assert "First" not in client.get(reverse("reuse:presenter", args=[reel.pk])).content.decode()


def test_sharing_with_another_trainer_who_views_and_presents_but_does_not_edit(
    client, trainer, reel
):
    colleague = make_trainer("colleague")
    visitor = get_user_model().objects.create_user("visitor")
    client.force_login(trainer)
    assert post(client, reel, action="share", user=visitor.pk).status_code == 400  # not a trainer
    post(client, reel, action="share", user=colleague.pk)
    assert list(reel.shared_with.all()) == [colleague]

    client.force_login(colleague)
    page = client.get(reverse("reuse:reel", args=[reel.pk]))
    assert page.status_code == 200 and "only its owner can change it" in page.content.decode()
    assert client.get(reverse("reuse:presenter", args=[reel.pk])).status_code == 200
    assert post(client, reel, action="add_slide", text="Mine").status_code == 403
    assert reel in client.get(reverse("reuse:reels")).context["reels"]

    client.force_login(trainer)
    post(client, reel, action="unshare", user=colleague.pk)
    client.force_login(colleague)
    assert client.get(reverse("reuse:reel", args=[reel.pk])).status_code == 404


def test_a_trainer_cannot_add_someone_elses_clip(client, trainer, reel):
    other = make_trainer("other")
    theirs = paper_clip(other, "Theirs")
    client.force_login(trainer)
    assert post(client, reel, action="add_clip", clip=theirs.pk).status_code == 400
    assert not reel.items.filter(clip=theirs).exists()


def test_a_consent_change_shows_to_the_owner_until_acknowledged(client, trainer, reel):
    Reel.objects.filter(pk=reel.pk).update(
        changed_by_consent_at=timezone.now(), consent_change_note="1 clip was taken out."
    )
    client.force_login(trainer)
    assert (
        "1 clip was taken out."
        in client.get(reverse("reuse:reel", args=[reel.pk])).content.decode()
    )
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Your reels" in dashboard and "1 clip was taken out." in dashboard
    post(client, reel, action="acknowledge")
    assert (
        "1 clip was taken out."
        not in client.get(reverse("reuse:reel", args=[reel.pk])).content.decode()
    )


def test_trainers_find_their_pages_in_the_admin_menu(client, trainer):
    client.force_login(trainer)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("reuse:clips") in dashboard and reverse("reuse:reels") in dashboard
    assert "Find clips" in dashboard and "Reels" in dashboard


def test_a_new_reel_needs_a_title(client, trainer):
    client.force_login(trainer)
    assert client.post(reverse("reuse:reels"), {"title": " "}).status_code == 400
    response = client.post(reverse("reuse:reels"), {"title": "Session 2"})
    reel = Reel.objects.get(title="Session 2")
    assert response["Location"] == reverse("reuse:reel", args=[reel.pk])
    assert reel.items.filter(kind=ReelItemKind.CLIP).count() == 0
