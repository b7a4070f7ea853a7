"""Consent through reuse (issue 12): a withdrawal, a narrowing or a lapse removes exactly the
affected clips, reel exports, packs and report quotes; each affected reel and report is marked
and its owner told by one e-mail naming no story; downloads that already left are written into
the withdrawal's audit trail, by id."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from archive.models import StoryRecording
from consent.expiry import lapse_expired_consent
from consent.models import AuditEntry
from consent.withdrawal import registered_steps, run_withdrawal, withdraw
from reuse import withdrawal as reuse_withdrawal
from reuse.models import (
    Clip,
    Download,
    DownloadedStory,
    DownloadKind,
    Reel,
    ReelExport,
    ReelItem,
    ReportQuote,
    SavedReport,
    ShareLink,
)
from tests.factories import make_story
from tests.search.helpers import add_passage

pytestmark = pytest.mark.django_db

TITLE = "The Ferry Terminal Story"
WORDS = "The conductor checked only my ticket on the ferry."


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def person(django_user_model, name):
    return django_user_model.objects.create_user(name, email=f"{name}@example.org", password="x")


def bare_recording():
    """A recording row with no media: these tests cut nothing, so they need no ffmpeg."""
    from archive.models import Recording

    return Recording.objects.create(title="Interview", file="recordings/x.m4a", type="audio")


def clip_with_files(owner, story, recording, start=0.0):
    clip = Clip.objects.create(
        owner=owner, story=story, recording=recording, start=start, end=start + 1,
        excerpt=WORDS, status="done",
    )  # fmt: skip
    clip.file.save("clip.m4a", ContentFile(b"audio"), save=False)
    clip.captions.save("clip.vtt", ContentFile(f"WEBVTT\n\n{WORDS}".encode()), save=False)
    clip.save()
    return clip


def export_of(reel, story_ids):
    export = ReelExport.objects.create(reel=reel, status="done", story_ids=story_ids)
    for name in ("video", "captions", "pack"):
        getattr(export, name).save(f"reel.{name}", ContentFile(TITLE.encode()), save=False)
    export.save()
    return export


class Reused:
    """A story (two recordings) clipped into a reel beside another story's clip, exported,
    shared, quoted in a saved report and downloaded."""

    def __init__(self, django_user_model):
        self.trainer = person(django_user_model, "trainer")
        self.writer = person(django_user_model, "writer")
        self.first, self.second = bare_recording(), bare_recording()
        uses = {"uses": ("public_website", "training", "reports")}
        self.story = make_story(title=TITLE, recording=self.first, consent=uses)
        StoryRecording.objects.create(story=self.story, recording=self.second)
        other_recording = bare_recording()
        self.other = make_story(recording=other_recording, consent=uses)
        self.clips = [
            clip_with_files(self.trainer, self.story, self.first),
            clip_with_files(self.trainer, self.story, self.second),
        ]
        self.other_clip = clip_with_files(self.trainer, self.other, other_recording)
        self.reel = Reel.objects.create(owner=self.trainer, title="Session one")
        ReelItem.objects.create(reel=self.reel, position=0, kind="slide", text="What happened?")
        for position, clip in enumerate([*self.clips, self.other_clip], start=1):
            ReelItem.objects.create(reel=self.reel, position=position, kind="clip", clip=clip)
        self.link = ShareLink.objects.create(
            reel=self.reel, created_by=self.trainer, expires_at=timezone.now() + timedelta(days=1)
        )
        self.export = export_of(self.reel, [self.story.pk, self.other.pk])
        self.other_export = export_of(self.reel, [self.other.pk])
        self.report = SavedReport.objects.create(owner=self.writer, title="Forum 2026")
        self.quote = ReportQuote.objects.create(
            report=self.report, passage=add_passage(self.story, WORDS), position=0
        )
        self.other_quote = ReportQuote.objects.create(
            report=self.report, passage=add_passage(self.other, "Another passage."), position=1
        )
        self.download = Download.objects.create(
            kind=DownloadKind.TRAINING_PACK, user=self.trainer, reel_id_value=self.reel.pk
        )
        DownloadedStory.objects.create(download=self.download, story_id_value=self.story.pk)

    def files(self):
        fields = [c.file for c in self.clips] + [c.captions for c in self.clips]
        fields += [self.export.video, self.export.captions, self.export.pack]
        return [f.path for f in fields]


@pytest.fixture
def reused(media_root, django_user_model):
    return Reused(django_user_model)


def reel_clips(reel):
    return list(reel.items.filter(kind="clip").values_list("clip_id", flat=True))


def test_reuse_forgets_between_search_and_the_recordings_deletion():
    steps = {step.name: step.order for step in registered_steps()}
    search = steps["remove from every search index"]
    recordings = steps["delete recordings, renditions and posters"]
    assert steps[reuse_withdrawal.QUOTES_STEP] < search  # quotes go before their passages
    assert search < steps[reuse_withdrawal.STEP] < recordings


def test_a_full_withdrawal_removes_every_copy_and_tells_each_owner_once(reused):
    from pathlib import Path

    files = reused.files()
    mail.outbox.clear()

    withdrawal = withdraw(reused.story.consent, "full")

    assert withdrawal.status == "done"
    assert not Clip.objects.filter(pk__in=[c.pk for c in reused.clips]).exists()
    assert reel_clips(reused.reel) == [reused.other_clip.pk]
    assert list(reused.reel.items.values_list("position", flat=True)) == [0, 1]
    assert not ReelExport.objects.filter(pk=reused.export.pk).exists()
    assert ReelExport.objects.filter(pk=reused.other_export.pk).exists()
    assert not any(Path(path).exists() for path in files)
    assert list(ReportQuote.objects.values_list("pk", flat=True)) == [reused.other_quote.pk]
    assert ShareLink.objects.filter(pk=reused.link.pk).exists()  # the reel stays, shared

    reel = Reel.objects.get(pk=reused.reel.pk)
    today = f"{date.today():%-d %B %Y}"
    assert reel.changed_by_consent_at is not None
    assert reel.consent_change_note == (
        f"2 clips were taken out and 1 export was deleted on {today} "
        "because a storyteller changed their consent."
    )
    report = SavedReport.objects.get(pk=reused.report.pk)
    assert report.consent_change_note.startswith("1 quote was taken out on")

    assert sorted(m.to[0] for m in mail.outbox) == ["trainer@example.org", "writer@example.org"]
    for message in mail.outbox:
        assert "Ferry" not in message.subject + message.body
        assert "conductor" not in message.body
    trainer_mail = next(m for m in mail.outbox if m.to == ["trainer@example.org"])
    assert reverse("reuse:reel", args=[reel.pk]) in trainer_mail.body
    assert '"Session one"' in trainer_mail.body
    writer_mail = next(m for m in mail.outbox if m.to == ["writer@example.org"])
    assert reverse("reuse:saved_report", args=[report.pk]) in writer_mail.body


def test_downloads_are_in_the_withdrawal_audit_by_id_and_run_again_adds_nothing(reused):
    withdrawal = withdraw(reused.story.consent, "full")
    download = reused.download
    expected = (
        f"before withdrawal: training pack downloaded by user {reused.trainer.pk} "
        f"on {download.at:%Y-%m-%d} (download {download.pk})"
    )
    entries = AuditEntry.objects.filter(withdrawal=withdrawal, action__startswith="before")
    assert list(entries.values_list("action", flat=True)) == [expected]
    assert Download.objects.filter(pk=download.pk).exists()  # kept: ids only
    sent = len(mail.outbox)

    assert run_withdrawal(withdrawal).status == "done"  # story gone: works from the scope

    assert entries.count() == 1
    assert len(mail.outbox) == sent


def test_narrowing_training_takes_clips_out_of_every_reel_and_keeps_quotes(reused):
    mail.outbox.clear()
    withdraw(reused.story.consent, "uses", uses=["training"])

    assert reel_clips(reused.reel) == [reused.other_clip.pk]
    assert not ReelExport.objects.filter(pk=reused.export.pk).exists()
    assert ReportQuote.objects.filter(pk=reused.quote.pk).exists()
    assert SavedReport.objects.get(pk=reused.report.pk).changed_by_consent_at is None
    assert [m.to for m in mail.outbox] == [["trainer@example.org"]]


def test_narrowing_reports_takes_quotes_out_and_keeps_clips(reused):
    mail.outbox.clear()
    withdraw(reused.story.consent, "uses", uses=["reports"])

    assert not ReportQuote.objects.filter(pk=reused.quote.pk).exists()
    assert ReportQuote.objects.get(pk=reused.other_quote.pk).position == 0
    assert len(reel_clips(reused.reel)) == 3
    assert ReelExport.objects.filter(pk=reused.export.pk).exists()
    assert Reel.objects.get(pk=reused.reel.pk).changed_by_consent_at is None
    assert [m.to for m in mail.outbox] == [["writer@example.org"]]


def test_stopping_the_website_keeps_clips_and_quotes(reused):
    withdraw(reused.story.consent, "uses", uses=["public_website"])

    assert len(reel_clips(reused.reel)) == 3
    assert ReportQuote.objects.filter(pk=reused.quote.pk).exists()


def test_stopping_voice_and_face_takes_the_clips_out(reused):
    withdraw(reused.story.consent, "uses", transcript_only=True)

    assert reel_clips(reused.reel) == [reused.other_clip.pk]
    assert ReportQuote.objects.filter(pk=reused.quote.pk).exists()


def test_one_recording_removes_only_its_clips(reused):
    withdraw(reused.story.consent, "recording", recording_key=str(reused.first.key))

    assert reel_clips(reused.reel) == [reused.clips[1].pk, reused.other_clip.pk]
    assert "1 clip was taken out" in Reel.objects.get(pk=reused.reel.pk).consent_change_note


def test_switching_to_anonymous_deletes_exports_and_keeps_clips(reused):
    withdraw(reused.story.consent, "anonymous")

    assert len(reel_clips(reused.reel)) == 3
    assert not ReelExport.objects.filter(pk=reused.export.pk).exists()
    note = Reel.objects.get(pk=reused.reel.pk).consent_change_note
    assert note.startswith("1 export was deleted on")


def test_lapsed_consent_forgets_too(reused):
    record = reused.story.consent
    record.expires_on = date.today()
    record.save()

    lapse_expired_consent()

    assert reel_clips(reused.reel) == [reused.other_clip.pk]
    assert not ReportQuote.objects.filter(pk=reused.quote.pk).exists()
    assert not ReelExport.objects.filter(pk=reused.export.pk).exists()
    entry = AuditEntry.objects.get(
        consent_record_id_value=record.pk, action__startswith="before consent expired"
    )
    assert entry.withdrawal is None
