"""Captions from transcript passages, following common subtitle practice (issue 4):
at most 2 lines a cue, at most 42 characters a line, cues of about 1 to 7 seconds, no
overlaps. WebVTT is written by webvtt-py. SRT is written here: webvtt-py's SRT writer strips
anything that looks like a cue tag, so a transcript's "<...>" would silently vanish. Plain
text and JSON are written here too.

Everything public goes through `Passage`, so the redacted text is the only text a
renderer ever sees."""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field

import webvtt

MAX_CHARS = 42
MAX_LINES = 2
MIN_SECONDS = 1.0
MAX_SECONDS = 7.0
FORMATS = ["vtt", "srt", "txt", "json"]
CONTENT_TYPES = {
    "vtt": "text/vtt; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
}


@dataclass
class Passage:
    start: float
    end: float
    text: str
    speaker: str = ""
    # (start, end, word) per word of `text` (realigned when an editor corrects the text,
    # transcription.editing); when they do not match the text, times are spread over it.
    words: list[tuple[float, float, str]] = field(default_factory=list)


@dataclass
class Cue:
    start: float
    end: float
    lines: list[str]
    speaker: str = ""


def from_result(result) -> list[Passage]:
    """Passages straight from an engine's result (the transcribe command)."""
    return [
        Passage(s.start, s.end, s.text, words=[(w.start, w.end, w.word.strip()) for w in s.words])
        for s in result.segments
    ]


def timed_tokens(passage: Passage) -> list[tuple[float, float, str]]:
    tokens = passage.text.split()
    words = [w for w in passage.words if w[2]]
    if words and [w[2] for w in words] == tokens:
        return words
    total = sum(len(t) + 1 for t in tokens) or 1
    span, done, timed = passage.end - passage.start, 0, []
    for token in tokens:
        start = passage.start + span * done / total
        done += len(token) + 1
        timed.append((start, passage.start + span * done / total, token))
    return timed


def wrap(text: str) -> list[str] | None:
    """Split into at most 2 balanced lines of <= 42 characters, or None if it cannot fit."""
    if len(text) <= MAX_CHARS:
        return [text]
    spaces = [i for i, c in enumerate(text) if c == " "]
    fits = [i for i in spaces if i <= MAX_CHARS and len(text) - i - 1 <= MAX_CHARS]
    if not fits:
        return None
    best = min(fits, key=lambda i: abs(len(text) - 2 * i))
    return [text[:best], text[best + 1 :]]


def build_cues(passages: list[Passage]) -> list[Cue]:
    cues: list[Cue] = []
    for passage in sorted(passages, key=lambda p: p.start):
        for cue in _passage_cues(passage):
            cue.speaker = passage.speaker
            cues.append(cue)
    return _fix_timing(cues)


def _passage_cues(passage: Passage) -> list[Cue]:
    cues, current = [], []
    # The first cue leaves room for "Teller: ", which SRT writes when the speaker changes.
    label = _label(passage.speaker)
    for token in timed_tokens(passage):
        candidate = current + [token]
        text = ("" if cues else label) + " ".join(t[2] for t in candidate)
        too_long = wrap(text) is None or token[1] - candidate[0][0] > MAX_SECONDS
        if current and too_long:
            cues.append(_cue(current))
            current = [token]
        else:
            current = candidate
        # End a cue at a sentence end once it has been on screen long enough to read.
        if token[2][-1] in ".?!" and current[-1][1] - current[0][0] >= MIN_SECONDS:
            cues.append(_cue(current))
            current = []
    if current:
        cues.append(_cue(current))
    return cues


def _cue(tokens) -> Cue:
    text = " ".join(t[2] for t in tokens)
    return Cue(tokens[0][0], tokens[-1][1], wrap(text) or [text])


def _fix_timing(cues: list[Cue]) -> list[Cue]:
    for i, cue in enumerate(cues):
        if i:
            cue.start = max(cue.start, cues[i - 1].end)  # no overlaps
        limit = cues[i + 1].start if i + 1 < len(cues) else float("inf")
        # Stretch short cues to about a second, without running into the next one.
        cue.end = min(max(cue.end, cue.start + MIN_SECONDS), cue.start + MAX_SECONDS)
        cue.end = max(min(cue.end, limit), cue.start + 0.1)
        cue.start, cue.end = round(cue.start, 3), round(cue.end, 3)
    return cues


def render(passages: list[Passage], fmt: str) -> str:
    if fmt in ("vtt", "srt"):
        return _subtitles(build_cues(passages), fmt)
    if fmt == "txt":
        return "".join(_plain_line(p) + "\n" for p in passages)
    if fmt == "json":
        return json.dumps({"segments": [_json_passage(p) for p in passages]}, indent=1) + "\n"
    raise ValueError(f"Unknown caption format {fmt!r}; use one of {', '.join(FORMATS)}")


def _subtitles(cues: list[Cue], fmt: str) -> str:
    if fmt == "srt":
        return "\n".join(
            f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n"
            + "\n".join(_srt_lines(c, cues[i - 2] if i > 1 else None))
            + "\n"
            for i, c in enumerate(cues, 1)
        )
    # WebVTT cue text is markup: escape &, < and > (a transcript may contain "R&B").
    captions = [webvtt.Caption(_stamp(c.start), _stamp(c.end), _vtt_lines(c)) for c in cues]
    out = io.StringIO()
    webvtt.WebVTT(captions=captions).write(out)
    return out.getvalue().rstrip("\n") + "\n"


def _vtt_lines(cue: Cue) -> list[str]:
    """The cue's lines as markup; a speaker as a voice tag, <v Teller>...</v>."""
    lines = [html.escape(line, quote=False) for line in cue.lines]
    speaker = html.escape(" ".join(cue.speaker.split()), quote=False)
    if speaker:
        lines[0] = f"<v {speaker}>{lines[0]}"
        lines[-1] += "</v>"
    return lines


def _srt_lines(cue: Cue, previous: Cue | None) -> list[str]:
    """SRT has no voices: "Teller: " starts the first cue of each speaker's turn."""
    if cue.speaker and (previous is None or previous.speaker != cue.speaker):
        text = _label(cue.speaker) + " ".join(cue.lines)
        return wrap(text) or [text]
    return cue.lines


def _label(speaker: str) -> str:
    return f"{speaker}: " if speaker else ""


def _stamp(seconds: float, separator: str = ".") -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{separator}{rest % 1000:03d}"


def _plain_line(passage: Passage) -> str:
    return f"{passage.speaker}: {passage.text}" if passage.speaker else passage.text


def _json_passage(passage: Passage) -> dict:
    words = [{"start": s, "end": e, "word": w} for s, e, w in timed_tokens(passage)]
    return {
        "start": passage.start,
        "end": passage.end,
        "speaker": passage.speaker,
        "text": passage.text,
        "words": words,
    }
