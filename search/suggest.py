"""Ranked label suggestions for passages: dimensions, key issues and outcomes.

Each label is described by the strategy's own text plus everyday cues (search/labels.py) and
by the passages editors labelled: confirmed suggestions and confirmed labels teach it, rejected
suggestions push it away (the archive learning from its own decisions). Passages are embedded
with all-MiniLM-L6-v2 (search/embedding.py). Dimensions are ranked by a softmax regression
over those descriptions and passages; key issues and outcomes by their prototype
(search/classifier.py). The method was chosen by cross-validation (search/evaluation.py);
the older nearest-description method stays as method="nearest" for comparison."""

from dataclasses import dataclass, field

import numpy as np

from . import classifier
from .labels import CUES

# A key issue is suggested only when the passage is clearly about it (cosine similarity to
# its prototype); most passages have none.
KEY_ISSUE_MIN = 0.40
# At most one key issue per passage, the best one: chosen by 5-fold cross-validation on the
# dev set (10 shuffles), key-issue precision 0.84 against 0.79 for every key issue within
# 0.05 of the best, at the same recall (0.74).
KEY_ISSUES_AT_MOST = 1
KINDS = ("dimensions", "key_issues", "outcomes")
METHODS = ("classifier", "nearest")


@dataclass
class Label:
    kind: str
    name: str
    descriptions: list = field(default_factory=list)


@dataclass
class Suggestion:
    name: str
    score: float
    reason: str


@dataclass(frozen=True)
class Example:
    """A passage editors have decided on: label names confirmed and rejected."""

    text: str
    confirmed: frozenset = frozenset()
    rejected: frozenset = frozenset()


class TablesMissing(RuntimeError):
    """The database has not been migrated: no taxonomy or passages to read."""


def tables_exist(*names):
    """False too when the database cannot be opened (a fresh clone has no var/ folder)."""
    from django.db import DatabaseError, connection

    try:
        return set(names) <= set(connection.introspection.table_names())
    except DatabaseError:
        return False


def strategy_labels(cues=True):
    """Labels named exactly as the strategy names them: from the taxonomy tables when they
    exist, else read from the strategy's text (as the migration that fills them does)."""
    if tables_exist("archive_dimension", "archive_theme"):
        labels = _labels_from_tables()
    else:
        labels = _labels_from_strategy()
    if cues:
        for label in labels:
            label.descriptions += CUES.get(label.name, [])
    return labels


def _labels_from_tables():
    from archive.models import Dimension, Theme, ThemeKind

    labels = [
        Label("dimensions", d.name, [f"{d.name} racism. {d.definition}"])
        for d in Dimension.objects.all()
    ]
    for kind, theme_kind in (("key_issues", ThemeKind.KEY_ISSUE), ("outcomes", ThemeKind.OUTCOME)):
        for theme in Theme.objects.filter(kind=theme_kind):
            labels.append(Label(kind, theme.name, [f"{theme.name}. {theme.summary}".strip()]))
    return labels


def _labels_from_strategy():
    from archive.strategy.parser import taxonomy

    data = taxonomy()
    labels = [
        Label("dimensions", d["name"], [f"{d['name']} racism. {d['definition']}"])
        for d in data["dimensions"]
    ]
    for kind in ("key_issues", "outcomes"):
        labels += [
            Label(kind, t["name"], [f"{t['name']}. {t['summary']}".strip()]) for t in data[kind]
        ]
    return labels


def editor_examples(limit=2000):
    """Examples from the archive: each passage's confirmed labels, and the suggestions
    editors rejected for it. Raises TablesMissing before `migrate`."""
    if not tables_exist("search_passage", "search_suggestion"):
        raise TablesMissing("the database has no passages table yet (run `manage.py migrate`)")
    from .models import Passage, SuggestionStatus

    examples = []
    passages = (
        Passage.objects.prefetch_related(
            "themes", "dimensions", "suggestions__dimension", "suggestions__theme"
        )
        .filter(confirmed_labels_q() | _rejected_q(SuggestionStatus.REJECTED))
        .distinct()
        .order_by("pk")[:limit]
    )
    for passage in passages:
        confirmed = {x.name for x in [*passage.dimensions.all(), *passage.themes.all()]}
        rejected = {
            (s.dimension or s.theme).name
            for s in passage.suggestions.all()
            if s.status == SuggestionStatus.REJECTED and (s.dimension or s.theme)
        }
        examples.append(
            Example(passage.text, frozenset(confirmed), frozenset(rejected - confirmed))
        )
    return examples


def confirmed_labels_q():
    from django.db.models import Q

    return Q(dimensions__isnull=False) | Q(themes__isnull=False)


def _rejected_q(status):
    from django.db.models import Q

    return Q(suggestions__status=status)


class Suggester:
    def __init__(self, labels=None, examples=(), method="classifier", encode=None):
        if method not in METHODS:
            raise ValueError(f"method is one of {METHODS}")
        if encode is None:
            from .embedding import encode
        self.encode = encode
        self.method = method
        self.labels = labels if labels is not None else strategy_labels()
        self.examples = list(examples)
        self.rows = [
            (label, text, "strategy") for label in self.labels for text in label.descriptions
        ]
        by_name = {label.name: label for label in self.labels}
        for example in self.examples:
            self.rows += [
                (by_name[name], example.text, "confirmed")
                for name in sorted(example.confirmed)
                if name in by_name
            ]
        self.matrix = self.encode([text for _label, text, _source in self.rows])
        columns = {}
        for at, (label, _text, _source) in enumerate(self.rows):
            columns.setdefault(label.name, []).append(at)
        self._columns = {name: np.array(at) for name, at in columns.items()}
        self._reasons = [
            f"close to a confirmed passage: “{text[:120]}”"
            if source == "confirmed"
            else f"close to “{text[:120]}”"
            for _label, text, source in self.rows
        ]
        if method == "classifier":
            self._fit()

    def _fit(self):
        vectors = {text: v for (_l, text, _s), v in zip(self.rows, self.matrix, strict=True)}
        example_vectors = self.encode([e.text for e in self.examples])
        self.dimension_names = [x.name for x in self.labels if x.kind == "dimensions"]
        index = {name: i for i, name in enumerate(self.dimension_names)}
        k = len(self.dimension_names)
        inputs, targets, weights = [], [], []
        for label in self.labels:
            if label.kind == "dimensions":
                for text in label.descriptions:
                    inputs.append(vectors[text])
                    targets.append(np.eye(k)[index[label.name]])
                    weights.append(classifier.DESCRIPTION_WEIGHT)
        for example, vector in zip(self.examples, example_vectors, strict=True):
            target = _target(example, index)
            if target is not None:
                inputs.append(vector)
                targets.append(target)
                weights.append(1.0)
        self.coef, self.bias = classifier.fit_softmax(inputs, targets, weights)
        self.prototypes = {}
        for label in self.labels:
            if label.kind == "dimensions":
                continue
            mine = [(e, v) for e, v in zip(self.examples, example_vectors, strict=True)]
            self.prototypes[label.name] = classifier.prototype(
                [vectors[text] for text in label.descriptions],
                [v for e, v in mine if label.name in e.confirmed],
                [v for e, v in mine if label.name in e.rejected],
            )

    def suggest(self, texts):
        """One {kind: [Suggestion, ...ranked]} per text."""
        vectors = self.encode(list(texts))
        similarity = vectors @ self.matrix.T
        reasons = self._nearest(similarity)
        if self.method == "nearest":
            scores = [{name: score for name, (score, _r) in best.items()} for best in reasons]
        else:
            scores = self._classify(vectors)
        return [self._rank(s, r) for s, r in zip(scores, reasons, strict=True)]

    def _classify(self, vectors):
        probabilities = classifier.softmax(
            classifier.TEMPERATURE * vectors.astype(np.float64) @ self.coef + self.bias
        )
        names = list(self.prototypes)
        cosines = vectors @ np.array([self.prototypes[n] for n in names]).T
        return [
            {
                **dict(zip(self.dimension_names, map(float, p), strict=True)),
                **dict(zip(names, map(float, c), strict=True)),
            }
            for p, c in zip(probabilities, cosines, strict=True)
        ]

    def _nearest(self, similarity):
        """Per passage, per label: (score, reason) of its nearest description or confirmed
        passage. One argmax per label over its columns for all passages at once: the rows
        grow with every confirmed passage."""
        best = [{} for _row in similarity]
        for name, columns in self._columns.items():
            nearest = columns[np.argmax(similarity[:, columns], axis=1)]
            for row, at in enumerate(nearest):
                best[row][name] = (float(similarity[row, at]), self._reasons[at])
        return best

    def _rank(self, scores, reasons):
        result = {kind: [] for kind in KINDS}
        for label in sorted(self.labels, key=lambda x: -scores.get(x.name, -1.0)):
            if label.name in scores:
                result[label.kind].append(
                    Suggestion(label.name, scores[label.name], reasons[label.name][1])
                )
        result["key_issues"] = [
            s for s in result["key_issues"][:KEY_ISSUES_AT_MOST] if s.score >= KEY_ISSUE_MIN
        ]
        return result


def _target(example, index):
    """A distribution over the dimensions: the confirmed ones share it; with none confirmed,
    the ones not rejected share it (a rejection alone still teaches)."""
    confirmed = [index[n] for n in example.confirmed if n in index]
    rejected = [index[n] for n in example.rejected if n in index]
    if confirmed:
        chosen = confirmed
    elif rejected:
        chosen = [i for i in range(len(index)) if i not in rejected]
    else:
        return None
    target = np.zeros(len(index))
    target[chosen] = 1.0 / len(chosen)
    return target


def evaluate(items, ranked):
    """Top-1 and top-2 dimension accuracy and key-issue precision (and recall) on labelled
    items: {"dimensions": [...], "key_issues": [...]}."""
    top1 = top2 = 0
    suggested = correct = relevant = 0
    for item, result in zip(items, ranked, strict=True):
        names = [s.name for s in result["dimensions"]]
        gold = set(item.get("dimensions", []))
        top1 += names[0] in gold
        top2 += bool(gold & set(names[:2]))
        issues = [s.name for s in result["key_issues"]]
        suggested += len(issues)
        correct += len(set(issues) & set(item.get("key_issues", [])))
        relevant += len(item.get("key_issues", []))
    n = len(items) or 1
    return {
        "passages": len(items),
        "dimension_top1": top1 / n,
        "dimension_top2": top2 / n,
        "key_issue_precision": correct / suggested if suggested else 1.0,
        "key_issue_recall": correct / relevant if relevant else 1.0,
        "key_issues_suggested": suggested,
    }
