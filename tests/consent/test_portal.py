"""The public upload portal: a contribution becomes one draft story in the workflow,
with a consent record on the form version the contributor saw, and a private receipt."""

import pytest
from django.core import mail
from django.urls import reverse

from archive.models import Recording, StoryPage
from consent.models import ConsentFormVersion, ConsentRecord
from consent.wording import FORM_WORDING

from .conftest import contribution_data, upload

pytestmark = pytest.mark.django_db

URL = "/contribute/"


def post(client, data, files=None):
    payload = dict(data)
    payload["recordings"] = files if files is not None else [upload("audio")]
    return client.post(URL, payload)


def test_form_shows_the_consent_wording_and_every_question(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Share your story" in html
    assert "Taking your story back" in html  # the wording itself, not a link to it
    for question in [
        "Where may we use your story?",
        "May we play your voice and show your face?",
        "How do you want to be named?",
        "I am under 18",
    ]:
        assert question in html
    assert 'type="file"' in html and "multiple" in html


def test_contribution_makes_a_draft_story_in_the_workflow(client, media_root, ffmpeg):
    response = post(client, contribution_data(), [upload("audio"), upload("video")])
    assert response.status_code == 302 and response.url == reverse("archive:contribute_thanks")

    story = StoryPage.objects.get(title="A remark at the bus stop")
    assert not story.live
    assert story.get_parent().slug == "stories"
    assert story.story_recordings.count() == 2
    workflow_state = story.current_workflow_state
    assert workflow_state is not None
    assert workflow_state.current_task_state.task.name == "Consent check"

    record = story.consent
    assert record.use_public_website and record.use_training and not record.use_reports
    assert record.media_mode == "voice-and-face"
    assert record.form_version.wording == FORM_WORDING
    assert record.contributor.credit == "Ada"
    assert record.channel == "web"


def test_receipt_shows_link_and_code_and_emails_them(client, media_root, ffmpeg):
    post(client, contribution_data())
    html = client.get(reverse("archive:contribute_thanks")).content.decode()
    record = ConsentRecord.objects.get()
    link = reverse("consent:withdraw", args=[record.reference])
    assert link in html
    code = html.split('data-testid="withdrawal-code">')[1].split("<")[0]
    assert len(code) == 14
    # Only a hash of the code is kept.
    assert code not in record.withdrawal_code_hash and record.withdrawal_code_hash
    assert record.check_withdrawal_code(code.replace("-", ""))
    [email] = mail.outbox
    assert email.to == ["ada@example.org"]
    assert link in email.body and code in email.body


def test_without_email_the_receipt_says_to_write_it_down(client, media_root, ffmpeg):
    post(client, contribution_data(email=""))
    html = client.get(reverse("archive:contribute_thanks")).content.decode()
    assert "write the link and code down" in html
    assert mail.outbox == []


def test_double_submission_makes_one_story(client, media_root, ffmpeg):
    data = contribution_data()
    first = post(client, data)
    second = post(client, data)
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("archive:contribute_thanks")
    assert StoryPage.objects.filter(title=data["title"]).count() == 1
    assert ConsentRecord.objects.count() == 1
    assert Recording.objects.count() == 1  # the second copy of the file was not kept


def test_a_broken_file_is_refused_plainly_and_the_form_is_kept(client, media_root, ffmpeg):
    broken = upload("audio")
    broken.file.truncate(300)  # a file cut short in the middle
    response = post(client, contribution_data(), [upload("audio"), broken])
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert 'value="A remark at the bus stop"' in html  # what they typed is still there
    assert "Someone shouted at me" in html
    assert StoryPage.objects.count() == StoryPage.objects.filter(consent__isnull=False).count()
    assert not StoryPage.objects.filter(title="A remark at the bus stop").exists()
    assert Recording.objects.count() == 0  # the good file was not kept either
    assert not any(media_root.rglob("*.*"))


def test_a_file_that_is_not_a_recording_is_refused(client, media_root, ffmpeg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("story.mp3", b"This is not really a recording at all.\n" * 50)
    response = post(client, contribution_data(), [text])
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Recording.objects.count() == 0


def test_an_over_large_upload_is_refused_before_it_is_stored(client, media_root, ffmpeg, settings):
    settings.RECORDING_MAX_BYTES = 10_000
    big = upload("video")
    assert big.size > 10_000
    response = post(client, contribution_data(), [big])
    assert response.status_code == 400
    assert "the largest recording we can accept is" in response.content.decode()
    assert Recording.objects.count() == 0
    assert not any(media_root.rglob("*.*"))


def test_missing_answers_are_explained(client, media_root, ffmpeg):
    data = contribution_data(uses=[], title="")
    del data["agree"]
    html = post(client, data).content.decode()
    assert "Tick at least one way we may use your story." in html
    assert "Tick this box to say you agree" in html


def test_under_18_needs_a_guardian(client, media_root, ffmpeg):
    html = post(client, contribution_data(under_18="on")).content.decode()
    assert "a parent or guardian must give their name and agree" in html
    response = post(
        client,
        contribution_data(under_18="on", guardian_name="Grace Example", guardian_consented="on"),
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.under_18 and record.guardian_consented and record.guardian_name == "Grace Example"


def test_archive_only_cannot_be_combined(client, media_root, ffmpeg):
    html = post(client, contribution_data(uses=["archive_only", "training"])).content.decode()
    assert "cannot be ticked with other uses" in html


def test_floods_get_429(client, media_root, ffmpeg, settings):
    settings.CONSENT_CONTRIBUTE_RATE = "2/h"
    data = contribution_data(title="")  # invalid, so nothing is stored
    codes = [client.post(URL, data).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert "Too many attempts" in client.post(URL, data).content.decode()


def test_changed_wording_is_a_new_version_and_old_records_keep_theirs(
    client, media_root, ffmpeg, monkeypatch
):
    post(client, contribution_data())
    first = ConsentRecord.objects.get()
    monkeypatch.setattr("consent.records.FORM_WORDING", FORM_WORDING + "\nA new sentence.")
    post(client, contribution_data())
    second = ConsentRecord.objects.exclude(pk=first.pk).get()
    first.refresh_from_db()
    assert first.form_version.version == 1 and second.form_version.version == 2
    assert "A new sentence." in second.form_version.wording
    assert "A new sentence." not in first.form_version.wording


def test_a_used_form_version_cannot_be_rewritten(client, media_root, ffmpeg):
    from django.core.exceptions import ValidationError

    post(client, contribution_data())
    version = ConsentFormVersion.objects.get()
    version.wording = "Something else entirely."
    with pytest.raises(ValidationError):
        version.save()


def test_the_code_is_shown_once_and_not_kept_in_the_session(client, media_root, ffmpeg):
    post(client, contribution_data())
    first = client.get(reverse("archive:contribute_thanks")).content.decode()
    code = first.split('data-testid="withdrawal-code">')[1].split("<")[0]
    again = client.get(reverse("archive:contribute_thanks")).content.decode()
    assert code not in again and "we show your code only once" in again
    assert code not in str(client.session.items())


@pytest.mark.parametrize(
    "naming, full_name, pseudonym, shown",
    [
        ("full", "Ada Example", "", "Ada Example"),
        ("first", "Ada Example", "", "Ada"),
        ("pseudonym", "Ada Example", "Sam", "Sam"),
        ("anonymous", "Ada Example", "", "Anonymous"),
    ],
)
def test_the_story_is_credited_as_its_teller_chose(naming, full_name, pseudonym, shown):
    from django.template import Context, Template

    from consent.models import Contributor
    from tests.factories import make_story

    story = make_story()
    Contributor.objects.filter(consents__story=story).update(
        naming=naming, full_name=full_name, pseudonym=pseudonym
    )
    story = StoryPage.objects.get(pk=story.pk)
    html = Template("{% load consent_tags %}{% story_credit story %}").render(
        Context({"story": story})
    )
    assert html == shown
