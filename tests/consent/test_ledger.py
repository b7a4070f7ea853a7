"""A database restored from a back-up forgets again: every withdrawal is written to a ledger
outside the database as it is made, and `manage.py reapply_withdrawals` withdraws again
whatever the restored database still holds."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from archive.models import StoryPage
from consent import gate, ledger
from consent.models import AuditEntry, ConsentRecord, Withdrawal
from consent.withdrawal import withdraw
from tests.factories import make_story

pytestmark = pytest.mark.django_db
CANARY = "Quillfeather"


def restored_story():
    """A story as a back-up taken before its withdrawal holds it: live, with its consent."""
    story = make_story(
        title=f"{CANARY} at the market", consent={"uses": ("public_website", "training")}
    )
    return story, ConsentRecord.objects.get(story=story)


def withdrawn_after_the_backup(record, scope, **detail):
    """The ledger line the live database wrote before it was replaced by the back-up."""
    ledger.record(
        Withdrawal(scope=scope, detail=detail, requested_at=timezone.now()), record.reference
    )


def test_every_withdrawal_is_written_to_the_ledger_without_the_story(settings):
    story, record = restored_story()
    withdraw(record, "uses", uses=["public_website"])
    withdraw(record, "full")
    text = settings.WITHDRAWAL_LEDGER.read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(line["reference"], line["scope"]) for line in lines] == [
        (str(record.reference), "uses"),
        (str(record.reference), "full"),
    ]
    assert lines[0]["uses_removed"] == ["public_website"]
    assert CANARY not in text and str(story.pk) not in [line["reference"] for line in lines]


def test_a_restored_story_is_withdrawn_again(client):
    story, record = restored_story()
    url = story.url
    withdrawn_after_the_backup(record, "full")
    assert client.get(url).status_code == 200  # the restore brought it back

    call_command("reapply_withdrawals")

    assert client.get(url).status_code == 404
    assert not StoryPage.objects.filter(pk=story.pk).exists()
    record.refresh_from_db()
    assert record.status == "withdrawn" and record.tombstone.story_id == story.pk
    assert AuditEntry.objects.filter(
        consent_record_id_value=record.pk,
        action="withdrawal reapplied from the ledger after a restore",
    ).exists()


def test_narrowed_uses_are_narrowed_again_and_the_rest_kept(django_user_model):
    story, record = restored_story()
    withdrawn_after_the_backup(record, "uses", uses_removed=["public_website"])
    call_command("reapply_withdrawals")
    record.refresh_from_db()
    story = StoryPage.objects.get(pk=story.pk)
    assert not record.use_public_website and record.use_training
    assert not gate.may(gate.Use.SHOW, story, None)


def test_reapplying_twice_changes_nothing_the_second_time(capsys):
    _story, record = restored_story()
    withdrawn_after_the_backup(record, "full")
    call_command("reapply_withdrawals")
    withdrawals = Withdrawal.objects.count()
    call_command("reapply_withdrawals")
    assert Withdrawal.objects.count() == withdrawals
    assert "0 withdrawn again" in capsys.readouterr().out.splitlines()[-1]


def test_a_dry_run_lists_and_changes_nothing(capsys):
    story, record = restored_story()
    withdrawn_after_the_backup(record, "full")
    call_command("reapply_withdrawals", "--dry-run")
    assert f"would withdraw again: consent {record.reference} (full)" in capsys.readouterr().out
    assert StoryPage.objects.filter(pk=story.pk, live=True).exists()


def test_a_torn_line_is_skipped_and_the_rest_applied(settings):
    story, record = restored_story()
    settings.WITHDRAWAL_LEDGER.write_text('{"reference": "broken", "sco\n')
    withdrawn_after_the_backup(record, "full")
    call_command("reapply_withdrawals")
    assert not StoryPage.objects.filter(pk=story.pk).exists()


def test_no_ledger_is_a_plain_error(settings, tmp_path):
    with pytest.raises(CommandError, match="There is no withdrawal ledger"):
        call_command("reapply_withdrawals", "--ledger", str(tmp_path / "missing.jsonl"))


def test_a_story_withdrawn_in_full_is_not_narrowed_after_it():
    _story, record = restored_story()
    withdrawn_after_the_backup(record, "full")
    withdrawn_after_the_backup(record, "uses", uses_removed=["training"])
    call_command("reapply_withdrawals")
    assert list(record.withdrawals.values_list("scope", flat=True)) == ["full"]
