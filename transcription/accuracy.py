"""How close a transcript is to what was said: the word error rate, shared by the tests and
bench/transcription.py so both measure the same way.

Two scores. `word_error_rate` is raw: lower-case words with punctuation dropped, so "30" for
"thirty" or "neighbors" for "neighbours" count as errors. `normalised_word_error_rate` first
applies Whisper's own English text normaliser (transcription/normalizer.py, vendored from
openai-whisper): numbers become digits, British and American spelling variants become one
spelling, contractions are expanded and fillers dropped, as Whisper's published word error
rates are scored. The archive's British spelling option (transcription/spelling.py) therefore
never changes the normalised score."""

from __future__ import annotations

import re
from functools import cache

from .normalizer import EnglishTextNormalizer


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped (apostrophes kept: "don't" is one word)."""
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def normalised_words(text: str) -> list[str]:
    """The words after Whisper's English text normalisation."""
    return _normaliser()(text).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance (substitutions, insertions, deletions) over the reference
    length; 0.0 is a perfect transcript."""
    return _edit_rate(words(reference), words(hypothesis))


def normalised_word_error_rate(reference: str, hypothesis: str) -> float:
    """The word error rate after Whisper's English text normalisation of both texts."""
    return _edit_rate(normalised_words(reference), normalised_words(hypothesis))


def _edit_rate(ref: list[str], hyp: list[str]) -> float:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / max(1, len(ref))


@cache
def _normaliser() -> EnglishTextNormalizer:
    return EnglishTextNormalizer()  # reads the 1,739-entry spelling map once
