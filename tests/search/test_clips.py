"""Trainer clip search: passages allowed for training only. The basket moved to reuse
(issue 12): `/search/clips/` redirects to the trainers' clips page."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from search import clips as clip_search

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


def test_trainers_find_only_passages_allowed_for_training(trainer, clips):
    assert [p.pk for p in clip_search.search("station officer", trainer)] == [clips["kept"].pk]


def test_people_who_are_not_trainers_find_nothing(django_user_model, clips):
    visitor = django_user_model.objects.create_user("visitor", password="x")
    assert not clip_search.may_clip(visitor)
    assert clip_search.search("station officer", visitor) == []


def test_the_old_address_redirects_to_the_trainers_clips(client):
    response = client.get(reverse("search:clips"), {"q": "station"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reuse:clips") + "?q=station"
