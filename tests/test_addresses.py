"""Every id in the apps' addresses (`<id:...>`, files/addresses.py) takes only what a database
id can hold: an id too large for the database is "not found" (404), never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))


@pytest.mark.parametrize(
    "address",
    [
        f"/admin/consent/{HUGE}/",
        f"/admin/consent/{HUGE}/scanned-form/",
        f"/admin/consent/{HUGE}/withdraw/",
        f"/reuse/reels/{HUGE}/",
        f"/reuse/clips/{HUGE}/delete/",
        f"/reuse/reports/{HUGE}/",
        f"/admin/transcription/checked/{HUGE}/",
        f"/admin/label-suggestions/{HUGE}/confirm/",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client, editor, address):
    assert client.get(address).status_code == 404
    assert client.post(address).status_code == 404


def test_the_largest_id_the_database_holds_still_reaches_the_view(client, editor):
    largest = "9" * 18
    assert reverse("consent_admin:record", args=[int(largest)]) == f"/admin/consent/{largest}/"
    assert client.get(f"/admin/consent/{largest}/").status_code == 404  # no such record
