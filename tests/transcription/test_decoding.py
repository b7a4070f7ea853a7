"""Decoding: the default is chosen by issue 14's rule (beam search unless a measured comparison
shows greedy within 0.5 normalised WER points), every engine in settings decodes the same way,
and the default transcribes known speech accurately, scored raw and after Whisper's own
English normalisation."""

import pytest
from django.conf import settings as project_settings

from bench.transcription import GREEDY_MARGIN_POINTS, RUNS, decoding_rule
from tests.transcription.conftest import SENTENCES, speech
from transcription.accuracy import normalised_word_error_rate, word_error_rate
from transcription.engines import get_engine


def measured(greedy, beam, noisy_greedy=None, noisy_beam=None):
    """Bench results with these normalised WERs (fractions) and CPU-seconds of 50 and 70."""

    def run(wer, cpu):
        return {"wer": wer, "wer_normalised": wer, "cpu_seconds": cpu}

    results = {"faster-base-greedy": run(greedy, 50.0), "faster-base": run(beam, 70.0)}
    if noisy_greedy is not None:
        results["faster-base-greedy@noisy"] = run(noisy_greedy, 55.0)
        results["faster-base@noisy"] = run(noisy_beam, 80.0)
    return results


def test_the_rule_keeps_beam_search_unless_greedy_is_within_half_a_point():
    assert GREEDY_MARGIN_POINTS == 0.5
    assert decoding_rule(measured(0.043, 0.031, 0.043, 0.031)) == "faster-base"
    assert decoding_rule(measured(0.034, 0.031, 0.034, 0.031)) == "faster-base-greedy"
    assert decoding_rule(measured(0.0458, 0.0458, 0.0458, 0.0458)) == "faster-base-greedy"


def test_greedy_must_hold_on_noisy_speech_too():
    assert decoding_rule(measured(0.04, 0.04, noisy_greedy=0.09, noisy_beam=0.07)) == (
        "faster-base"
    )
    assert decoding_rule(measured(0.04, 0.04, noisy_greedy=0.072, noisy_beam=0.07)) == (
        "faster-base-greedy"
    )
    # Clean speech alone, where greedy and beam 5 wrote the same text, decides nothing.
    assert decoding_rule(measured(0.0458, 0.0458)) is None


def test_the_default_follows_the_measured_comparison():
    # `make bench-transcription` on 1 Dec 2026 (the figures in the settings comment): clean
    # speech 4.58% both ways; the noisy copy 11.60% greedy, 9.92% beam 5.
    choice = decoding_rule(measured(0.0458, 0.0458, noisy_greedy=0.1160, noisy_beam=0.0992))
    assert choice == "faster-base"
    beam = project_settings.TRANSCRIPTION_ENGINES["default"]["OPTIONS"]["BEAM_SIZE"]
    assert RUNS[choice][2] == {"BEAM_SIZE": beam}


def test_every_engine_in_settings_decodes_as_the_default_does():
    engines = project_settings.TRANSCRIPTION_ENGINES
    beams = {
        alias: engine.get("OPTIONS", {}).get("BEAM_SIZE", 5) for alias, engine in engines.items()
    }
    assert set(beams) == {"default", "faster", "openai"}
    assert len(set(beams.values())) == 1, beams


def test_the_default_is_a_run_the_bench_measures():
    default = project_settings.TRANSCRIPTION_ENGINES["default"]
    beam = default["OPTIONS"]["BEAM_SIZE"]
    name = "faster-base-greedy" if beam == 1 else "faster-base"
    assert RUNS[name] == (default["ENGINE"], default["MODEL"], {"BEAM_SIZE": beam})


def test_the_engine_decodes_with_the_beam_size_in_settings(settings, whisper_models):
    settings.TRANSCRIPTION_ENGINES = {
        "default": {
            "ENGINE": "transcription.engines.faster.FasterWhisperEngine",
            "MODEL": "tiny.en",
            "OPTIONS": {"BEAM_SIZE": 3},
        }
    }
    assert get_engine().decoding_options()["beam_size"] == 3


@pytest.mark.slow
def test_the_default_engine_transcribes_known_speech_accurately(whisper_models):
    said = " ".join(SENTENCES)
    text = get_engine().transcribe(speech(SENTENCES, gap=0.8), language="en").text
    assert normalised_word_error_rate(said, text) <= 0.05, text
    assert word_error_rate(said, text) <= 0.1, text
