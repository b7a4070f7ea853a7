"""The withdrawal code is never stored in clear (issue 10, point 3): between the portal's
POST and the receipt page, the session row holds only one half of a one-time pad and the
browser's short-lived cookie the other; the receipt shows the code once and drops both."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.urls import reverse

from consent import portal

from .conftest import contribution_data, upload

pytestmark = pytest.mark.django_db


def contribute(client):
    data = contribution_data()
    data["recordings"] = [upload("audio")]
    response = client.post("/contribute/", data)
    assert response.status_code == 302
    [receipt] = mail.outbox  # the e-mail the contributor asked for is the one place it goes
    return receipt.body.split("Your code: ")[1].split()[0]


def spellings(code):
    return {code, code.replace("-", ""), code.lower(), code.replace("-", "").lower()}


def every_stored_text():
    """Every value of every row of every table, as text, and every session decoded."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a quoted table name
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("latin-1")
                    texts.append(str(value))
    texts += [str(session.get_decoded()) for session in Session.objects.all()]
    return texts


def test_after_the_post_no_row_and_no_session_holds_the_code_in_clear(client, media_root, ffmpeg):
    code = contribute(client)
    assert Session.objects.exists()  # the receipt is waiting in a session row
    stored = "\n".join(every_stored_text())
    for spelling in spellings(code):
        assert spelling not in stored
    # Nor is it in clear in the browser's cookie.
    assert not any(
        code in morsel.value or code.replace("-", "") in morsel.value
        for morsel in client.cookies.values()
    )


def test_the_receipt_shows_the_code_once_then_forgets_both_halves(client, media_root, ffmpeg):
    code = contribute(client)
    first = client.get(reverse("archive:contribute_thanks"))
    assert f'data-testid="withdrawal-code">{code}<' in first.content.decode()
    assert first.cookies[portal.RECEIPT_KEY_COOKIE].value == ""  # the browser's half is deleted
    assert "sealed" not in client.session[portal.RECEIPT_SESSION_KEY]
    again = client.get(reverse("archive:contribute_thanks")).content.decode()
    assert code not in again and "we show your code only once" in again


def test_a_receipt_opened_too_late_shows_no_code(client, media_root, ffmpeg, monkeypatch):
    code = contribute(client)
    later = time.time() + portal.RECEIPT_SECONDS + 1
    monkeypatch.setattr(portal.time, "time", lambda: later)
    html = client.get(reverse("archive:contribute_thanks")).content.decode()
    assert code not in html and "we show your code only once" in html


def test_without_the_browsers_half_the_session_half_is_useless(client, media_root, ffmpeg):
    code = contribute(client)
    del client.cookies[portal.RECEIPT_KEY_COOKIE]
    html = client.get(reverse("archive:contribute_thanks")).content.decode()
    assert code not in html
