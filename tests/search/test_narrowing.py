"""A narrowed consent removes exactly the narrowed uses and keeps every other (issue 10,
point 5): stopping the public website keeps the story's passages for trainers, and stopping
training keeps them for the public, on each search backend."""

import pytest
from django.contrib.auth.models import Permission

from consent import gate
from consent.withdrawal import withdraw
from search import clips as clip_search
from search import services as public_search

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db

WORDS = "The conductor checked only my ticket on the ferry."


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def trainer(django_user_model):
    user = django_user_model.objects.create_user("trainer", password="x")
    user.user_permissions.add(Permission.objects.get(codename="clip_for_training"))
    return user


@pytest.fixture
def report_writer(django_user_model):
    user = django_user_model.objects.create_user("writer", password="x")
    user.user_permissions.add(Permission.objects.get(codename="quote_in_reports"))
    return user


@pytest.fixture
def story(refresh):
    story = consented_story("On the ferry", uses=("public_website", "training", "reports"))
    passage = add_passage(story, WORDS)
    refresh()
    return story, passage


def clip_results(client, trainer):
    return [p.pk for p in clip_search.search("conductor ferry", trainer)]


def public_results():
    return [hit.story_id for hit in public_search.search({"q": "conductor ferry"}).page.object_list]


def narrow(story, *uses, refresh):
    withdraw(story.consent, "uses", uses=list(uses))
    refresh()
    return type(story).objects.get(pk=story.pk)


def test_both_find_the_story_before_any_narrowing(client, trainer, story):
    story, passage = story
    assert clip_results(client, trainer) == [passage.pk]
    assert public_results() == [story.pk]


def test_stopping_the_website_keeps_the_passages_for_trainers(
    client, trainer, report_writer, story, refresh
):
    story, passage = story
    story = narrow(story, "public_website", refresh=refresh)
    assert clip_results(client, trainer) == [passage.pk]  # trainers still find it
    assert public_results() == []  # the public does not
    assert client.get(story.url).status_code == 404  # nor its page
    assert gate.may(gate.Use.QUOTE, story, report_writer)  # reports continue
    assert gate.may(gate.Use.PLAY, story, trainer)  # a trainer's clip preview still plays
    assert not gate.may(gate.Use.PLAY, story, None)


def test_stopping_training_keeps_the_passages_for_the_public(client, trainer, story, refresh):
    story, passage = story
    story = narrow(story, "training", refresh=refresh)
    assert clip_results(client, trainer) == []
    assert public_results() == [story.pk]
    assert client.get(story.url).status_code == 200


def test_stopping_every_use_takes_the_passages_out_of_every_index(client, trainer, story, refresh):
    from wagtail.search.backends import get_search_backend

    from search.models import Passage

    story, passage = story
    # Reports keep a passage indexed for the quote finder (issue 12), so all three stop here.
    narrow(story, "public_website", "training", "reports", refresh=refresh)
    assert clip_results(client, trainer) == [] and public_results() == []
    found = get_search_backend().search("conductor", Passage.objects.all(), operator="or")
    assert [p.pk for p in found] == []
