"""The engine interface: one abstract method, `supports_*` flags, settings-driven.

An engine turns 16 kHz mono samples into segments with word timings. Decoding, chunking,
language detection across chunks and progress reporting are shared here, so every engine
behaves the same on long files."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import ImproperlyConfigured

from .. import audio, modelstore

Progress = Callable[[float], None]


@dataclass
class WordResult:
    start: float
    end: float
    word: str
    probability: float


@dataclass
class SegmentResult:
    start: float
    end: float
    text: str
    words: list[WordResult] = field(default_factory=list)


@dataclass
class ChunkResult:
    language: str
    segments: list[SegmentResult]


@dataclass
class TranscriptResult:
    engine: str
    model: str
    language: str
    task: str
    duration: float
    segments: list[SegmentResult]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)


class TranscriptionEngine(ABC):
    supports_word_timestamps = True
    supports_translation = True

    def __init__(self, alias: str, params: dict[str, Any]):
        self.alias = alias
        self.model_name = params.get("MODEL", "base")
        if self.model_name not in modelstore.MODELS:
            known = ", ".join(modelstore.MODELS)
            raise ImproperlyConfigured(
                f"TRANSCRIPTION_ENGINES[{alias!r}]['MODEL'] is {self.model_name!r}; "
                f"use one of {known}"
            )
        self.options = dict(params.get("OPTIONS", {}))
        self.multilingual = modelstore.MODELS[self.model_name].multilingual
        self.supports_translation = self.multilingual
        self._model: Any = None
        self._model_lock = threading.Lock()

    @property
    def name(self) -> str:
        return type(self).__name__

    def model_path(self) -> Path:
        """The verified model directory (raises modelstore.ModelError with the fix if not)."""
        return modelstore.verify(self.model_name)

    @property
    def model(self) -> Any:
        """The Whisper model, loaded on first use and kept: loading the weights costs a
        second or more. One load even if two threads ask at once."""
        with self._model_lock:
            if self._model is None:
                self._model = self.load_model()
            return self._model

    @abstractmethod
    def load_model(self) -> Any:
        """Load this engine's Whisper model from the local weights (never the network)."""

    @abstractmethod
    def transcribe_samples(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        task: str,
        tick: Progress | None = None,
    ) -> ChunkResult:
        """Transcribe one chunk; times are seconds from the start of the chunk.

        `tick(seconds)` may be called as decoding passes a point in the chunk."""

    def transcribe(
        self,
        path: str | Path,
        *,
        language: str | None = None,
        task: str = "transcribe",
        progress: Progress | None = None,
    ) -> TranscriptResult:
        if task == "translate" and not self.supports_translation:
            raise ValueError(f"Whisper {self.model_name} is English-only and cannot translate")
        if not self.multilingual:
            language = "en"
        duration = audio.probe_duration(path)
        segments: list[SegmentResult] = []
        for chunk in audio.decode_chunks(path):
            tick = _ticker(progress, chunk.offset, duration)
            result = self.transcribe_samples(chunk.samples, language=language, task=task, tick=tick)
            language = language or result.language  # detect once, from the first chunk
            segments += [_shift(segment, chunk.offset) for segment in result.segments]
            if tick:
                tick(len(chunk.samples) / audio.SAMPLE_RATE)
        return TranscriptResult(
            engine=self.name,
            model=self.model_name,
            language=language or "en",
            task=task,
            duration=duration,
            segments=[s for s in segments if s.text.strip()],
        )


def _ticker(progress: Progress | None, offset: float, duration: float) -> Progress | None:
    if progress is None or not duration:
        return None
    return lambda seconds: progress(min(1.0, (offset + seconds) / duration))


def _shift(segment: SegmentResult, offset: float) -> SegmentResult:
    words = [
        WordResult(round(w.start + offset, 3), round(w.end + offset, 3), w.word, w.probability)
        for w in segment.words
    ]
    start, end = round(segment.start + offset, 3), round(segment.end + offset, 3)
    return SegmentResult(start, end, segment.text.strip(), words)
