"""openai-whisper: the reference engine, running the same weights as faster-whisper through
a checkpoint made by `manage.py convert_whisper_to_openai`. Needs the `openai` extra."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .. import modelstore
from .base import ChunkResult, Progress, SegmentResult, TranscriptionEngine, WordResult


def checkpoint_path(model_name: str) -> Path:
    return modelstore.models_root() / f"whisper-{model_name}-openai.pt"


class OpenAIWhisperEngine(TranscriptionEngine):
    def load_model(self) -> Any:
        try:
            import torch
            from whisper.model import ModelDimensions, Whisper
        except ImportError as error:
            raise modelstore.ModelError(
                "openai-whisper is not installed: pip install -c requirements/constraints.txt "
                "'.[openai]'"
            ) from error
        path = checkpoint_path(self.model_name)
        if not path.is_file():
            raise modelstore.ModelError(
                f"{path} is missing: run `python manage.py convert_whisper_to_openai "
                f"--model {self.model_name}`"
            )
        threads = int(self.options.get("CPU_THREADS", 0)) or os.cpu_count() or 1
        torch.set_num_threads(threads)
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        model = Whisper(ModelDimensions(**checkpoint["dims"]))
        model.load_state_dict({k: v.float() for k, v in checkpoint["model_state_dict"].items()})
        heads = torch.zeros(model.dims.n_text_layer, model.dims.n_text_head, dtype=torch.bool)
        for layer, head in checkpoint.get("alignment_heads", []):
            heads[layer, head] = True
        if heads.any():  # the same heads faster-whisper uses for word timings
            model.register_buffer("alignment_heads", heads.to_sparse(), persistent=False)
        return model.eval()

    def transcribe_samples(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        task: str,
        tick: Progress | None = None,
    ) -> ChunkResult:
        import whisper

        result = whisper.transcribe(
            self.model,
            samples,
            language=language,
            task=task,
            word_timestamps=True,
            fp16=False,
            beam_size=int(self.options.get("BEAM_SIZE", 5)),
            best_of=5,
            verbose=None,
        )
        return ChunkResult(result["language"], [_segment(s) for s in result["segments"]])


def _segment(segment: dict[str, Any]) -> SegmentResult:
    words = [
        WordResult(float(w["start"]), float(w["end"]), w["word"], float(w["probability"]))
        for w in segment.get("words", [])
    ]
    return SegmentResult(float(segment["start"]), float(segment["end"]), segment["text"], words)
