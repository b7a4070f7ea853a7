"""Trainer clip search: passages allowed for training only, and a basket that keeps choices."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def trainer(django_user_model):
    user = django_user_model.objects.create_user("trainer", password="x")
    user.user_permissions.add(Permission.objects.get(codename="clip_for_training"))
    return user


@pytest.fixture
def clips(refresh):
    training = consented_story("Stopped at the station", uses=("public_website", "training"))
    public_only = consented_story("Public only", uses=("public_website",))
    kept = add_passage(training, "The officer stopped me at the station barrier.", start=60, end=90)
    hidden = add_passage(public_only, "The officer stopped me outside the station too.")
    refresh()
    return {"kept": kept, "hidden": hidden}


def test_trainers_find_only_passages_allowed_for_training(client, trainer, clips):
    client.force_login(trainer)
    response = client.get(reverse("search:clips"), {"q": "station officer"})
    assert response.status_code == 200
    assert [p.pk for p in response.context["results"]] == [clips["kept"].pk]


def test_people_who_are_not_trainers_cannot_search_clips(client, django_user_model, clips):
    assert client.get(reverse("search:clips")).status_code == 302  # to sign in
    client.force_login(django_user_model.objects.create_user("visitor", password="x"))
    assert client.get(reverse("search:clips")).status_code == 403


def test_the_basket_keeps_clips_and_widens_and_narrows_them(client, trainer, clips):
    client.force_login(trainer)
    pk = clips["kept"].pk
    for action in ("add", "widen", "widen", "narrow"):
        response = client.post(reverse("search:clip_basket", args=[pk, action]), {"q": "station"})
        assert response.status_code == 302
    basket = client.get(reverse("search:clips")).context["basket"]
    assert [(item["passage"], item["start"], item["end"]) for item in basket] == [(pk, 55.0, 95.0)]


def test_a_passage_not_allowed_for_training_cannot_enter_the_basket(client, trainer, clips):
    client.force_login(trainer)
    response = client.post(reverse("search:clip_basket", args=[clips["hidden"].pk, "add"]))
    assert response.status_code == 404
    assert client.get(reverse("search:clips")).context["basket"] == []
