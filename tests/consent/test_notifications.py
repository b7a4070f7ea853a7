"""Notifications to editors name a story by a neutral reference and a link, never by its
title, and a contributed story's address carries no title words (issue 10, point 4): mail
and web-server logs are out of a withdrawal's reach."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail

from archive.models import StoryPage
from consent import expiry

from .conftest import contribution_data, make_user, upload

pytestmark = pytest.mark.django_db

TITLE = "Quokka marmalade lighthouse"
TITLE_WORDS = [word.lower() for word in TITLE.split()]


def words_of(message):
    parts = [message.subject, message.body]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    return " ".join(parts).lower()


def assert_neutral(message, story_id):
    text = words_of(message)
    for word in TITLE_WORDS:
        assert word not in text, f"{word!r} in {message.subject!r}"
    assert f"story {story_id}" in text
    assert f"/admin/pages/{story_id}/edit/" in message.body


def contribute(client, **overrides):
    data = contribution_data(title=TITLE, **overrides)
    data["recordings"] = [upload("audio")]
    assert client.post("/contribute/", data).status_code == 302
    return StoryPage.objects.get(title=TITLE)


def test_a_contributed_storys_slug_has_no_title_words(client, media_root, ffmpeg):
    story = contribute(client)
    assert re.fullmatch(r"story-[0-9a-f]{10}", story.slug)
    for word in TITLE_WORDS:
        assert word not in story.slug and word not in story.url_path


def test_moderation_emails_name_the_story_by_reference(
    client, media_root, ffmpeg, django_user_model
):
    moderator = make_user(django_user_model, "editor")
    story = contribute(client)
    to_editors = [m for m in mail.outbox if moderator.email in m.to]
    assert to_editors, "the moderators were told about the new story"
    for message in to_editors:
        assert_neutral(message, story.pk)

    # Approving and rejecting in the workflow notify whoever sent it in: neutral as well.
    requester = make_user(django_user_model, "editor")
    story.current_workflow_state.cancel(user=moderator)
    story.save_revision(user=requester)
    story.get_workflow().start(story, requester)
    mail.outbox.clear()
    task_state = story.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    task_state = story.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject")
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        assert_neutral(message, story.pk)


def test_the_expiry_notice_names_stories_by_reference(django_user_model):
    from tests.factories import make_story

    make_user(django_user_model, "editor")
    story = make_story(title=TITLE)
    story.consent.expires_on = date.today() + timedelta(days=5)
    story.consent.save()
    expiry.lapse_expired_consent()
    [message] = mail.outbox
    assert_neutral(message, story.pk)
