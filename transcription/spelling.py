"""British spellings in English transcripts: the archive is in England, Whisper writes American.

Whisper's results are saved with British spellings ("neighbours", not "neighbors") when the
setting TRANSCRIPTION_BRITISH_SPELLING is on (the default) and the recording's language is
English. Segment text and word texts are changed alike, word by word, so word timings still
match the text; case and punctuation are kept. Only new machine segments are changed: a
segment a person corrected or redacted is kept as it is (running.save_result).

The map is data/british-spellings.json, made by `build_map` from a kept list, not by hand:
Whisper's English spelling map (data/whisper-english.json, 1,739 British → American pairs
from tysto.com's UK/US spelling list, the map Whisper's normaliser uses) turned round, keeping
only its own pairs, and only where
- the American form is not also a British word, by SCOWL's british-english list (Debian's
  wbritish 2020.12.07): "story" (storey), "check" (cheque), "tire" (tyre), "program",
  "practice", "license", "install", "meter", "draft" and "jail" are left as written;
- the British form is not an American-only word (it is a variant the map writes the other
  way round);
- one American form has one British form ("anesthetize": "anaesthetise" and "anaesthetize"
  are both listed, so neither is written).
Rebuild it with `python -m transcription.spelling /usr/share/dict/british-english
/usr/share/dict/american-english` (Debian packages wbritish and wamerican)."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

from django.conf import settings

from .engines.base import SegmentResult

DATA = Path(__file__).resolve().parent / "data"
WHISPER_MAP = DATA / "whisper-english.json"
BRITISH_MAP = DATA / "british-spellings.json"
SOURCE = (
    "Whisper's English spelling map (openai-whisper whisper/normalizers/english.json, commit "
    "c0d2f624c09d, MIT licence; from tysto.com's UK/US spelling list) turned round by "
    "transcription.spelling.build_map, filtered by SCOWL's british-english and "
    "american-english word lists (Debian wbritish and wamerican 2020.12.07)"
)
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters: apostrophes, hyphens, digits split words


def wanted(language: str) -> bool:
    """British spellings are written for English transcripts while the setting is on."""
    return language == "en" and bool(getattr(settings, "TRANSCRIPTION_BRITISH_SPELLING", True))


def british(text: str) -> str:
    """`text` with American spellings in the map written the British way, keeping case
    ("Color" → "Colour", "COLOR" → "COLOUR") and everything that is not a mapped word."""
    return _WORD.sub(_british_word, text)


def british_segment(segment: SegmentResult) -> SegmentResult:
    """The segment with British spellings in its text and in each word's text alike."""
    words = [replace(word, word=british(word.word)) for word in segment.words]
    return replace(segment, text=british(segment.text), words=words)


def _british_word(match: re.Match[str]) -> str:
    word = match.group()
    spelling = british_spellings().get(word.lower())
    if spelling is None:
        return word
    if word.islower():
        return spelling
    if word.isupper():
        return spelling.upper()
    if word[0].isupper() and word[1:].islower():
        return spelling.capitalize()
    return word  # mixed case, as in a name ("McColor"): left as written


@cache
def british_spellings() -> dict[str, str]:
    """American → British, from the shipped map."""
    pairs: dict[str, str] = json.loads(BRITISH_MAP.read_text(encoding="utf-8"))["pairs"]
    return pairs


def build_map(
    whisper_map: dict[str, str], british_words: set[str], american_words: set[str]
) -> dict[str, str]:
    """American → British from Whisper's British → American map (see the module's note)."""
    candidates: dict[str, list[str]] = {}
    for british_form, american_form in whisper_map.items():
        if not (british_form.isalpha() and american_form.isalpha()):
            continue  # entries such as "flyer / flier" and stray markup are not words
        if american_form in british_words:
            continue  # a British word too ("story", "check"): changing it could be wrong
        if british_form in american_words and british_form not in british_words:
            continue  # an American-only variant written the other way round
        candidates.setdefault(american_form, []).append(british_form)
    return {american: forms[0] for american, forms in sorted(candidates.items()) if len(forms) == 1}


def _word_list(path: str) -> set[str]:
    return set(Path(path).read_text(encoding="utf-8").split())


def main(british_list: str, american_list: str) -> None:
    whisper_map = json.loads(WHISPER_MAP.read_text(encoding="utf-8"))
    pairs = build_map(whisper_map, _word_list(british_list), _word_list(american_list))
    document = {"source": SOURCE, "pairs": pairs}
    BRITISH_MAP.write_text(json.dumps(document, indent=0, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} of {len(whisper_map)} pairs written to {BRITISH_MAP}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
