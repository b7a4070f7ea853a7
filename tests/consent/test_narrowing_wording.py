"""After a narrowing, the confirmation screen and e-mail say what stops and what continues,
and never that the story was taken back (issue 10, point 5)."""

import pytest
from django.core import mail

from .conftest import withdraw_url

pytestmark = pytest.mark.django_db


def narrow(client, contributed, **choice):
    data = {"code": contributed["code"], "scope": "uses", **choice}
    response = client.post(withdraw_url(contributed["record"]), data)
    assert response.status_code == 302
    return client.get(response.url).content.decode()


def section(html, testid):
    return html.split(f'data-testid="{testid}">')[1].split("</ul>")[0]


def test_stopping_the_website_says_training_and_reports_continue(client, contributed):
    contributed["record"].use_reports = True
    contributed["record"].save()
    html = narrow(client, contributed, uses=["public_website"])
    assert "You have stopped some uses of your story" in html
    assert "taken your story back" not in html
    assert "public website" in section(html, "stops")
    continues = section(html, "continues")
    assert "training" in continues and "reports" in continues and "public" not in continues
    assert "Playing your voice and showing your face" in continues

    [email] = mail.outbox
    assert email.subject == "You have stopped some uses of your story"
    assert "taken your story back" not in email.body.lower()
    stops, continues = email.body.split("What stops:")[1].split("What continues")
    assert "public website" in stops and "training" not in stops
    assert "training" in continues and "reports" in continues and "public" not in continues


def test_stopping_the_voice_says_only_the_words_continue(client, contributed):
    html = narrow(client, contributed, transcript_only="on")
    assert "Playing your voice and showing your face" in section(html, "stops")
    continues = section(html, "continues")
    assert "Showing your words only" in continues and "public website" in continues
    assert "words only" in mail.outbox[0].body


def test_taking_the_whole_story_back_says_so(client, contributed):
    response = client.post(
        withdraw_url(contributed["record"]), {"code": contributed["code"], "scope": "full"}
    )
    html = client.get(response.url).content.decode()
    assert "You have taken your story back" in html and 'data-testid="continues"' not in html
    assert mail.outbox[0].subject == "You have taken your story back"
