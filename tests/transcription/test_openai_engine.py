"""openai-whisper, the reference engine, runs the same weights (converted from the packaged
CTranslate2 files) and gives the same transcript as faster-whisper. Run by the
40-openai-whisper test stage, which installs the `openai` extra."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import webvtt

from tests.conftest import require_part
from tests.transcription.conftest import SENTENCES, engine_result, speech
from transcription.accuracy import word_error_rate as wer

pytestmark = [pytest.mark.openai, pytest.mark.slow]
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


@pytest.fixture
def openai_engine(whisper_models):
    from transcription.engines.openai import checkpoint_path

    require_part(importlib.util.find_spec("whisper"), "openai-whisper (the openai extra)")
    require_part(checkpoint_path("base").is_file(), "the converted openai-whisper checkpoint")
    from transcription.engines import get_engine

    return get_engine("openai")


def test_the_checkpoint_has_whisper_base_dimensions(openai_engine):
    import torch

    from transcription.engines.openai import checkpoint_path

    dims = torch.load(checkpoint_path("base"), weights_only=True)["dims"]
    assert dims["n_text_layer"] == dims["n_audio_layer"] == 6 and dims["n_vocab"] == 51865


def test_same_weights_same_words_as_faster_whisper(openai_engine):
    path = speech(SENTENCES, gap=0.8)
    reference = openai_engine.transcribe(path)
    faster = engine_result(path, model="base")
    assert reference.text == faster.text
    assert wer(" ".join(SENTENCES), reference.text) <= 0.2
    pairs = zip(
        [w for s in reference.segments for w in s.words],
        [w for s in faster.segments for w in s.words],
        strict=True,
    )
    assert all(abs(a.start - b.start) < 0.2 for a, b in pairs)


def test_the_command_uses_the_openai_engine(openai_engine):
    done = subprocess.run(
        [
            sys.executable,
            str(MANAGE),
            "transcribe",
            str(speech(SENTENCES[0])),
            "--engine",
            "openai",
            "--model",
            "tiny.en",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "OpenAIWhisperEngine tiny.en" in done.stderr
    assert wer(SENTENCES[0], " ".join(c.text for c in webvtt.from_string(done.stdout))) <= 0.3
