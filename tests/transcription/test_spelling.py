"""English transcripts and captions are saved with British spellings ("neighbours"), from a
kept spelling map (Whisper's, turned round), unless TRANSCRIPTION_BRITISH_SPELLING is off; a
segment a person corrected is never changed, and other languages are left alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import webvtt

from tests.transcription.conftest import engine_result, speech, transcribed_story
from transcription import spelling
from transcription.engines.base import SegmentResult, TranscriptResult, WordResult
from transcription.models import Segment, Transcript
from transcription.running import save_result

BRITISH_SENTENCES = [
    "Our neighbours brought food when the windows of the shop were broken.",
    "The community centre became the place where we could talk about it.",
]


def result(text, language="en", start=0.0):
    """An engine result of one segment whose words are `text` split on spaces, as Whisper
    gives them (a leading space, punctuation attached)."""
    tokens = text.split(" ")
    words = [
        WordResult(start + i * 0.5, start + i * 0.5 + 0.4, f" {token}", 0.9)
        for i, token in enumerate(tokens)
    ]
    segment = SegmentResult(start, start + len(tokens) * 0.5, text, words)
    return TranscriptResult("FasterWhisperEngine", "base", language, "transcribe", 30.0, [segment])


def test_american_words_are_written_the_british_way_keeping_case_and_punctuation():
    assert spelling.british("Our neighbors' color, the Center; GRAY!") == (
        "Our neighbours' colour, the Centre; GREY!"
    )
    quoted = spelling.british("color-blind (colors) “favorite”")
    assert quoted == "colour-blind (colours) “favourite”"
    assert spelling.british("We organized it. Organize!") == "We organised it. Organise!"


def test_words_that_are_british_too_are_left_alone():
    # "story" (storey), "check" (cheque), "tire" (tyre), "program", "practice", "license":
    # each is also a British word with its own meaning, so the map never changes it.
    text = "The story of the check, the tire, the program, the practice and the license."
    assert spelling.british(text) == text


def test_mixed_case_words_are_left_as_written():
    assert spelling.british("McColor and colorWay") == "McColor and colorWay"


def test_the_map_holds_only_whisper_pairs_turned_round():
    whisper = json.loads(spelling.WHISPER_MAP.read_text())
    pairs = spelling.british_spellings()
    assert len(pairs) == 1578  # the count README gives
    assert all(whisper[british] == american for american, british in pairs.items())
    assert pairs["neighbors"] == "neighbours" and pairs["center"] == "centre"
    assert "anesthetize" not in pairs  # two British forms listed: neither is chosen
    assert "Whisper" in json.loads(spelling.BRITISH_MAP.read_text())["source"]


def test_build_map_drops_one_to_many_words_that_are_both_and_reversed_variants():
    whisper = {
        "colour": "color",
        "storey": "story",  # "story" is a British word too
        "anaesthetise": "anesthetize",
        "anaesthetize": "anesthetize",  # two British forms for one American
        "cancelation": "cancellation",  # American variant → the common form
        "flyer / flier": "flier / flyer",
    }
    british_words = {"colour", "story", "storey", "cancellation", "anaesthetise"}
    american_words = {"color", "story", "cancelation", "cancellation", "anesthetize"}
    assert spelling.build_map(whisper, british_words, american_words) == {"color": "colour"}


@pytest.mark.django_db
def test_saved_segment_and_word_texts_are_british_alike(recording_transcript):
    save_result(recording_transcript, result("Our neighbors' favorite color."), "sum")
    segment = recording_transcript.segments.get()
    assert segment.text == "Our neighbours' favourite colour."
    words = [word.word for word in segment.words.order_by("start")]
    assert words == ["Our", "neighbours'", "favourite", "colour."]
    assert " ".join(words) == segment.text  # word timings still match the text


@pytest.mark.django_db
def test_turning_the_setting_off_keeps_american_spellings(recording_transcript, settings):
    settings.TRANSCRIPTION_BRITISH_SPELLING = False
    save_result(recording_transcript, result("Our neighbors' favorite color."), "sum")
    segment = recording_transcript.segments.get()
    assert segment.text == "Our neighbors' favorite color."
    assert [w.word for w in segment.words.order_by("start")][1] == "neighbors'"


@pytest.mark.parametrize("value, expected", [(None, "True"), ("false", "False")])
def test_the_setting_is_on_unless_the_environment_turns_it_off(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "TRANSCRIPTION_BRITISH_SPELLING"}
    if value is not None:
        env["TRANSCRIPTION_BRITISH_SPELLING"] = value
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    code = "from django.conf import settings; print(settings.TRANSCRIPTION_BRITISH_SPELLING)"
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == expected


@pytest.mark.django_db
def test_other_languages_are_left_alone(recording_transcript):
    save_result(recording_transcript, result("color center", language="fr"), "sum")
    assert recording_transcript.segments.get().text == "color center"


@pytest.mark.django_db
def test_a_corrected_segment_is_never_changed(recording_transcript):
    save_result(recording_transcript, result("The color of the door."), "sum")
    corrected = recording_transcript.segments.get()
    Segment.objects.filter(pk=corrected.pk).update(text="The color of the door.", corrected=True)
    rerun = result("The color of the door.")
    rerun.segments.append(SegmentResult(10.0, 12.0, "A gray sky.", []))
    save_result(recording_transcript, rerun, "sum")
    texts = [s.text for s in recording_transcript.segments.order_by("start")]
    assert texts == ["The color of the door.", "A grey sky."]


@pytest.fixture
def recording_transcript(media_root):
    from tests.factories import make_recording

    recording = make_recording(speech("Hello."), title="Spelling")
    return Transcript.objects.create(recording=recording)


@pytest.mark.slow
@pytest.mark.django_db
def test_a_real_transcript_and_its_captions_say_neighbours(whisper_models, media_root, client):
    path = speech(BRITISH_SENTENCES, gap=0.8)
    machine = engine_result(path).text.lower()
    assert "neighbors" in machine and "center" in machine  # Whisper writes American
    _, recording, transcript = transcribed_story(path)
    text = " ".join(s.text for s in transcript.segments.order_by("start")).lower()
    assert "neighbours" in text and "centre" in text and "neighbors" not in text
    words = " ".join(w.word for s in transcript.segments.all() for w in s.words.all()).lower()
    assert "neighbours" in words and "centre" in words
    response = client.get(f"/recordings/{recording.key}/captions/transcribe.vtt")
    cues = " ".join(c.text for c in webvtt.from_string(response.content.decode())).lower()
    assert "neighbours" in cues and "centre" in cues and "neighbors" not in cues
