"""faster-whisper: CTranslate2, int8 on the CPU. The default engine."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .base import ChunkResult, Progress, SegmentResult, TranscriptionEngine, WordResult

# Never reach for the Hugging Face hub: the weights come from packages (issue 4).
os.environ.setdefault("HF_HUB_OFFLINE", "1")


class FasterWhisperEngine(TranscriptionEngine):
    def load_model(self) -> Any:
        from faster_whisper import WhisperModel

        return WhisperModel(
            str(self.model_path()),
            device="cpu",
            compute_type=self.options.get("COMPUTE_TYPE", "int8"),
            cpu_threads=int(self.options.get("CPU_THREADS", 0)),
            local_files_only=True,
        )

    def decoding_options(
        self, *, language: str | None = None, task: str = "transcribe"
    ) -> dict[str, Any]:
        """faster-whisper's transcribe() arguments from OPTIONS: BEAM_SIZE 1 is greedy
        decoding; the default is chosen in settings by bench/transcription.py's comparison."""
        return {
            "language": language,
            "task": task,
            "beam_size": int(self.options.get("BEAM_SIZE", 5)),
            "word_timestamps": True,
            "vad_filter": bool(self.options.get("VAD_FILTER", False)),
        }

    def transcribe_samples(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        task: str,
        tick: Progress | None = None,
    ) -> ChunkResult:
        options = self.decoding_options(language=language, task=task)
        if self.options.get("BATCH_SIZE"):
            # Batched decoding of VAD-cut windows: measured in bench/transcription.py.
            from faster_whisper import BatchedInferencePipeline

            pipeline = BatchedInferencePipeline(self.model)
            options.update(vad_filter=True, batch_size=int(self.options["BATCH_SIZE"]))
            segments, info = pipeline.transcribe(samples, **options)
        else:
            segments, info = self.model.transcribe(samples, **options)
        results = []
        for segment in segments:  # a generator: decoding happens as we iterate
            results.append(_segment(segment))
            if tick:
                tick(segment.end)
        return ChunkResult(info.language, results)


def _segment(segment: Any) -> SegmentResult:
    words = [
        WordResult(float(w.start), float(w.end), w.word, float(w.probability))
        for w in segment.words or []
    ]
    return SegmentResult(float(segment.start), float(segment.end), segment.text, words)
