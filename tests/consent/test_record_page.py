"""The consent record page (issue 14): each version of what the contributor agreed to, who
changed it and when, every withdrawal with its steps, the audit trail and the scanned form;
reached from the consent register and from the story's editor."""

import html as markup
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from consent import expiry
from consent.models import ConsentRecord

from .conftest import make_user, withdraw_url

pytestmark = pytest.mark.django_db


def rows(html, caption):
    """The table with this caption, as lists of cell texts."""
    table = html.split(caption, 1)[1].split("</table>", 1)[0]
    return [
        [
            markup.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip()
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        if "<td>" in row
    ]


@pytest.fixture
def editor(client, django_user_model):
    user = make_user(django_user_model, "editor")
    user.first_name, user.last_name = "Esi", "Mensah"
    user.save()
    client.force_login(user)
    return user


def record_page(client, record):
    response = client.get(reverse("consent_admin:record", args=[record.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_version_says_what_changed_who_changed_it_and_what_it_allowed(
    client, contributed, editor
):
    record = contributed["record"]
    client.logout()  # the contributor narrows by link and code, then an editor withdraws
    narrowed = {"code": contributed["code"], "scope": "uses", "uses": ["public_website"]}
    client.post(withdraw_url(record), {**narrowed, "transcript_only": "on"})
    client.post(withdraw_url(record), {"code": contributed["code"], "scope": "anonymous"})
    client.force_login(editor)
    client.post(reverse("consent_admin:withdraw", args=[record.pk]), {"scope": "full"})

    html = record_page(client, record)
    versions = rows(html, f"Versions of consent record {record.pk}")
    assert [v[0] for v in versions] == ["1", "2", "3", "4"]
    given, narrowing, anonymous, withdrawn = versions
    assert given[2:] == [
        "Given through the website, on form version 1",
        "the contributor",
        "public website, training",
        "My voice and face may be played",
        "My first name only",
        "Given",
    ]
    assert narrowing[2] == ("Narrowed (stopped: public website; words only, no voice or face)")
    assert narrowing[3:5] == ["the contributor", "training"]
    assert narrowing[5].startswith("Only show the words")
    assert anonymous[2] == "Switched to anonymous" and anonymous[6] == "No name: anonymous"
    assert withdrawn[2:4] == ["Withdrawn in full", "Esi Mensah, on the contributor's behalf"]
    assert withdrawn[7] == "Withdrawn"
    assert "Withdrawn: the story is gone" in html


def test_every_withdrawal_shows_its_steps_and_the_trail_has_every_line(client, contributed, editor):
    record = contributed["record"]
    client.post(reverse("consent_admin:withdraw", args=[record.pk]), {"scope": "full"})
    html = record_page(client, record)
    withdrawal = record.withdrawals.get()
    steps = rows(html, "Steps of the withdrawal of")
    assert [step[0] for step in steps] == list(withdrawal.audit.values_list("action", flat=True))
    assert steps[0][0] == "withdrawal requested: withdraw the whole story"
    assert all(step[1] == "done" for step in steps)
    trail = rows(html, f"Every audit line of consent record {record.pk}")
    assert trail[0][1] == "consent given (the website)" and trail[0][2] == "the contributor"
    assert ["step: delete the story page", "Esi Mensah"] in [line[1:3] for line in trail]
    assert len(trail) == record.withdrawals.get().audit.count() + 1


def test_an_expired_record_shows_the_expiry_as_a_version(client, editor):
    from tests.factories import make_story

    story = make_story()
    record = ConsentRecord.objects.get(story=story)
    record.expires_on = date.today() - timedelta(days=1)
    record.save()
    expiry.lapse_expired_consent()
    versions = rows(record_page(client, record), "Versions of consent record")
    assert [v[2] for v in versions][1:] == ["Consent expired"]
    assert versions[0][7] == "Given" and versions[1][7] == "Expired"
    assert versions[1][3] == "the archive (on schedule)"


def test_a_paper_record_links_its_private_scan_and_names_who_took_it(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consent.records import record_consent
    from tests.factories import make_story

    story = make_story(consent=False)
    record, _code = record_consent(
        story,
        {"uses": ["training"], "media_mode": "transcript-only", "naming": "anonymous"},
        channel="paper",
        taken_by=editor,
        scanned_form=SimpleUploadedFile("form.pdf", b"%PDF-1.4 scan"),
    )
    html = record_page(client, record)
    assert reverse("consent_admin:scanned_form", args=[record.pk]) in html
    assert "A paper form" in html and "by Esi Mensah" in html
    versions = rows(html, "Versions of consent record")
    assert versions[0][2:4] == ["Given through a paper form, on form version 1", "Esi Mensah"]
    assert record.scanned_form.name not in html  # the file's name is never shown


def test_the_register_and_the_story_editor_link_to_the_record(client, contributed, editor):
    record, story = contributed["record"], contributed["story"]
    url = reverse("consent_admin:record", args=[record.pk])
    assert f'href="{url}"' in client.get(reverse("consent_admin:register")).content.decode()
    assert f'href="{url}"' in client.get(f"/admin/pages/{story.pk}/edit/").content.decode()


def test_only_people_who_may_see_consent_records_see_the_page(
    client, contributed, django_user_model
):
    record = contributed["record"]
    url = reverse("consent_admin:record", args=[record.pk])
    client.force_login(make_user(django_user_model, "trainer"))
    assert client.get(url).status_code in (302, 403)
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(make_user(django_user_model, "editor"))
    assert client.get(reverse("consent_admin:record", args=[record.pk + 999])).status_code == 404
