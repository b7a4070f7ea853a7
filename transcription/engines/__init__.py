"""Transcription engines, chosen by settings.TRANSCRIPTION_ENGINES like Wagtail search backends:

    TRANSCRIPTION_ENGINES = {
        "default": {"ENGINE": "transcription.engines.faster.FasterWhisperEngine", "MODEL": "base"},
    }

`get_engine()` returns the default; `get_engine("openai", MODEL="tiny.en")` overrides a key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import TranscriptionEngine

DEFAULT_ENGINES = {
    "default": {"ENGINE": "transcription.engines.faster.FasterWhisperEngine", "MODEL": "base"},
}


def engine_settings() -> dict[str, dict[str, Any]]:
    return getattr(settings, "TRANSCRIPTION_ENGINES", DEFAULT_ENGINES)


def get_engine(alias: str = "default", **overrides: Any) -> TranscriptionEngine:
    engines = engine_settings()
    if alias not in engines:
        raise ImproperlyConfigured(
            f"No transcription engine {alias!r} in TRANSCRIPTION_ENGINES ({', '.join(engines)})"
        )
    params = {**engines[alias], **{k: v for k, v in overrides.items() if v is not None}}
    # Cached per configuration: loading Whisper weights costs a second or more, and a worker
    # transcribes many recordings with the same engine.
    key = (alias, repr(sorted(params.items())))
    if key not in _engines:
        _engines[key] = _load(alias, params)
    return _engines[key]


_engines: dict[tuple[str, str], TranscriptionEngine] = {}


def _load(alias: str, params: dict[str, Any]) -> TranscriptionEngine:
    if "ENGINE" not in params:
        raise ImproperlyConfigured(f"TRANSCRIPTION_ENGINES[{alias!r}] has no 'ENGINE'")
    try:
        engine_class = import_string(params["ENGINE"])
    except ImportError as error:
        raise ImproperlyConfigured(
            f"TRANSCRIPTION_ENGINES[{alias!r}]['ENGINE'] cannot be imported: {error}"
        ) from error
    engine: TranscriptionEngine = engine_class(alias, params)
    return engine
