"""Engines are chosen by TRANSCRIPTION_ENGINES, like Wagtail's search backends; a wrong
setting is an ImproperlyConfigured error that says what to fix."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from transcription.engines import get_engine
from transcription.engines.faster import FasterWhisperEngine


def test_default_engine_is_faster_whisper_base(settings):
    engine = get_engine()
    assert isinstance(engine, FasterWhisperEngine)
    assert engine.model_name == "base" and engine.supports_translation


def test_model_can_be_overridden_to_tiny_en():
    engine = get_engine("default", MODEL="tiny.en")
    assert engine.model_name == "tiny.en" and not engine.supports_translation


@pytest.mark.parametrize(
    "engines, alias, message",
    [
        (
            {"default": {"ENGINE": "transcription.engines.faster.FasterWhisperEngine"}},
            "nope",
            "nope",
        ),
        ({"default": {"MODEL": "base"}}, "default", "no 'ENGINE'"),
        (
            {"default": {"ENGINE": "transcription.engines.missing.Engine"}},
            "default",
            "cannot be imported",
        ),
        (
            {
                "default": {
                    "ENGINE": "transcription.engines.faster.FasterWhisperEngine",
                    "MODEL": "large",
                }
            },
            "default",
            "'large'",
        ),
    ],
)
def test_bad_settings_are_improperly_configured(settings, engines, alias, message):
    settings.TRANSCRIPTION_ENGINES = engines
    with pytest.raises(ImproperlyConfigured, match=message):
        get_engine(alias)
