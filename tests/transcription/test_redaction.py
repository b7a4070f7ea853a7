"""A redacted span disappears from every public output (captions, transcript page, SRT,
TXT, JSON) and is silenced in the public rendition; editors keep the original."""

import json
import re
import subprocess

import pytest

from tests.transcription.conftest import SENTENCES, speech, transcribed_story
from transcription.corrections import redact
from transcription.outputs import public_media_file

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def redacted(whisper_models, media_root, django_capture_on_commit_callbacks):
    page, recording, transcript = transcribed_story(speech(SENTENCES, gap=0.8, suffix=".mp3"))
    segment = transcript.segments.get(text__icontains="Liverpool")
    with django_capture_on_commit_callbacks(execute=True):
        redaction = redact(segment, "Liverpool", reason="a place that identifies her")
    recording.refresh_from_db()
    return page, recording, redaction


def public_outputs(client, page, recording):
    base = f"/recordings/{recording.key}"
    html = client.get(page.url).content.decode()
    yield html[
        html.index("data-transcript-for") : html.index("</details>")
    ]  # the site names the city
    yield client.get(f"{base}/captions/transcribe.vtt").content.decode()
    for fmt in ("srt", "txt", "json"):
        yield client.get(f"{base}/transcript/transcribe.{fmt}").content.decode()


def test_no_public_output_contains_the_redacted_word(redacted, client):
    page, recording, _ = redacted
    outputs = list(public_outputs(client, page, recording))
    assert all("[redacted]" in output for output in outputs)
    assert not any(re.search("liverpool", output, re.I) for output in outputs)


def test_the_span_is_found_from_word_timings(redacted):
    _, recording, redaction = redacted
    assert 0.5 < redaction.start < redaction.end < 4.0 and redaction.end - redaction.start < 1.5


def test_the_public_rendition_is_silent_during_the_span(redacted):
    _, recording, redaction = redacted
    public = public_media_file(recording)
    assert public and public.name != recording.rendition.name
    during = peak_db(public.path, redaction.start + 0.1, redaction.end - 0.1)
    original = peak_db(recording.rendition.path, redaction.start + 0.1, redaction.end - 0.1)
    assert original > -30 and during < -70
    assert peak_db(public.path, 0.0, redaction.start - 0.2) > -30  # the rest is untouched


def test_the_redacted_rendition_carries_no_tags_or_encoder_version(redacted):
    # Issue 10: every public rendition is stripped; the redacted one is remade from the web
    # version, so ffmpeg would otherwise stamp its own version ("Lavf59...") on it.
    _, recording, _ = redacted
    public = public_media_file(recording)
    info = json.loads(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                "-show_chapters",
                str(public.path),
            ],
            capture_output=True,
            check=True,
        ).stdout
    )
    assert info["chapters"] == []
    assert [s["codec_type"] for s in info["streams"]] == ["audio"]
    tags = dict(info["format"].get("tags", {}))
    for stream in info["streams"]:
        tags.update(stream.get("tags", {}))
    assert not any(re.search(r"Lavf|Lavc\d", str(value)) for value in tags.values()), tags
    assert not {"encoder", "title", "artist", "comment"} & {k.lower() for k in tags}, tags


def test_no_public_file_while_the_redacted_rendition_is_being_made(redacted):
    _, recording, redaction = redacted
    redact(redaction.segment, "seven")  # on_commit not run: not yet remade
    assert public_media_file(recording) is None


def test_the_unredacted_transcript_stays_with_editors(redacted):
    _, recording, redaction = redacted
    assert "Liverpool" in redaction.segment.text


def peak_db(path, start, end):
    done = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "info",
            "-ss",
            f"{start:.3f}",
            "-to",
            f"{end:.3f}",
            "-i",
            str(path),
            "-af",
            "volumedetect",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"max_volume: (-?[\d.]+|-inf) dB", done.stderr)
    return float(match.group(1)) if match and match.group(1) != "-inf" else -200.0
