"""Ranked label suggestions for passages: dimensions, key issues and outcomes.

Each label is described by the strategy's own text plus everyday cues (search/labels.py) and,
once editors have confirmed labels, by the confirmed passages themselves (the archive
learning from its own decisions). A passage is embedded with all-MiniLM-L6-v2
(search/embedding.py) and each label scores by its nearest description; the reason shown to
editors is that nearest description or confirmed passage."""

from dataclasses import dataclass, field

from .labels import CUES

# A key issue is suggested only when the passage is clearly about it (cosine similarity),
# and only the key issues close to the best one; most passages have none.
KEY_ISSUE_MIN = 0.40
KEY_ISSUE_BAND = 0.05
KINDS = ("dimensions", "key_issues", "outcomes")


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


def strategy_labels():
    """Labels named exactly as the strategy names them, from the taxonomy tables."""
    from archive.models import Dimension, Theme, ThemeKind

    labels = [
        Label("dimensions", d.name, [f"{d.name} racism. {d.definition}"])
        for d in Dimension.objects.all()
    ]
    for kind, theme_kind in (("key_issues", ThemeKind.KEY_ISSUE), ("outcomes", ThemeKind.OUTCOME)):
        for theme in Theme.objects.filter(kind=theme_kind):
            labels.append(Label(kind, theme.name, [f"{theme.name}. {theme.summary}".strip()]))
    for label in labels:
        label.descriptions += CUES.get(label.name, [])
    return labels


def confirmed_examples(limit=2000):
    """(label name, text) pairs from passages editors confirmed."""
    from .models import Passage

    pairs = []
    for passage in (
        Passage.objects.prefetch_related("themes", "dimensions")
        .filter(confirmed_labels_q())
        .distinct()[:limit]
    ):
        for label in [*passage.dimensions.all(), *passage.themes.all()]:
            pairs.append((label.name, passage.text))
    return pairs


def confirmed_labels_q():
    from django.db.models import Q

    return Q(dimensions__isnull=False) | Q(themes__isnull=False)


class Suggester:
    def __init__(self, labels=None, examples=()):
        from .embedding import encode

        self.encode = encode
        self.labels = labels or strategy_labels()
        rows = []
        for label in self.labels:
            rows += [(label, text, "strategy") for text in label.descriptions]
        by_name = {label.name: label for label in self.labels}
        rows += [(by_name[name], text, "confirmed") for name, text in examples if name in by_name]
        self.rows = rows
        self.matrix = encode([text for _label, text, _source in rows])

    def suggest(self, texts):
        """One {kind: [Suggestion, ...ranked]} per text."""
        vectors = self.encode(list(texts))
        similarity = vectors @ self.matrix.T
        return [self._rank(row) for row in similarity]

    def _rank(self, scores):
        best = {}
        for (label, text, source), score in zip(self.rows, scores, strict=True):
            if label.name not in best or score > best[label.name][1]:
                reason = (
                    f"close to a confirmed passage: “{text[:120]}”"
                    if source == "confirmed"
                    else f"close to “{text[:120]}”"
                )
                best[label.name] = (label, float(score), reason)
        result = {kind: [] for kind in KINDS}
        for label, score, reason in sorted(best.values(), key=lambda item: -item[1]):
            result[label.kind].append(Suggestion(label.name, score, reason))
        issues = result["key_issues"]
        top = issues[0].score if issues else 0
        result["key_issues"] = [
            s for s in issues if s.score >= KEY_ISSUE_MIN and s.score >= top - KEY_ISSUE_BAND
        ]
        return result


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
