"""The classifier heads behind label suggestions, in numpy, on sentence embeddings.

Dimensions: a softmax regression (one weight vector per dimension) trained on the strategy's
descriptions of each dimension plus passages editors labelled. Key issues and outcomes: one
prototype per label, the mean of its descriptions pulled towards the passages editors
confirmed and pushed away from those they rejected."""

import numpy as np

TEMPERATURE = 10.0  # cosine-scale inputs, so the weights need not grow large
L2 = 0.01
STEPS = 300
DESCRIPTION_WEIGHT = 1.0
REJECTED_WEIGHT = 0.5  # a rejection counts half a confirmation, the other way


def softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def fit_softmax(vectors, targets, weights):
    """vectors (n, d); targets (n, k), each row a distribution over the k labels; weights (n,).
    Returns (W, b) for softmax(TEMPERATURE * x @ W + b). Full-batch gradient descent: the
    training set is tens to thousands of rows, and this is deterministic."""
    a = np.asarray(vectors, dtype=np.float64) * TEMPERATURE
    y = np.asarray(targets, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)[:, None] / max(float(np.sum(weights)), 1e-9)
    coef = np.zeros((a.shape[1], y.shape[1]))
    bias = np.zeros(y.shape[1])
    for _step in range(STEPS):
        grad = (softmax(a @ coef + bias) - y) * w
        coef -= a.T @ grad + L2 * coef
        bias -= grad.sum(axis=0)
    return coef, bias


def prototype(descriptions, confirmed=(), rejected=()):
    """Unit vector: the descriptions' mean direction plus confirmed passages, minus half of
    rejected ones."""
    base = np.mean(descriptions, axis=0)
    vector = base / np.linalg.norm(base)
    if len(confirmed):
        vector = vector + np.sum(confirmed, axis=0)
    if len(rejected):
        vector = vector - REJECTED_WEIGHT * np.sum(rejected, axis=0)
    return vector / np.linalg.norm(vector)
