"""Every link in an e-mail starts with the site's configured address (settings.SITE_URL,
from the environment; `make run` sets it from HOST and PORT), never localhost:8000 by
default nor the host name a request happened to carry."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from consent.models import ConsentRecord
from tests.consent.conftest import contribution_data, upload

SITE = "https://stories.example.org"


def test_site_url_and_the_admin_base_are_read_from_the_environment():
    code = (
        "from config.settings import base; print(base.SITE_URL); print(base.WAGTAILADMIN_BASE_URL)"
    )
    env = {**os.environ, "SITE_URL": SITE + "/"}
    env.pop("WAGTAILADMIN_BASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == [SITE, SITE]  # the admin's links follow the site's


@pytest.mark.django_db
def test_the_receipt_email_links_to_the_configured_site(client, settings, media_root, ffmpeg):
    settings.SITE_URL = SITE
    client.post(
        reverse("archive:contribute"), {**contribution_data(), "recordings": [upload("audio")]}
    )
    record = ConsentRecord.objects.get()
    link = SITE + reverse("consent:withdraw", args=[record.reference])
    [email] = mail.outbox
    assert link in email.body
    assert link in client.get(reverse("archive:contribute_thanks")).content.decode()


def test_a_reuse_notice_links_to_the_configured_site(settings):
    from reuse.withdrawal import Notice

    settings.SITE_URL = SITE
    notice = Notice(kind="reel", title="Session one", url_name="reuse:reel", pk=7, note="")
    assert notice.link == SITE + reverse("reuse:reel", args=[7])
