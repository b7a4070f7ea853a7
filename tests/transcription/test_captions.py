"""Caption files follow common subtitle practice: at most 2 lines of about 42 characters,
cues of about 1 to 7 seconds, never overlapping; SRT, TXT and JSON carry the same words."""

import json

import webvtt

from transcription import captions
from transcription.captions import Passage

LONG = (
    "When we moved to the street the neighbours would not speak to us, and for a long time "
    "my children were afraid to play outside. Things changed slowly, when the school started "
    "a project about where our families came from, and people began to ask us questions."
)


def passages():
    return [
        Passage(0.0, 21.0, LONG, speaker="Interviewer"),
        Passage(21.0, 21.3, "Yes."),  # shorter than a second
        Passage(21.5, 24.0, "R&B <and> soul music."),
    ]


def read_vtt(text):
    return webvtt.from_string(text)


def test_vtt_cues_fit_two_lines_of_42_characters():
    vtt = read_vtt(captions.render(passages(), "vtt"))
    assert len(vtt) > 4
    for cue in vtt:
        assert 1 <= len(cue.lines) <= 2
        shown = cue.text.split("\n")  # without the voice tag, <v Interviewer>, not shown
        assert all(len(line) <= 42 for line in shown), cue.lines


def test_vtt_cues_last_one_to_seven_seconds_and_never_overlap():
    vtt = read_vtt(captions.render(passages(), "vtt"))
    previous_end = 0.0
    for cue in vtt:
        start, end = _seconds(cue.start), _seconds(cue.end)
        assert start >= previous_end - 1e-6
        assert end - start <= 7.0 + 1e-6
        previous_end = end
    durations = [_seconds(c.end) - _seconds(c.start) for c in vtt]
    # Every cue but one squeezed by its neighbour reaches about a second.
    assert sum(d < 0.95 for d in durations) <= 1


def test_vtt_escapes_markup_and_srt_does_not():
    vtt_text = captions.render(passages(), "vtt")
    assert "R&amp;B &lt;and&gt; soul music." in vtt_text
    assert "R&B <and> soul music." in captions.render(passages(), "srt")


def test_every_format_carries_every_word():
    reference = " ".join(p.text for p in passages()).split()
    vtt = " ".join(c.text.replace("\n", " ") for c in read_vtt(captions.render(passages(), "vtt")))
    srt_text = captions.render(passages(), "srt")
    txt = captions.render(passages(), "txt")
    data = json.loads(captions.render(passages(), "json"))
    assert vtt.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split() == reference
    srt_words = [
        w
        for line in srt_text.splitlines()
        if line and "-->" not in line and not line.isdigit()
        for w in line.split()
    ]
    assert srt_words == ["Interviewer:", *reference]  # SRT names the speaker as text
    assert txt.splitlines()[0].startswith("Interviewer: When we moved")
    assert [w["word"] for s in data["segments"] for w in s["words"]] == reference


def test_srt_lines_with_the_speakers_name_fit_42_characters():
    srt = captions.render(passages(), "srt")
    assert "Interviewer: When we moved" in srt
    assert all(len(line) <= 42 for line in srt.splitlines())


def test_srt_numbers_cues_with_comma_times():
    srt = captions.render(passages(), "srt")
    assert srt.startswith("1\n00:00:00,000 --> ")


def _seconds(stamp):
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
