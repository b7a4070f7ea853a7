"""The training pack (reuse.packs): the reel, its captions, a handout PDF whose text
(pdftotext) has each clip's words, credit, themes, dimensions with the strategy's
definitions and the discussion questions, and a manifest of every clip with its story,
recording, times and the consent it relied on, read again when the pack is made."""

import json
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from archive.models import Dimension
from consent.models import Contributor, NamingPreference
from reuse import exporting, packs
from reuse.models import Clip, Reel, ReelExport, ReelItem
from tests.conftest import require_part
from tests.factories import make_recording
from tests.reuse.conftest import make_transcribed_story

pytestmark = pytest.mark.django_db


def told_by(story, pseudonym, expires_on):
    record = story.consent
    record.contributor = Contributor.objects.create(
        naming=NamingPreference.PSEUDONYM, pseudonym=pseudonym
    )
    record.expires_on = expires_on
    record.save()


@pytest.fixture
def pack(media_root, tmp_path):
    owner = get_user_model().objects.create_user("pack-trainer")
    reel = Reel.objects.create(owner=owner, title="Mistrust and fear")
    stories = []
    for number, (theme, dimension) in enumerate(
        [("fear", "interpersonal"), ("mistrust", "institutional")]
    ):
        # The pack is made from the transcript and the cut files: no web version needed.
        recording = make_recording("audio", seconds=3, ready=False)
        story = make_transcribed_story(
            [f"word{number}{i}" for i in range(5)],
            recording=recording,
            seconds=3,
            themes=[theme],
            dimensions=[dimension],
        )
        stories.append(story)
        clip = Clip.objects.create(
            owner=owner, story=story, recording=recording, start=0.5, end=2.4
        )
        ReelItem.objects.create(
            reel=reel, position=2 * number, kind="clip", clip=clip, text=f"Note {number}"
        )
        ReelItem.objects.create(
            reel=reel,
            position=2 * number + 1,
            kind="slide",
            text=f"Question {number}: what would you change?",
        )
    told_by(stories[0], "Amani", date(2030, 6, 30))
    export = ReelExport.objects.create(reel=reel, requested_by=owner)
    clips = [item.clip for item in reel.items.filter(kind="clip")]
    parts = exporting.plan(reel, clips)
    video, vtt = tmp_path / "reel.mp4", tmp_path / "reel.vtt"
    video.write_bytes(b"film")
    vtt.write_text(exporting.reel_vtt(parts))
    made = packs.manifest(export, parts, left_out=0)
    packs.write_pack(tmp_path / "pack.zip", export, parts, made, video, vtt)
    return zipfile.ZipFile(tmp_path / "pack.zip"), stories, clips


def test_the_manifest_lists_every_clip_with_its_story_recording_times_and_consent(pack):
    archive, stories, clips = pack
    assert sorted(archive.namelist()) == ["handout.pdf", "manifest.json", "reel.mp4", "reel.vtt"]
    assert archive.read("reel.mp4") == b"film"
    assert archive.read("reel.vtt").startswith(b"WEBVTT")
    made = json.loads(archive.read("manifest.json"))

    assert [entry["clip_id"] for entry in made["clips"]] == [clip.pk for clip in clips]
    first = made["clips"][0]
    assert first["story"]["id"] == stories[0].pk
    assert first["story"]["title"] == stories[0].title
    assert first["story"]["url"].endswith(stories[0].url)  # a live story the public may see
    assert first["recording"]["key"] == str(clips[0].recording.key)
    assert (first["start"], first["end"]) == (0.5, 2.4)
    assert first["credit"] == "Amani"
    record = stories[0].consent
    consent = first["consent"]
    assert consent["record_id"] == record.pk
    assert consent["form_version"] == record.form_version.version
    assert consent["uses"] == ["public_website", "training", "reports"]
    assert consent["expires_on"] == "2030-06-30"
    assert made["clips"][1]["consent"]["expires_on"] is None
    assert made["clips"][1]["credit"] == "Anonymous"


def test_the_handout_has_each_clips_words_credit_dimensions_and_the_questions(pack):
    require_part(shutil.which("pdftotext"), "poppler-utils (pdftotext)")
    archive, _stories, _clips = pack
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=archive.read("handout.pdf"),
        capture_output=True,
        check=True,
    ).stdout.decode()
    flat = " ".join(text.split())

    assert "word01 word02 word03 word04" in flat  # the first clip: 0.5 s to 2.4 s
    assert "word11 word12 word13 word14" in flat
    assert "Told by Amani" in flat and "Told by Anonymous" in flat
    assert "Themes: Fear" in flat and "Themes: Mistrust" in flat
    for slug in ("interpersonal", "institutional"):
        dimension = Dimension.objects.get(slug=slug)
        assert dimension.name in flat
        assert " ".join(dimension.definition.split()[:8]) in flat
    assert "Question 0: what would you change?" in flat
    assert "Question 1: what would you change?" in flat
    assert "Note 0" in flat
