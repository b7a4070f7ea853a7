"""The transcript editor's services and screen (issue 14): corrections keep word timings,
every change is a revision with a diff and undo, split and merge, speakers as WebVTT voice
tags, and redaction by selected words silencing exactly their span."""

import pytest
from django.urls import reverse

from tests.factories import make_recording, make_story
from tests.transcription.test_redaction import peak_db
from transcription import editing
from transcription.captions import Passage, render
from transcription.corrections import redact
from transcription.models import Redaction, RevisionAction, Segment, Transcript, Word
from transcription.outputs import public_media_file, render_public

pytestmark = pytest.mark.django_db

# A sine tone is loud all through: any silence in the public file is the redaction's.
WORDS = [
    (0.5, 0.9, "Her"),
    (0.9, 1.2, "name"),
    (1.2, 1.4, "is"),
    (1.4, 1.9, "Grace"),
    (1.9, 2.5, "Okafer"),
    (2.5, 2.9, "came"),
    (2.9, 3.5, "here."),
]


def make_transcript(recording=None, words=WORDS, start=0.5, end=3.5):
    recording = recording or make_recording("audio", seconds=4, ready=False)
    transcript = Transcript.objects.create(recording=recording, status="done")
    text = " ".join(w[2] for w in words)
    segment = Segment.objects.create(
        transcript=transcript, start=start, end=end, text=text, machine_text=text
    )
    Word.objects.bulk_create(Word(segment=segment, start=s, end=e, word=w) for s, e, w in words)
    return transcript, segment


def times(segment):
    return [(w.start, w.end, w.word) for w in segment.words.order_by("start", "pk")]


# --- word timings survive corrections -------------------------------------------------


def test_unchanged_words_keep_their_times_and_a_changed_word_takes_the_old_ones():
    old = WORDS
    new = editing.align_words(old, "Her name is Grace Okafor came here.", 0.5, 3.5)
    assert new[:4] == old[:4] and new[5:] == old[5:]
    assert new[4] == (1.9, 2.5, "Okafor")


def test_inserted_words_are_placed_in_the_gap_within_the_segment():
    old = [(0.0, 0.5, "I"), (1.5, 2.0, "went")]
    new = editing.align_words(old, "I then went home", 0.0, 3.0)
    assert [w[2] for w in new] == ["I", "then", "went", "home"]
    assert 0.5 <= new[1][0] < new[1][1] <= 1.5
    assert 2.0 <= new[3][0] < new[3][1] <= 3.0


def test_a_correction_stores_word_rows_that_captions_are_built_from(media_root):
    transcript, segment = make_transcript()
    editing.correct(segment, None, text="Her name is Grace Okafor came here.", speaker="Teller")
    assert times(segment)[4] == (1.9, 2.5, "Okafor")
    assert segment.machine_text == "Her name is Grace Okafer came here."
    import json

    words = json.loads(render_public(transcript, "json"))["segments"][0]["words"]
    assert [w["start"] for w in words] == [w[0] for w in WORDS]


# --- revisions, undo, split and merge -------------------------------------------------


def test_every_save_is_a_revision_with_a_word_diff_and_undo_restores_it(
    media_root, django_user_model
):
    editor = django_user_model.objects.create_user("ed")
    _, segment = make_transcript()
    editing.correct(segment, editor, text="Her name is Grace Okafor came here.")
    change = editing.changes(segment)[0]
    assert change.revision.changed_by == editor and change.undoable
    assert ("removed", "Okafer") in change.diff and ("added", "Okafor") in change.diff
    editing.undo(segment, editor)
    segment.refresh_from_db()
    assert segment.text == "Her name is Grace Okafer came here."
    assert times(segment) == WORDS
    assert [r.action for r in segment.revisions.all()] == [RevisionAction.UNDO, "edit"]


def test_split_at_a_word_and_merge_again_keep_the_words_and_their_times(media_root):
    transcript, segment = make_transcript()
    second = editing.split(segment, 5, None)
    segment.refresh_from_db()
    assert segment.text == "Her name is Grace Okafer" and segment.end == 2.5
    assert second.text == "came here." and second.start == 2.5 and second.end == 3.5
    assert times(second) == WORDS[5:]
    editing.merge_with_next(segment, None)
    segment.refresh_from_db()
    assert transcript.segments.count() == 1
    assert segment.text == "Her name is Grace Okafer came here." and times(segment) == WORDS
    assert {r.action for r in segment.revisions.all()} == {"split", "merge"}


def test_undo_joins_a_split_again_and_parts_a_merge_again(media_root):
    transcript, segment = make_transcript()
    editing.correct(segment, None, speaker="Teller")
    second = editing.split(segment, 5, None)
    with pytest.raises(editing.EditRefused, match="first half"):
        editing.undo(second, None)
    editing.correct(second, None, speaker="Interviewer")
    with pytest.raises(editing.EditRefused, match="changed since"):  # nothing is lost
        editing.undo(segment, None)
    editing.undo(second, None)  # its speaker back: now it is as the split made it
    editing.undo(segment, None)
    segment.refresh_from_db()
    assert transcript.segments.count() == 1
    assert segment.text == "Her name is Grace Okafer came here." and times(segment) == WORDS
    assert segment.end == 3.5 and segment.speaker == "Teller"

    second = editing.split(segment, 5, None)
    editing.correct(second, None, speaker="Interviewer")
    editing.merge_with_next(segment, None)
    segment.refresh_from_db()
    assert transcript.segments.count() == 1
    assert editing.changes(segment)[0].undoable
    editing.undo(segment, None)
    first, again = transcript.segments.order_by("start")
    assert first.pk == segment.pk and first.text == "Her name is Grace Okafer"
    assert again.text == "came here." and again.speaker == "Interviewer"
    assert (again.start, again.end) == (2.5, 3.5) and times(again) == WORDS[5:]
    assert times(first) == WORDS[:5] and first.speaker == "Teller"


def test_split_needs_a_place_between_two_words(media_root):
    _, segment = make_transcript()
    with pytest.raises(editing.EditRefused):
        editing.split(segment, 0, None)


def test_a_rerun_of_the_engine_keeps_corrected_segments_and_the_machine_text(media_root):
    from transcription.engines.base import SegmentResult, TranscriptResult
    from transcription.running import save_result

    transcript, segment = make_transcript()
    editing.correct(segment, None, text="Her name is Grace Okafor came here.")
    result = TranscriptResult(
        segments=[SegmentResult(start=0.5, end=3.5, text="Something else.", words=[])],
        language="en",
        engine="test",
        model="test",
        task="transcribe",
        duration=4.0,
    )
    save_result(transcript, result, "checksum")
    kept = transcript.segments.get()
    assert kept.text == "Her name is Grace Okafor came here."
    assert kept.machine_text == "Her name is Grace Okafer came here."


# --- speakers in captions ------------------------------------------------------------


def test_speakers_are_webvtt_voice_tags_escaped_and_srt_txt_name_them():
    passages = [
        Passage(0.0, 2.0, "We moved <in> 1962.", speaker="Teller & <co>"),
        Passage(2.0, 4.0, "Why then?", speaker="Interviewer"),
    ]
    vtt = render(passages, "vtt")
    assert "<v Teller &amp; &lt;co&gt;>We moved &lt;in&gt; 1962.</v>" in vtt
    assert "<v Interviewer>Why then?</v>" in vtt
    assert "Interviewer: Why then?" in render(passages, "srt")
    assert "Teller & <co>: We moved <in> 1962." in render(passages, "txt")


# --- redaction by selection ------------------------------------------------------------


@pytest.fixture
def redactable(media_root, django_capture_on_commit_callbacks):
    recording = make_recording("audio", seconds=4)
    make_story(recording=recording)
    transcript, segment = make_transcript(recording)
    return recording, transcript, segment


def test_selected_words_map_to_exactly_their_span_and_the_next_word_is_kept(
    redactable, django_capture_on_commit_callbacks, client
):
    recording, transcript, segment = redactable
    grace, okafer = segment.words.get(word="Grace"), segment.words.get(word="Okafer")
    with django_capture_on_commit_callbacks(execute=True):
        redaction = editing.redact_words(grace, okafer, None, "her name")
    assert (redaction.start, redaction.end) == (1.4, 2.5)
    assert redaction.phrase == "Grace Okafer" and redaction.when == "0:01.4–0:02.5"
    vtt = client.get(f"/recordings/{recording.key}/captions/transcribe.vtt").content.decode()
    text = " ".join(vtt.split())
    assert "is [redacted] came here." in text and "Okafer" not in text
    public = public_media_file(recording)
    assert peak_db(public.path, 1.5, 2.4) < -70  # the name is silent
    assert peak_db(public.path, 2.55, 2.85) > -30  # "came" keeps its sound
    assert peak_db(public.path, 1.25, 1.35) > -30  # and so does "is"


def test_the_phrase_form_no_longer_pads_into_the_neighbouring_words(redactable):
    _, _, segment = redactable
    redaction = redact(segment, "Grace Okafer")
    assert redaction.start == 1.4 and redaction.end == 2.5  # neighbours touch: no room


def test_removing_a_redaction_restores_the_words_everywhere(
    redactable, django_capture_on_commit_callbacks, client
):
    from search import services
    from search.indexing import apply_pending

    recording, transcript, segment = redactable
    grace, okafer = segment.words.get(word="Grace"), segment.words.get(word="Okafer")
    with django_capture_on_commit_callbacks(execute=True):
        redaction = editing.redact_words(grace, okafer, None, "her name")
    apply_pending()
    assert services.search({"q": "Okafer"}).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        editing.remove_redaction(redaction)
    apply_pending()
    assert services.search({"q": "Okafer"}).total == 1
    vtt = client.get(f"/recordings/{recording.key}/captions/transcribe.vtt").content.decode()
    assert "Grace Okafer came" in " ".join(vtt.split())
    assert public_media_file(recording) == recording.rendition
    assert not Redaction.objects.exists()


# --- the screen ---------------------------------------------------------------------


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def test_the_editor_screen_shows_timed_words_the_player_and_shortcuts(redactable, editor_client):
    recording, transcript, segment = redactable
    page = editor_client.get(reverse("transcription_editor", args=[transcript.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-start="1.400" data-end="1.900">Grace</button>' in html
    media_url = reverse("transcription_editor_media", args=[transcript.pk])
    assert f'src="{media_url}"' in html and "Back 5 seconds" in html
    for linking in (
        reverse("transcripts:index"),
        reverse("transcripts:inspect", args=[transcript.pk]),
    ):
        html = editor_client.get(linking).content.decode()
        assert reverse("transcription_editor", args=[transcript.pk]) in html, linking


def test_the_editors_player_is_the_unredacted_rendition_for_editors_only(redactable, editor_client):
    from django.test import Client

    recording, transcript, segment = redactable
    url = reverse("transcription_editor_media", args=[transcript.pk])
    redact(segment, "Grace Okafer")
    response = editor_client.get(url)
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served == recording.rendition.open("rb").read()
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_saving_a_segment_by_form_corrects_splits_and_merges(redactable, editor_client):
    _, transcript, segment = redactable
    url = reverse("transcription_editor_segment", args=[segment.pk])
    text = "Her name is Grace Okafor came here."
    editor_client.post(url, {"text": text, "speaker": "Teller", "action": "split", "caret": "25"})
    first, second = transcript.segments.order_by("start")
    assert (first.text, first.speaker) == ("Her name is Grace Okafor", "Teller")
    assert second.text == "came here."
    editor_client.post(url, {"text": first.text, "speaker": "Teller", "action": "merge"})
    assert transcript.segments.get().text == text


def test_a_redaction_made_on_the_screen_is_listed_with_its_time_and_can_be_removed(
    redactable, editor_client, django_capture_on_commit_callbacks
):
    recording, transcript, segment = redactable
    grace, okafer = segment.words.get(word="Grace"), segment.words.get(word="Okafer")
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("transcription_editor_redact", args=[transcript.pk]),
            {"first": grace.pk, "last": okafer.pk, "reason": "her name"},
        )
    html = editor_client.get(reverse("transcription_editor", args=[transcript.pk])).content
    assert "0:01.4–0:02.5" in html.decode()
    assert html.decode().count('<span class="w-sr-only"> (redacted)</span>') == 2
    # The editor links to the story's redactions in the searchable list.
    story = recording.consent_stories[0]
    of_story = f"?segment__transcript__recording__story_links__story={story.pk}"
    assert of_story in html.decode()
    listing = editor_client.get(reverse("redactions:index") + of_story + "&q=Grace")
    assert "Grace Okafer" in listing.content.decode()
    redaction = Redaction.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("transcription_editor_unredact", args=[redaction.pk]))
    assert not Redaction.objects.exists()


def test_deleting_a_redaction_in_the_redactions_list_remakes_the_public_rendition(
    redactable, editor_client, django_capture_on_commit_callbacks
):
    recording, _, segment = redactable
    with django_capture_on_commit_callbacks(execute=True):
        redaction = redact(segment, "Grace Okafer")
    assert public_media_file(recording) != recording.rendition
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("redactions:delete", args=[redaction.pk]))
    assert not Redaction.objects.exists()
    assert public_media_file(recording) == recording.rendition


def test_the_waveform_is_drawn_from_the_recordings_peaks(redactable, editor_client):
    from transcription import waveform

    recording, transcript, _ = redactable
    values = waveform.peaks(recording)
    # The factory's tone is steady: every slice of the 4 seconds is loud.
    assert len(values) == waveform.BUCKETS and min(values) > 0.05  # ffmpeg's tone is at 1/8
    html = editor_client.get(reverse("transcription_editor", args=[transcript.pk])).content
    assert b'aria-label="Waveform of the recording' in html
