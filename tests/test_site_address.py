"""Every link in an e-mail starts with the site's configured address (settings.SITE_URL,
from the environment; `make run` sets it from HOST and PORT), never localhost:8000 by
default nor the host name a request happened to carry."""

import os

import pytest
from django.core import mail
from django.urls import reverse

from consent.models import ConsentRecord
from tests.consent.conftest import contribution_data, upload
from tests.test_settings import base_settings

SITE = "https://stories.example.org"


def test_site_url_and_the_admin_base_are_read_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    env["SITE_URL"] = SITE + "/"
    # The admin's links follow the site's address.
    assert base_settings("SITE_URL", "WAGTAILADMIN_BASE_URL", env=env) == [SITE, SITE]


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
