"""`make run`'s development accounts (manage.py ensure_dev_admin): the superuser, and a
trainer and a report writer in their groups, all with the printed password; never with
DEBUG off."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_the_printed_password_signs_in_the_admin_the_trainer_and_the_writer(settings, tmp_path):
    settings.DEBUG, settings.BASE_DIR = True, tmp_path
    out = io.StringIO()
    call_command("ensure_dev_admin", stdout=out)
    username, password = out.getvalue().split()

    admin = authenticate(username=username, password=password)
    trainer = authenticate(username="trainer", password=password)
    writer = authenticate(username="writer", password=password)
    assert admin.is_superuser
    assert trainer.has_perm("consent.clip_for_training") and not trainer.is_superuser
    assert writer.has_perm("consent.quote_in_reports")
    assert not writer.has_perm("consent.clip_for_training")


def test_it_refuses_to_make_known_accounts_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("ensure_dev_admin")
