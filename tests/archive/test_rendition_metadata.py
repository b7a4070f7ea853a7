"""What the public is served carries none of the upload's metadata (issue 10, point 1): no
name, address or place in tags, chapters, subtitles, data streams or cover art, and no
encoder tag, in the web version, the poster or the waveform."""

import json
import subprocess

import pytest
from django.urls import reverse

from tests.factories import make_recording, make_story

pytestmark = pytest.mark.django_db

CANARIES = [
    b"Canaryname",  # the artist: the contributor's name
    b"Canary Street",  # the comment: an address
    b"+51.5074-000.1278",  # the location, ISO 6709
    b"Canary chapter",
    b"Canary subtitle",
    b"Canary stream",
    b"Lavf5",  # the encoder tags with the muxer's and encoders' versions
    b"Lavc5",
]
# What MP4 itself writes for every track and file: structure, not anything of the upload.
STRUCTURAL_TAGS = {"major_brand", "minor_version", "compatible_brands", "language",
                   "handler_name", "vendor_id"}  # fmt: skip
# The video sample entry's compressor name, which ffprobe reports as a tag: it names the
# archive's own encoder, without a version, never anything of the upload.
OUR_COMPRESSOR = "Lavc libx264"


def ffmpeg_make(ffmpeg, *args):
    subprocess.run([ffmpeg, "-nostdin", "-v", "error", "-y", *map(str, args)], check=True)


@pytest.fixture
def cover(tmp_path, ffmpeg):
    path = tmp_path / "cover.jpg"
    ffmpeg_make(ffmpeg, "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", path)
    return path


@pytest.fixture
def tagged_mp4(tmp_path, ffmpeg, cover):
    """A film with artist, comment and location tags, a chapter, a subtitle track, two data
    tracks (timecode, chapter text) and per-stream titles."""
    subs = tmp_path / "subs.srt"
    subs.write_text("1\n00:00:00,000 --> 00:00:02,000\nCanary subtitle Amina\n")
    chapters = tmp_path / "chapters.txt"
    chapters.write_text(
        ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=2000\ntitle=Canary chapter\n"
    )
    path = tmp_path / "tagged.mp4"
    ffmpeg_make(
        ffmpeg,
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=3",
        "-f", "lavfi", "-i", "sine=duration=3",
        "-i", cover, "-i", subs, "-f", "ffmetadata", "-i", chapters,
        "-map", "2:v", "-map", "0:v", "-map", "1:a", "-map", "3:s", "-map_chapters", "4",
        "-c:v:0", "copy", "-disposition:v:0", "attached_pic",
        "-c:v:1", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-c:s", "mov_text",
        "-metadata", "artist=Amina Canaryname",
        "-metadata", "comment=12 Canary Street, Birkenhead",
        "-metadata", "location=+51.5074-000.1278/",
        "-metadata:s:a:0", "title=Canary stream title",
        "-metadata:s:v:1", "title=Canary stream video",
        "-movflags", "use_metadata_tags", "-timecode", "01:02:03:04",
        path,
    )  # fmt: skip
    return path


@pytest.fixture
def tagged_mp3(tmp_path, ffmpeg, cover):
    """An MP3 with ID3 name (TPE1) and address (COMM) tags and a cover picture (APIC)."""
    path = tmp_path / "tagged.mp3"
    ffmpeg_make(
        ffmpeg,
        "-f", "lavfi", "-i", "sine=duration=3", "-i", cover,
        "-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-c:v", "copy",
        "-disposition:v", "attached_pic", "-id3v2_version", "3",
        "-metadata", "artist=Amina Canaryname",
        "-metadata", "comment=12 Canary Street, Birkenhead",
        "-metadata:s:v", "title=Canary stream cover",
        path,
    )  # fmt: skip
    return path


def probe(path):
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-show_chapters",
         "-of", "json", str(path)],
        check=True, capture_output=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def served(client, recording, variant, tmp_path):
    response = client.get(reverse("archive:recording", args=[recording.key, variant]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    path = tmp_path / f"served-{variant}"
    path.write_bytes(data)
    return data, path


def tags_in(info):
    found = set(info["format"].get("tags", {}))
    for stream in info["streams"]:
        tags = dict(stream.get("tags", {}))
        if tags.get("encoder") == OUR_COMPRESSOR:
            del tags["encoder"]
        found |= set(tags)
    return found


def test_the_tagged_source_really_carries_the_canaries(tagged_mp4, tagged_mp3):
    mp4, mp3 = probe(tagged_mp4), probe(tagged_mp3)
    assert {"artist", "comment", "location"} <= set(mp4["format"]["tags"])
    assert mp4["chapters"] and {"subtitle", "data"} <= {s["codec_type"] for s in mp4["streams"]}
    assert {"artist", "comment"} <= set(mp3["format"]["tags"])
    assert any(s["disposition"]["attached_pic"] for s in mp3["streams"])


@pytest.mark.parametrize("source", ["tagged_mp4", "tagged_mp3"])
def test_the_public_gets_no_tags_chapters_or_extra_streams(
    client, media_root, tmp_path, request, source
):
    path = request.getfixturevalue(source)
    recording = make_recording(path)
    make_story(recording=recording)
    stream, stream_path = served(client, recording, "stream", tmp_path)
    poster, _poster_path = served(client, recording, "poster", tmp_path)
    for canary in CANARIES:
        assert stream.count(canary) == 0, canary
        assert poster.count(canary) == 0, canary
    info = probe(stream_path)
    assert info["chapters"] == []
    assert tags_in(info) <= STRUCTURAL_TAGS, tags_in(info) - STRUCTURAL_TAGS
    kinds = sorted(s["codec_type"] for s in info["streams"])
    assert kinds == (["audio", "video"] if source == "tagged_mp4" else ["audio"])
    assert not any(s["disposition"].get("attached_pic") for s in info["streams"])
    if source == "tagged_mp4":  # the film's own pictures, not the cover
        video = next(s for s in info["streams"] if s["codec_type"] == "video")
        assert (video["width"], video["height"]) == (320, 240)
