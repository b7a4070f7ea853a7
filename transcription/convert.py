"""Convert CTranslate2 Whisper weights (model.bin) into an openai-whisper checkpoint, so the
reference engine runs the very same weights as faster-whisper (issue 4).

model.bin layout (ctranslate2/specs/model_spec.py `_serialize`): version, spec name,
revision, then (name, rank, dims, dtype id, byte count, bytes) per variable, then aliases."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def read_ct2(path: Path) -> dict[str, np.ndarray]:
    with path.open("rb") as f:
        _version, spec, _revision = _u(f, "I"), _s(f), _u(f, "I")
        if spec != "WhisperSpec":
            raise ValueError(f"{path} holds a {spec}, not a Whisper model")
        variables = {}
        for _ in range(_u(f, "I")):
            name, rank = _s(f), _u(f, "B")
            shape = [_u(f, "I") for _ in range(rank)]
            dtype, size = DTYPES[_u(f, "B")], _u(f, "I")
            variables[name] = np.frombuffer(f.read(size), dtype=dtype).reshape(shape)
        for _ in range(_u(f, "I")):
            alias, target = _s(f), _s(f)
            variables[alias] = variables[target]
    return variables


def _u(f: BinaryIO, fmt: str) -> int:
    return struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]


def _s(f: BinaryIO) -> str:
    return f.read(_u(f, "H"))[:-1].decode("utf-8")


# CTranslate2 name -> openai-whisper name, per layer. Attention projections are fused in
# CTranslate2 (q|k|v for self-attention, k|v for cross-attention) and split back here.
LAYER_NAMES = {
    "self_attention/layer_norm": "attn_ln",
    "attention/layer_norm": "cross_attn_ln",
    "ffn/layer_norm": "mlp_ln",
    "ffn/linear_0": "mlp.0",
    "ffn/linear_1": "mlp.2",
    "self_attention/linear_1": "attn.out",
    "attention/linear_0": "cross_attn.query",
    "attention/linear_2": "cross_attn.out",
}
TOP_NAMES = {
    "encoder/conv1": "encoder.conv1",
    "encoder/conv2": "encoder.conv2",
    "encoder/layer_norm": "encoder.ln_post",
    "decoder/layer_norm": "decoder.ln",
}
PARAM = {"weight": "weight", "bias": "bias", "gamma": "weight", "beta": "bias"}


def to_openai(ct2: dict[str, np.ndarray]) -> tuple[dict, dict[str, np.ndarray]]:
    state: dict[str, np.ndarray] = {
        "encoder.positional_embedding": ct2["encoder/position_encodings/encodings"],
        "decoder.positional_embedding": ct2["decoder/position_encodings/encodings"],
        "decoder.token_embedding.weight": ct2["decoder/embeddings/weight"],
    }
    for name, value in ct2.items():
        match = re.fullmatch(r"(encoder|decoder)/layer_(\d+)/(.+)/(\w+)", name)
        module, param = (name.rsplit("/", 1) + [""])[:2]
        if match:
            side, layer, part, param = match.groups()
            prefix = f"{side}.blocks.{layer}."
            if part == "self_attention/linear_0":
                _split(state, prefix + "attn.", ["query", "key", "value"], param, value)
            elif part == "attention/linear_1":
                _split(state, prefix + "cross_attn.", ["key", "value"], param, value)
            elif part in LAYER_NAMES:
                state[f"{prefix}{LAYER_NAMES[part]}.{PARAM[param]}"] = value
        elif module in TOP_NAMES:
            state[f"{TOP_NAMES[module]}.{PARAM[param]}"] = value
    return _dims(ct2), state


def _split(state, prefix, names, param, value):
    for name, part in zip(names, np.split(value, len(names)), strict=True):
        if name == "key" and param == "bias":
            continue  # Whisper's key projection has no bias; CTranslate2 stores zeros
        state[f"{prefix}{name}.{param}"] = part


def _dims(ct2) -> dict:
    def layers(side):
        return len({n.split("/")[1] for n in ct2 if re.match(rf"{side}/layer_\d+/", n)})

    return {
        "n_mels": int(ct2["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(ct2["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(ct2["encoder/conv1/weight"].shape[0]),
        "n_audio_head": int(ct2["encoder/num_heads"]),
        "n_audio_layer": layers("encoder"),
        "n_vocab": int(ct2["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(ct2["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(ct2["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(ct2["decoder/num_heads"]),
        "n_text_layer": layers("decoder"),
    }


def convert(model_dir: Path, output: Path) -> dict:
    """Write an openai-whisper checkpoint; return its dims."""
    import torch

    dims, state = to_openai(read_ct2(model_dir / "model.bin"))
    config = json.loads((model_dir / "config.json").read_text())
    checkpoint = {
        "dims": dims,
        "model_state_dict": {k: torch.from_numpy(v.copy()) for k, v in state.items()},
        # Word timings use these cross-attention heads, as faster-whisper does.
        "alignment_heads": config.get("alignment_heads", []),
    }
    partial = output.with_name(output.name + ".partial")
    torch.save(checkpoint, partial)
    partial.replace(output)
    return dims
