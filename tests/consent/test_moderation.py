"""Editors: the groups and what each may do, the workflow (consent check, then editorial
review), the consent panel, paper consent, and no publishing beyond the consent given."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from archive.models import StoryPage, Theme
from consent.models import ConsentCheckTask, ConsentRecord
from tests.factories import make_story

from .conftest import make_user

pytestmark = pytest.mark.django_db


def edit_data(story, **extra):
    data = {
        "title": story.title,
        "slug": story.slug,
        "kind": story.kind,
        "summary": story.summary,
        "borough": story.borough_id,
        "language": story.language,
        "recorded_on": "2026-01-01",
        "story_recordings": inline_formset([]),
        "comments": inline_formset([]),
    }
    themes = extra.pop("themes", [Theme.objects.get(slug="fear").pk])  # publishing asks for one
    data.update(extra)
    return {**nested_form_data(data), "themes": themes}


def publish(client, story):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]),
        edit_data(story, **{"action-publish": "action-publish"}),
        follow=True,
    )


def test_the_four_groups_have_what_their_role_needs():
    perms = {
        group.name: {p.codename for p in group.permissions.all()}
        for group in Group.objects.filter(
            name__in=["Editors", "Moderators", "Trainers", "Report writers"]
        )
    }
    assert set(perms) == {"Editors", "Moderators", "Trainers", "Report writers"}
    assert {"moderate_stories", "withdraw_on_behalf", "add_consentrecord"} <= perms["Editors"]
    assert {"moderate_stories", "withdraw_on_behalf"} <= perms["Moderators"]
    assert "clip_for_training" in perms["Trainers"] and "moderate_stories" not in perms["Trainers"]
    assert "quote_in_reports" in perms["Report writers"]
    assert "clip_for_training" not in perms["Report writers"]


def test_editors_publish_a_story_with_consent(client, django_user_model):
    client.force_login(make_user(django_user_model, "editor"))
    story = make_story(live=False)
    response = publish(client, story)
    assert response.status_code == 200
    assert StoryPage.objects.get(pk=story.pk).live


@pytest.mark.parametrize("consent", [False, {"uses": ["archive_only"]}])
def test_editors_cannot_publish_beyond_consent(client, django_user_model, consent):
    client.force_login(make_user(django_user_model, "editor"))
    story = make_story(live=False, consent=consent)
    response = publish(client, story)
    assert "This story cannot be published" in response.content.decode()
    assert not StoryPage.objects.get(pk=story.pk).live


def test_the_consent_panel_shows_what_was_agreed(client, django_user_model):
    client.force_login(make_user(django_user_model, "editor"))
    story = make_story(consent={"uses": ["training"], "media_mode": "transcript-only"})
    html = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    assert "Agreed uses" in html and "training" in html
    assert "Only show the words (a transcript), never my voice or face" in html
    bare = make_story(consent=False)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[bare.pk])).content.decode()
    assert "No consent has been recorded for this story, so it cannot be published." in html


def test_the_consent_check_cannot_approve_archive_only_stories(django_user_model):
    moderator = make_user(django_user_model, "editor")
    task = ConsentCheckTask.objects.get(name="Consent check")
    allowed = make_story(live=False)
    archive_only = make_story(live=False, consent={"uses": ["archive_only"]})
    assert "approve" in [action[0] for action in task.get_actions(allowed, moderator)]
    assert "approve" not in [action[0] for action in task.get_actions(archive_only, moderator)]
    assert "reject" in [action[0] for action in task.get_actions(archive_only, moderator)]


def test_admin_listings_for_non_moderators_go_through_the_gate(client, django_user_model):
    """Someone with page access who does not moderate stories (say a volunteer writing
    pages) sees in the admin only the stories the gate lets them use."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, Page

    volunteers = Group.objects.create(name="Volunteers")
    volunteers.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=volunteers,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="change_page"),
    )
    user = make_user(django_user_model, "anonymous-volunteer")
    user.groups.add(volunteers)
    client.force_login(user)
    usable = make_story(title="Usable story")
    make_story(title="Still a draft", live=False)
    make_story(title="Archive only story", consent={"uses": ["archive_only"]})
    listing = reverse("wagtailadmin_explore", args=[usable.get_parent().pk])
    html = client.get(listing).content.decode()
    assert "Usable story" in html
    assert "Still a draft" not in html and "Archive only story" not in html


def test_paper_consent_with_a_private_scanned_form(client, django_user_model):
    story = make_story(consent=False, live=False)
    editor = make_user(django_user_model, "editor")
    client.force_login(editor)
    scan = SimpleUploadedFile("Ada Example consent.pdf", b"%PDF-1.4 scanned form")
    response = client.post(
        reverse("consent_admin:paper"),
        {
            "story": story.pk,
            "channel": "paper",
            "scanned_form": scan,
            "naming": "anonymous",
            "uses": ["public_website"],
            "media_mode": "transcript-only",
        },
    )
    assert response.status_code == 200
    assert 'data-testid="withdrawal-code"' in response.content.decode()
    record = ConsentRecord.objects.get(story=story)
    assert record.channel == "paper" and record.taken_by == editor
    assert "Ada" not in record.scanned_form.name  # a random name on disk
    url = reverse("consent_admin:scanned_form", args=[record.pk])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code in (302, 403)  # never public


def test_the_consent_register_lists_records_for_editors_only(client, django_user_model):
    story = make_story(title="A story on the register")
    client.force_login(make_user(django_user_model, "editor"))
    html = client.get(reverse("consent_admin:register")).content.decode()
    assert "A story on the register" in html and "public website, training, reports" in html
    assert client.get(reverse("consent_admin:paper")).status_code == 200
    client.force_login(make_user(django_user_model, "trainer"))
    response = client.get(reverse("consent_admin:register"))
    assert response.status_code in (302, 403) and story.title not in response.content.decode()


def test_editorial_review_re_checks_consent_before_its_approval_publishes(django_user_model):
    """Consent can lapse between the consent check and editorial review; approving the
    review publishes the story, so it is offered only while consent still allows it."""
    import datetime

    from django.utils import timezone

    editor = make_user(django_user_model, "editor")
    review = ConsentCheckTask.objects.get(name="Editorial review")
    story = make_story(live=False)
    assert "approve" in [action[0] for action in review.get_actions(story, editor)]
    record = story.consent
    record.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    record.save()
    story = type(story).objects.get(pk=story.pk)
    assert "approve" not in [action[0] for action in review.get_actions(story, editor)]
