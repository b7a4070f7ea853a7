"""Small helpers that make real stories and recordings for tests.

Media is real: ffmpeg generates a short tone (and a test card for video), which then goes
through the same accept_recording service and rendition task as any upload.

    story = make_story(borough="wirral", recording="video")
    recording = make_recording("audio")              # ready to play
    path = make_media_file("audio", suffix=".mp3")   # just a file on disk

Fixture: `media_root` points MEDIA_ROOT at a fresh temporary folder (tests/conftest.py
loads this module as a plugin, so every test can ask for it)."""

import atexit
import itertools
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files import File

from tests.conftest import require_part

_cache = Path(tempfile.mkdtemp(prefix="archive-test-media-"))
atexit.register(shutil.rmtree, _cache, ignore_errors=True)
_counter = itertools.count(1)

# suffix -> ffmpeg output options for each kind
_AUDIO = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    ".m4a": ["-c:a", "aac", "-b:a", "64k"],
    ".wav": ["-c:a", "pcm_s16le"],
    ".ogg": ["-c:a", "libvorbis"],
    ".webm": ["-c:a", "libopus"],
    ".flac": ["-c:a", "flac"],
}
_VIDEO = {
    ".mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"],
    ".webm": ["-c:v", "libvpx", "-deadline", "realtime", "-c:a", "libopus"],
    ".mkv": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "flac"],
}


def make_media_file(kind="audio", *, seconds=2, suffix=None, size="320x240"):
    """A real, short audio or video file made by ffmpeg; cached for the test session."""
    require_part(shutil.which("ffmpeg") and shutil.which("ffprobe"), "ffmpeg")
    suffix = suffix or (".mp3" if kind == "audio" else ".mp4")
    path = _cache / f"{kind}-{seconds}s-{size}{suffix}"
    if path.exists():
        return path
    inputs = ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}"]
    if kind == "video":
        inputs = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}"] + inputs
    options = (_VIDEO if kind == "video" else _AUDIO)[suffix]
    partial = path.with_name(".partial-" + path.name)
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            *inputs,
            *options,
            "-t",
            str(seconds),
            str(partial),
        ],
        check=True,
    )
    partial.rename(path)
    return path


def make_recording(kind_or_path="audio", *, title=None, language="en", ready=True, **file_kw):
    """A Recording accepted through the real service; with ready=True its rendition is made
    at once (the task is called directly, so this works inside a test transaction)."""
    from archive.services import accept_recording
    from archive.tasks import make_rendition

    path = Path(kind_or_path) if Path(str(kind_or_path)).suffix else None
    path = path or make_media_file(kind_or_path, **file_kw)
    with path.open("rb") as handle:
        recording = accept_recording(
            File(handle, name=path.name),
            title=title or f"Test recording {next(_counter)}",
            language=language,
        )
    if ready:
        make_rendition.call(recording.pk)
        recording.refresh_from_db()
    return recording


def story_index():
    """The StoryIndexPage made by migration 0003 (or a new one if a test removed it)."""
    from wagtail.models import Page

    from archive.models import HomePage, StoryIndexPage

    index = StoryIndexPage.objects.first()
    if index:
        return index
    parent = HomePage.objects.first() or Page.get_first_root_node()
    return parent.add_child(instance=StoryIndexPage(title="Stories", slug="stories"))


def make_story(
    *,
    title=None,
    kind="vox-pop",
    borough="liverpool",
    live=True,
    recording=None,
    themes=(),
    dimensions=(),
    consent=True,
    **fields,
):
    """A StoryPage under the story index. `recording` is a Recording, "audio", "video" or
    None; themes and dimensions are slugs. `consent`: True gives the story consent to
    every use with voice and face (consent.records.demo_consent), a dict passes those
    arguments to demo_consent, False leaves it without a consent record."""
    from archive.models import Borough, Dimension, StoryPage, StoryRecording, Theme
    from consent.records import demo_consent

    number = next(_counter)
    fields.setdefault("summary", "A short test story.")
    fields.setdefault("recorded_on", date(2026, 1, 1))
    story = StoryPage(
        title=title or f"Test story {number}",
        slug=fields.pop("slug", f"test-story-{number}"),
        kind=kind,
        borough=Borough.objects.get(slug=borough),
        live=live,
        **fields,
    )
    story_index().add_child(instance=story)
    if live:
        story.save_revision().publish()
    else:
        story.save_revision()
    story.themes.set(Theme.objects.filter(slug__in=themes))
    story.dimensions.set(Dimension.objects.filter(slug__in=dimensions))
    story.save()
    if consent:
        demo_consent(story, **(consent if isinstance(consent, dict) else {}))
    if recording is not None:
        if isinstance(recording, str):
            recording = make_recording(recording)
        StoryRecording.objects.create(story=story, recording=recording)
    return story


@pytest.fixture
def media_root(settings, tmp_path):
    """MEDIA_ROOT in a fresh folder, so tests can see exactly what was left on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
