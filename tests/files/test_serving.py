"""Recordings are served only through the consent gate, with Range support so players
can seek, and never kept by a shared cache."""

import pytest
from django.urls import reverse

from tests.factories import make_recording, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_recording(media_root, ffmpeg):
    story = make_story(recording=make_recording("video", seconds=1, size="160x120"))
    return story.story_recordings.get().recording


def stream_url(recording, variant="stream"):
    return reverse("archive:recording", args=[recording.key, variant])


def body(response):
    return b"".join(response.streaming_content)


def test_whole_file(client, live_recording):
    response = client.get(stream_url(live_recording))
    data = open(live_recording.rendition.path, "rb").read()
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(data))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == data


def test_range_gives_206_with_just_those_bytes(client, live_recording):
    data = open(live_recording.rendition.path, "rb").read()
    response = client.get(stream_url(live_recording), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert response["Content-Length"] == "100"
    assert body(response) == data[100:200]


def test_open_ended_and_suffix_ranges(client, live_recording):
    data = open(live_recording.rendition.path, "rb").read()
    tail = client.get(stream_url(live_recording), HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206 and body(tail) == data[-50:]
    rest = client.get(stream_url(live_recording), HTTP_RANGE=f"bytes={len(data) - 10}-")
    assert rest.status_code == 206 and body(rest) == data[-10:]


def test_range_past_the_end_gives_416(client, live_recording):
    size = live_recording.rendition.size
    response = client.get(stream_url(live_recording), HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert response["Cache-Control"] == "private, no-store"


def test_several_ranges_get_the_whole_file(client, live_recording):
    response = client.get(stream_url(live_recording), HTTP_RANGE="bytes=0-1,5-6")
    assert response.status_code == 200


def test_head_gives_headers_without_a_body(client, live_recording):
    response = client.head(stream_url(live_recording), HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b""


def test_poster_is_served_as_an_image(client, live_recording):
    response = client.get(stream_url(live_recording, "poster"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_story_that_is_not_live_gives_404(client, media_root, ffmpeg):
    draft = make_story(live=False, recording="audio")
    recording = draft.story_recordings.get().recording
    for variant in ("stream", "poster", "original"):
        assert client.get(stream_url(recording, variant)).status_code == 404


def test_unpublishing_a_story_stops_its_media_at_once(client, live_recording):
    assert client.get(stream_url(live_recording)).status_code == 200
    live_recording.story_links.get().story.unpublish()
    assert client.get(stream_url(live_recording)).status_code == 404


def test_recording_on_no_story_gives_404(client, media_root, ffmpeg):
    assert client.get(stream_url(make_recording("audio"))).status_code == 404


def test_recording_not_yet_rendered_gives_404(client, media_root, ffmpeg):
    story = make_story(recording=make_recording("audio", ready=False))
    assert client.get(stream_url(story.story_recordings.get().recording)).status_code == 404


def test_original_is_for_editors_only(client, django_user_model, live_recording):
    assert client.get(stream_url(live_recording, "original")).status_code == 404
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    response = client.get(stream_url(live_recording, "original"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_only_reading_is_allowed(client, live_recording):
    assert client.post(stream_url(live_recording)).status_code == 405


def test_unknown_variant_gives_404(client, live_recording):
    assert client.get(stream_url(live_recording, "secret")).status_code == 404


def test_web_server_can_send_the_bytes_after_the_gate(client, live_recording, settings):
    settings.MEDIA_ACCEL = "nginx"
    response = client.get(stream_url(live_recording))
    assert response["X-Accel-Redirect"] == "/protected-media/" + live_recording.rendition.name
    assert response["Cache-Control"] == "private, no-store"
    live_recording.story_links.get().story.unpublish()
    assert client.get(stream_url(live_recording)).status_code == 404
