"""A failed export (reuse.exporting): status failed, a plain message, no file left or served,
and "Try again" makes it once the cause is fixed; without burning, the picture is the clip's."""

import pytest
from django.urls import reverse

from archive.tasks import make_rendition
from reuse import exporting
from reuse.models import JobStatus, ReelExport
from tests.reuse.conftest import make_export_reel, make_transcribed_story
from tests.reuse.test_export import changed, frame

pytestmark = pytest.mark.django_db


def test_a_failed_export_says_why_serves_nothing_and_can_be_tried_again(
    client, media_root, export_settings, export_trainer, django_capture_on_commit_callbacks
):
    story = make_transcribed_story()
    reel = make_export_reel(export_trainer, [story])
    clip = reel.items.get(kind="clip").clip
    recording = clip.recording
    # The clip's file and the recording's public version are both gone: nothing to cut from.
    clip.file.storage.delete(clip.file.name)
    recording.rendition.storage.delete(recording.rendition.name)
    export, _created = exporting.request_export(reel, export_trainer, burn_captions=False)

    with pytest.raises(exporting.ExportFailed):
        exporting.export_reel(export)

    export.refresh_from_db()
    assert export.status == JobStatus.FAILED
    assert "public version is still being made" in export.error
    assert "Traceback" not in export.error
    assert not export.video and not export.pack
    assert not list((media_root / "reuse" / "exports").glob("*"))  # no partial file left
    client.force_login(export_trainer)
    page = client.get(reverse("reuse:export", args=[export.pk])).content.decode()
    assert "Failed" in page and "still being made" in page and "Try again" in page
    refused = client.get(reverse("reuse:export_download", args=[export.pk, "video"]))
    assert refused.status_code == 409
    assert "not ready" in refused.content.decode()

    make_rendition.call(recording.pk, force=True)  # the public version is made again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reuse:export", args=[export.pk]), {"action": "retry"})

    assert response.status_code == 302
    export = ReelExport.objects.get(pk=export.pk)
    assert export.status == JobStatus.DONE, export.error
    assert (
        client.get(reverse("reuse:export_download", args=[export.pk, "video"])).status_code == 200
    )
    # Not burned in: where the captions would be, the reel's picture is the clip's.
    clip.refresh_from_db()
    start = export.manifest["clips"][0]["in_reel"]["start"]
    reel_frame, clip_frame = frame(export.video.path, start + 1.6), frame(clip.file.path, 1.6)
    assert changed(reel_frame, clip_frame, (140, 175)) < 20
