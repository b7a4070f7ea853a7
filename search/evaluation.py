"""Measuring label suggestions honestly: k-fold cross-validation on labelled passages.

Each fold's passages are suggested for by a Suggester that learned only from the other folds'
labels, given to it as if editors had confirmed them. Folds are drawn again for each repeat
(a different shuffle), and the figures are reported as the mean and spread over repeats.
Methods are chosen by these figures, never by a whole-set score. search/labelled/ holds the
dev set and the held-out passages written by us (never used to tune)."""

import json
from pathlib import Path
from statistics import mean, pstdev

import numpy as np

from .suggest import Example, Suggester, evaluate, strategy_labels

LABELLED = Path(__file__).resolve().parent / "labelled"
DEV_SET = LABELLED / "passages-dev.jsonl"
HELD_OUT = LABELLED / "passages-heldout.jsonl"
FIGURES = ("dimension_top1", "dimension_top2", "key_issue_precision", "key_issue_recall")


def read(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def as_example(item):
    """A labelled passage as editors would have left it: its labels confirmed."""
    return Example(item["text"], frozenset(item.get("dimensions", []) + item.get("key_issues", [])))


class CachedEncoder:
    """Each text embedded once across all folds and repeats."""

    def __init__(self):
        from .embedding import encode

        self._encode = encode
        self._vectors = {}

    def __call__(self, texts):
        missing = sorted({t for t in texts if t not in self._vectors})
        if missing:
            self._vectors.update(zip(missing, self._encode(missing), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.array([self._vectors[t] for t in texts])


def folds_of(count, folds, seed):
    order = np.random.default_rng(seed).permutation(count)
    return [sorted(int(i) for i in part) for part in np.array_split(order, folds)]


def cross_validate(items, folds=5, repeats=5, method="classifier", cues=True, encode=None):
    """{"mean": {figure: value}, "spread": {figure: standard deviation over repeats},
    "repeats": [{figure: value}, ...]}; each repeat pools its folds' predictions."""
    encode = encode or CachedEncoder()
    labels = strategy_labels(cues=cues)
    runs = []
    for seed in range(repeats):
        ranked = [None] * len(items)
        for held in folds_of(len(items), folds, seed):
            training = [as_example(items[i]) for i in range(len(items)) if i not in held]
            suggester = Suggester(labels, training, method=method, encode=encode)
            for i, result in zip(
                held, suggester.suggest([items[i]["text"] for i in held]), strict=True
            ):
                ranked[i] = result
        runs.append(evaluate(items, ranked))
    return {
        "passages": len(items),
        "folds": folds,
        "repeats": repeats,
        "method": method,
        "cues": cues,
        "mean": {f: round(mean(r[f] for r in runs), 3) for f in FIGURES},
        "spread": {f: round(pstdev(r[f] for r in runs), 3) for f in FIGURES},
        "repeats_figures": [{f: round(r[f], 3) for f in FIGURES} for r in runs],
    }


def feedback_by_fold(items, folds=5, seed=0, method="classifier", cues=True, encode=None):
    """Per fold: the figures on the held fold before (strategy text only) and after the
    other folds' labels are fed back as if editors had confirmed them."""
    encode = encode or CachedEncoder()
    labels = strategy_labels(cues=cues)
    before = Suggester(labels, [], method=method, encode=encode)
    rows = []
    for number, held in enumerate(folds_of(len(items), folds, seed), start=1):
        texts = [items[i]["text"] for i in held]
        gold = [items[i] for i in held]
        training = [as_example(items[i]) for i in range(len(items)) if i not in held]
        after = Suggester(labels, training, method=method, encode=encode)
        rows.append(
            {
                "fold": number,
                "passages": len(held),
                "before": _rounded(evaluate(gold, before.suggest(texts))),
                "after": _rounded(evaluate(gold, after.suggest(texts))),
            }
        )
    return rows


def held_out(train_items, test_items, method="classifier", cues=True, encode=None):
    """Figures on test_items for a Suggester that learned from train_items only."""
    encode = encode or CachedEncoder()
    suggester = Suggester(
        strategy_labels(cues=cues),
        [as_example(i) for i in train_items],
        method=method,
        encode=encode,
    )
    return evaluate(test_items, suggester.suggest([i["text"] for i in test_items]))


def _rounded(figures):
    return {f: round(figures[f], 3) for f in FIGURES}
