"""The contribution form keeps an upload across a form error (issue 15, "nothing lost"):
a plain upload (no scripts) is kept as a staged upload, and a staged one (sent ahead by
tus) is named by its id; either is probed by content when the form is sent, exactly as a
plain upload is, and only the browser session that made it may use it."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile

from archive import staged_uploads
from archive.models import Recording, StoryPage
from tests.consent.conftest import contribution_data, upload

pytestmark = pytest.mark.django_db

URL = "/contribute/"


def staged_in(session, content, name="my story.mp3"):
    staged = staged_uploads.create(session, len(content), name, "audio/mpeg")
    staged.data_path.write_bytes(content)
    session.save()
    return staged


def test_a_form_error_keeps_a_plain_upload_and_the_fixed_form_uses_it(client, media_root, ffmpeg):
    first = contribution_data(title="")
    first["recordings"] = [upload("audio", name="kitchen-table.mp3")]
    response = client.post(URL, first)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "kitchen-table.mp3" in html and "uploaded and kept" in html
    assert "You do not need to choose it again" in html
    assert "Remove kitchen-table.mp3" in html
    (kept,) = (media_root / "staged-uploads").iterdir()

    fixed = contribution_data(token=first["token"], staged_upload=[kept.name])
    response = client.post(URL, fixed)

    assert response.status_code == 302 and response.url == "/contribute/thanks/"
    story = StoryPage.objects.get(title="A remark at the bus stop")
    (recording,) = [each.recording for each in story.story_recordings.all()]
    assert recording.type == "audio" and recording.duration > 0  # probed by content
    assert not kept.exists()  # stored once, as the recording; the staged copy is gone


def test_a_staged_upload_from_another_session_is_refused(client, media_root, ffmpeg):
    theirs = staged_in(SessionStore(), upload("audio").read())
    response = client.post(URL, contribution_data(staged_upload=[theirs.id]))
    html = response.content.decode()
    assert response.status_code == 400
    assert "is no longer here" in html
    assert Recording.objects.count() == 0
    assert theirs.folder.exists()  # not theirs to delete either


def test_a_staged_upload_is_probed_by_content_like_a_plain_one(client, media_root, ffmpeg):
    not_audio = staged_in(client.session, b"This is not really a recording at all.\n" * 50)
    response = client.post(URL, contribution_data(staged_upload=[not_audio.id]))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Recording.objects.count() == 0
    assert not not_audio.folder.exists()  # a file the probe refused is not kept


def test_removing_a_kept_upload_deletes_it_and_asks_for_another(client, media_root, ffmpeg):
    kept = staged_in(client.session, upload("audio").read())
    data = contribution_data(staged_upload=[kept.id], remove_staged=[kept.id])
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Choose at least one recording to upload." in response.content.decode()
    assert not kept.folder.exists()


def test_an_unfinished_staged_upload_cannot_be_sent(client, media_root, ffmpeg):
    session = client.session
    half = staged_uploads.create(session, 2000, "half.mp3", "audio/mpeg")
    half.data_path.write_bytes(b"x" * 1000)
    session.save()
    response = client.post(URL, contribution_data(staged_upload=[half.id]))
    assert response.status_code == 400
    assert "half.mp3 has not finished uploading" in response.content.decode()


def test_a_refused_plain_upload_is_not_kept(client, media_root, ffmpeg, settings):
    settings.RECORDING_MAX_BYTES = 10_000
    data = contribution_data(title="")
    data["recordings"] = [upload("video")]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "uploaded and kept" not in response.content.decode()
    assert not (media_root / "staged-uploads").exists()


def test_a_kept_upload_counts_towards_the_file_limit(client, media_root, ffmpeg, settings):
    settings.CONTRIBUTION_MAX_FILES = 1
    kept = staged_in(client.session, upload("audio").read())
    data = contribution_data(staged_upload=[kept.id])
    data["recordings"] = [SimpleUploadedFile("second.mp3", upload("audio").read())]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "You chose 2 recordings" in response.content.decode()
