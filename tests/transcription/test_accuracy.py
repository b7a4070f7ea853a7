"""The word error rate is scored raw and after Whisper's English text normalisation: spoken
numbers written as digits and British or American spellings are not errors in the second."""

import pytest

from transcription.accuracy import normalised_word_error_rate, word_error_rate

SAID = "Our neighbours brought food. My mother worked there for thirty years."


def test_a_perfect_transcript_scores_zero_both_ways():
    assert word_error_rate(SAID, SAID.upper()) == 0.0
    assert normalised_word_error_rate(SAID, SAID.upper()) == 0.0


def test_digits_and_american_spellings_count_raw_but_not_normalised():
    written = "our neighbors brought food, my mother worked there for 30 years"
    assert word_error_rate(SAID, written) == pytest.approx(2 / 11)
    assert normalised_word_error_rate(SAID, written) == 0.0


def test_a_wrong_word_counts_both_ways():
    heard = "Our neighbours bought food. My mother worked there for thirty years."
    assert word_error_rate(SAID, heard) == pytest.approx(1 / 11)
    assert normalised_word_error_rate(SAID, heard) == pytest.approx(1 / 11)


def test_insertions_and_deletions_count():
    assert word_error_rate("one two three", "one three") == pytest.approx(1 / 3)
    assert normalised_word_error_rate("the cat sat", "the cat sat down") == pytest.approx(1 / 3)
    assert normalised_word_error_rate("", "") == 0.0
