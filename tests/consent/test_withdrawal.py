"""Withdrawal by link and code, or by an editor: in full or in part, confirmed on screen
and by email, each step in the audit trail, and nothing of the story left behind."""

import pytest
from django.core import mail
from django.urls import reverse

from archive.models import CollectionItem, CollectionPage, HomePage, Recording, StoryPage
from consent import gate
from consent.models import AuditEntry, Tombstone, Withdrawal
from consent.withdrawal import registered_steps, retry_failed_withdrawals, withdraw

from .conftest import make_user, withdraw_url

pytestmark = pytest.mark.django_db


def test_published_contribution_is_public_before_withdrawal(client, contributed):
    assert client.get(contributed["story"].url).status_code == 200


def test_full_withdrawal_by_link_and_code(client, contributed, media_root):
    story, record = contributed["story"], contributed["record"]
    url = story.url
    response = client.post(withdraw_url(record), {"code": contributed["code"], "scope": "full"})
    assert response.status_code == 302
    done = client.get(response.url).content.decode()
    assert "Done" in done and "Withdraw the whole story" in done
    assert "We have sent you an email to confirm this." in done
    [email] = mail.outbox
    assert email.to == ["ada@example.org"] and "deleted" in email.body

    assert client.get(url).status_code == 404
    assert not StoryPage.objects.filter(pk=story.pk).exists()
    assert Recording.objects.count() == 0
    assert not [path for path in media_root.rglob("*") if path.is_file()]
    record.refresh_from_db()
    assert record.status == "withdrawn" and record.story is None
    # Contact details go, unless they asked to hear back.
    assert record.contributor.email == "" and record.contributor.full_name == ""
    tombstone = Tombstone.objects.get(consent_record=record)
    assert tombstone.story_id == story.pk and tombstone.actor is None


def test_every_registered_step_is_audited_in_order(client, contributed):
    record = contributed["record"]
    client.post(withdraw_url(record), {"code": contributed["code"], "scope": "full"})
    withdrawal = Withdrawal.objects.get()
    assert withdrawal.status == "done"
    steps = list(withdrawal.audit.values_list("action", "outcome"))[1:]
    assert steps == [(f"step: {step.name}", "done") for step in registered_steps()]
    names = [step.name for step in registered_steps()]
    for required in [
        "unpublish the story",
        "remove from every search index",
        "delete recordings, renditions and posters",
        "purge page revisions, drafts and previews",
        "remove from collections",
        "purge the audit log and references",
        "keep a tombstone",
    ]:
        assert required in names


def test_the_wrong_code_changes_nothing(client, contributed):
    record = contributed["record"]
    response = client.post(withdraw_url(record), {"code": "AAAA-BBBB-CCCC", "scope": "full"})
    assert response.status_code == 400
    assert "That code does not match" in response.content.decode()
    assert StoryPage.objects.filter(pk=contributed["story"].pk, live=True).exists()
    assert Withdrawal.objects.count() == 0


def test_guessing_codes_is_rate_limited(client, contributed, settings):
    settings.CONSENT_WITHDRAW_RATE = "3/h"
    record = contributed["record"]
    codes = [
        client.post(withdraw_url(record), {"code": "WRONG", "scope": "full"}).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]


def test_narrowing_uses_hides_the_story_from_the_website_but_keeps_training(
    client, contributed, django_user_model
):
    story, record = contributed["story"], contributed["record"]
    trainer = make_user(django_user_model, "trainer")
    response = client.post(
        withdraw_url(record),
        {
            "code": contributed["code"],
            "scope": "uses",
            "uses": ["public_website"],
            "transcript_only": "on",
        },
    )
    assert response.status_code == 302
    assert client.get(story.url).status_code == 404
    story = StoryPage.objects.get(pk=story.pk)
    assert gate.may(gate.Use.CLIP, story, trainer)
    assert story.story_recordings.count() == 2  # nothing deleted
    record.refresh_from_db()
    assert not record.use_public_website and record.use_training
    assert record.media_mode == "transcript-only"
    assert len(mail.outbox) == 1


def test_switching_to_anonymous(client, contributed):
    record = contributed["record"]
    assert record.contributor.credit == "Ada"
    client.post(withdraw_url(record), {"code": contributed["code"], "scope": "anonymous"})
    record.refresh_from_db()
    assert record.contributor.credit == "Anonymous"
    assert StoryPage.objects.filter(pk=contributed["story"].pk, live=True).exists()


def test_removing_one_recording(client, contributed, media_root):
    story, record = contributed["story"], contributed["record"]
    first, second = [link.recording for link in story.story_recordings.order_by("sort_order", "pk")]
    files = [first.file.name, first.rendition.name, first.thumbnail.name]
    response = client.post(
        withdraw_url(record),
        {"code": contributed["code"], "scope": "recording", "recording": str(first.key)},
    )
    assert response.status_code == 302
    assert not Recording.objects.filter(pk=first.pk).exists()
    assert Recording.objects.filter(pk=second.pk).exists()
    for name in files:
        if name:
            assert not (media_root / name).exists()
    assert client.get(story.url).status_code == 200


def test_an_editor_withdraws_on_the_contributors_behalf(client, contributed, django_user_model):
    editor = make_user(django_user_model, "editor")
    client.force_login(editor)
    record = contributed["record"]
    page = client.get(f"/admin/pages/{contributed['story'].pk}/edit/").content.decode()
    assert "Withdraw on the contributor" in page and "public website, training" in page
    response = client.post(reverse("consent_admin:withdraw", args=[record.pk]), {"scope": "full"})
    assert response.status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert withdrawal.on_behalf and withdrawal.actor == editor
    assert Tombstone.objects.get().actor == editor
    assert AuditEntry.objects.filter(actor=editor).count() == len(registered_steps()) + 1
    assert len(mail.outbox) == 1  # the contributor is told


def test_people_without_the_permission_cannot_withdraw_for_others(
    client, contributed, django_user_model
):
    client.force_login(make_user(django_user_model, "trainer"))
    response = client.post(
        reverse("consent_admin:withdraw", args=[contributed["record"].pk]), {"scope": "full"}
    )
    # Wagtail answers a refused admin page by sending the user back to the dashboard.
    assert response.status_code in (302, 403) and "withdraw" not in response.get("Location", "")
    assert Withdrawal.objects.count() == 0
    assert StoryPage.objects.filter(pk=contributed["story"].pk).exists()


def test_withdrawn_story_leaves_collections(client, contributed):
    story = contributed["story"]
    home = HomePage.objects.get()
    collection = home.add_child(instance=CollectionPage(title="Everyday", slug="everyday"))
    CollectionItem.objects.create(collection=collection, story=story)
    withdraw(contributed["record"], "full")
    assert not CollectionItem.objects.exists()
    assert client.get(collection.url).status_code == 200


def test_a_failed_step_is_recorded_and_retried(contributed):
    from archive import withdrawal as steps

    calls = []

    def broken(story, scope):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk unavailable")
        return steps.remove_from_collections(story, scope)

    from consent.withdrawal import Step, _steps

    index = [step.name for step in _steps.steps].index("remove from collections")
    original = _steps.steps[index]
    _steps.steps[index] = Step(name=original.name, order=original.order, run=broken)
    try:
        withdrawal = withdraw(contributed["record"], "full")
        _check_failed_then_retried(withdrawal, contributed)
    finally:
        _steps.steps[index] = original


def _check_failed_then_retried(withdrawal, contributed):
    assert withdrawal.status == "failed"
    # The gate already refuses every use while the clean-up waits.
    assert not gate.may(gate.Use.SHOW, StoryPage.objects.get(pk=contributed["story"].pk))
    assert AuditEntry.objects.filter(withdrawal=withdrawal, outcome="failed").count() == 1
    [retried] = retry_failed_withdrawals()
    assert retried.status == "done"
    assert not StoryPage.objects.filter(pk=contributed["story"].pk).exists()


def test_subject_access_export(client, contributed):
    import io
    import json
    import zipfile

    record = contributed["record"]
    response = client.post(
        reverse("consent:export", args=[record.reference]), {"code": contributed["code"]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(bundle.read("data.json"))
    assert data["contributor"]["email"] == "ada@example.org"
    assert data["consent_records"][0]["story"]["title"] == contributed["story"].title
    assert "Taking your story back" in data["consent_records"][0]["form_wording"]
    assert len([name for name in bundle.namelist() if name.startswith("recordings/")]) == 2
    wrong = client.post(reverse("consent:export", args=[record.reference]), {"code": "NOPE"})
    assert wrong.status_code == 400
