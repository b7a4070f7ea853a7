"""The withdrawal page asks only what the chosen answer needs (GOV.UK's conditional radios,
no inline script) and never offers to stop what has already stopped (issue 10)."""

import re

import pytest

from consent.codes import normalise_code
from consent.withdrawal import withdraw
from tests.factories import make_recording, make_story

pytestmark = pytest.mark.django_db

CODE = "ABCD-EFGH-JKLM"


@pytest.fixture
def record():
    story = make_story(consent={"uses": ["public_website", "training", "reports"]})
    record = story.consent
    record.set_withdrawal_code(normalise_code(CODE))
    record.contributor.naming, record.contributor.full_name = "full", "Ada Example"
    record.contributor.save()
    record.save()
    return record


def page(client, record):
    response = client.get(f"/contribute/withdraw/{record.reference}/")
    assert response.status_code == 200
    return response.content.decode()


def form_of(html):
    return html.split('<form method="post"')[1].split("</form>")[0]


def test_sub_questions_sit_under_their_choice_and_are_revealed_by_govuk_radios(client, record):
    html = form_of(page(client, record))
    assert "data-reveal-group" in html
    assert 'value="uses" data-reveals="conditional-uses"' in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="module" src="/static/consent/js/reveal.js">']  # no inline
    uses = html.split('id="conditional-uses"')[1].split('<div class="govuk-radios__item">')[0]
    assert "govuk-radios__conditional--hidden" in html.split('id="conditional-uses"')[0][-80:]
    assert 'name="uses"' in uses and 'name="transcript_only"' in uses
    # The choices before the conditional questions are not inside them.
    assert 'name="uses"' not in html.split('id="conditional-uses"')[0]


def test_a_chosen_answer_keeps_its_questions_open_after_an_error(client, record):
    response = client.post(
        f"/contribute/withdraw/{record.reference}/", {"code": CODE, "scope": "uses"}
    )
    assert response.status_code == 400
    html = form_of(response.content.decode())
    before = html.split('id="conditional-uses"')[0][-80:]
    assert "govuk-radios__conditional--hidden" not in before
    assert "Tick the uses that should stop." in html


def test_uses_already_stopped_are_not_offered_again(client, record):
    withdraw(record, "uses", uses=["public_website"], transcript_only=True)
    html = form_of(page(client, record))
    assert 'value="public_website"' not in html
    assert 'value="training"' in html and 'value="reports"' in html
    assert 'name="transcript_only"' not in html  # voice and face already off
    response = client.post(
        f"/contribute/withdraw/{record.reference}/",
        {"code": CODE, "scope": "uses", "uses": ["public_website"]},
    )
    assert response.status_code == 400  # stopping it again is not a choice


def test_choices_that_no_longer_apply_are_not_offered(client, record):
    assert 'value="anonymous"' in page(client, record)
    assert 'value="recording"' not in page(client, record)  # no recordings to delete
    withdraw(record, "anonymous")
    withdraw(record, "uses", uses=["public_website", "training", "reports"], transcript_only=True)
    html = form_of(page(client, record))
    assert 'value="anonymous"' not in html and 'value="uses"' not in html
    assert 'value="full"' in html  # taking it all back is always offered


def test_a_story_with_recordings_offers_to_delete_one(client, record, media_root, ffmpeg):
    from archive.models import StoryRecording

    StoryRecording.objects.create(story=record.story, recording=make_recording("audio"))
    html = form_of(page(client, record))
    recording = html.split('id="conditional-recording"')[1]
    assert 'value="recording" data-reveals="conditional-recording"' in html
    assert 'name="recording"' in recording


def test_the_editors_form_also_offers_only_what_is_still_in_force(
    client, record, django_user_model
):
    from django.urls import reverse

    from .conftest import make_user

    withdraw(record, "uses", uses=["public_website"], transcript_only=True)
    client.force_login(make_user(django_user_model, "editor"))
    url = reverse("consent_admin:withdraw", args=[record.pk])
    html = client.get(url).content.decode()
    assert 'value="public_website"' not in html
    assert 'value="training"' in html and 'value="reports"' in html
    assert 'name="transcript_only"' not in html
    response = client.post(url, {"scope": "uses", "uses": ["public_website"]})
    assert response.status_code == 200  # the form again, with its error: nothing to stop
    record.refresh_from_db()
    assert record.use_training and record.use_reports
