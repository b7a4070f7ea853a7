"""Accepting a recording: what is stored, and that a refused file leaves nothing behind,
whether it comes through the service or the Wagtail media admin."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Recording, RenditionStatus
from archive.services import RecordingRejected, accept_recording
from archive.upload_handlers import RecordingSizeLimitHandler
from tests.factories import make_media_file

pytestmark = pytest.mark.django_db


def files_under(root):
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def test_accepted_recording_is_stored_under_a_random_name_with_its_probe(
    media_root, ffmpeg, django_capture_on_commit_callbacks
):
    source = make_media_file("video")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        recording = accept_recording(
            upload(source, "Amina Khan - Birkenhead.mp4"), title="Market day", language="en"
        )
    assert len(callbacks) == 1  # the rendition was queued once the row was committed
    recording.refresh_from_db()
    assert recording.file.name.startswith("originals/")
    assert "Amina" not in recording.file.name and recording.file.name.endswith(".mp4")
    assert (recording.type, recording.container) == ("video", "mp4")
    assert (recording.video_codec, recording.audio_codec) == ("h264", "aac")
    assert (recording.width, recording.height) == (320, 240)
    assert recording.size_bytes == source.stat().st_size
    assert 1.9 < recording.duration < 2.2
    assert recording.rendition_status == RenditionStatus.READY


def test_type_and_stored_extension_come_from_content_not_the_name(media_root, ffmpeg):
    recording = accept_recording(upload(make_media_file("audio"), "clip.exe"), title="Tone")
    assert recording.type == "audio"
    assert recording.file.name.endswith(".mp3")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.mp3", b"", "The file is empty"),
        ("setup.mp3", b"MZ\x90\x00" + b"\x00\x01" * 3000, "This is a program"),
        ("notes.mp3", b"I typed my story.\n" * 100, "This is a text file"),
    ],
)
def test_refused_uploads_leave_nothing_behind(media_root, ffmpeg, name, content, message):
    with pytest.raises(RecordingRejected) as caught:
        accept_recording(SimpleUploadedFile(name, content), title="Refused")
    assert caught.value.message.startswith(message)
    assert Recording.objects.count() == 0
    assert files_under(media_root) == []


def test_truncated_upload_leaves_nothing_behind(media_root, ffmpeg):
    data = make_media_file("video", seconds=4).read_bytes()
    half = SimpleUploadedFile("story.mp4", data[: len(data) // 2])
    with pytest.raises(RecordingRejected, match="incomplete"):
        accept_recording(half, title="Cut off")
    assert Recording.objects.count() == 0
    assert files_under(media_root) == []


def test_handler_stops_writing_and_deletes_its_file_once_over_the_limit(settings, tmp_path):
    settings.RECORDING_MAX_BYTES = 100_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    handler = RecordingSizeLimitHandler()
    handler.handle_raw_input(io.BytesIO(), {}, 10_000_000, b"boundary")  # length not yet known
    handler.request_too_large = False
    handler.new_file("file", "big.mp4", "video/mp4", None)
    handler.receive_data_chunk(b"x" * 65536, 0)
    assert files_under(tmp_path) != []  # writing normally while under the limit
    assert handler.receive_data_chunk(b"x" * 65536, 65536) is None
    assert files_under(tmp_path) == []  # the partial file is gone at once
    assert handler.receive_data_chunk(b"x" * 65536, 131072) is None
    refused = handler.file_complete(196608)
    assert refused.refusal.startswith("The file is 9.5 MB; the largest recording we can accept")
    assert files_under(tmp_path) == []


def test_request_declared_too_large_is_never_written(settings, tmp_path):
    settings.RECORDING_MAX_BYTES = 100_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    handler = RecordingSizeLimitHandler()
    handler.handle_raw_input(io.BytesIO(), {}, 4 * 1024**3, b"boundary")
    handler.new_file("file", "huge.mp4", "video/mp4", None)
    assert handler.receive_data_chunk(b"x" * 65536, 0) is None
    assert files_under(tmp_path) == []
    refused = handler.file_complete(65536)
    assert refused.refusal.startswith("The file is 4.0 GB; the largest recording we can accept")


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def admin_upload(client, path_or_file, media_type="audio"):
    handle = path_or_file if hasattr(path_or_file, "read") else open(path_or_file, "rb")
    with handle:
        return client.post(
            reverse("wagtailmedia:add", args=[media_type]),
            {"title": "From the admin", "file": handle, "language": "en", "collection": 1},
        )


def test_admin_upload_is_probed_and_rendered(
    editor, media_root, ffmpeg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_upload(editor, make_media_file("video"), media_type="audio")
    assert response.status_code == 302
    recording = Recording.objects.get()
    assert (recording.type, recording.video_codec) == ("video", "h264")
    assert recording.file.name.startswith("originals/") and recording.file.name.endswith(".mp4")
    assert recording.rendition_status == RenditionStatus.READY


def test_admin_upload_of_a_truncated_file_shows_a_plain_message(editor, media_root, ffmpeg):
    data = make_media_file("audio", seconds=4).read_bytes()
    response = admin_upload(editor, SimpleUploadedFile("story.mp3", data[: len(data) // 2]))
    assert response.status_code == 200
    assert "This recording seems to be incomplete" in response.content.decode()
    assert Recording.objects.count() == 0
    assert files_under(media_root) == []


def test_admin_upload_over_the_size_limit_is_refused_before_it_is_stored(
    editor, media_root, settings, tmp_path, ffmpeg
):
    settings.RECORDING_MAX_BYTES = 50_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000  # so the streaming handler takes the file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    os.mkdir(settings.FILE_UPLOAD_TEMP_DIR)
    response = admin_upload(editor, make_media_file("audio", suffix=".wav"))
    assert response.status_code == 200
    assert "the largest recording we can accept is 48.8 KB" in response.content.decode()
    assert Recording.objects.count() == 0
    assert files_under(media_root) == []
    assert files_under(settings.FILE_UPLOAD_TEMP_DIR) == []


def test_refused_upload_leaves_no_temporary_copy(media_root, ffmpeg, tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the probe's copies go
    data = make_media_file("audio", seconds=4).read_bytes()
    with pytest.raises(RecordingRejected):
        accept_recording(SimpleUploadedFile("a.mp3", data[: len(data) // 2]), title="Cut")
    assert files_under(scratch) == []
    assert os.listdir(scratch) == []
