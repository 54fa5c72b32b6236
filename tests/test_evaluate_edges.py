"""`suggest evaluate` past the worked rows of test_options: the options that change what is
trained in each fold, and the limits the evaluation states."""

from __future__ import annotations

import json

import numpy as np

from tests import test_options
from tests.test_options import cli

learnable = test_options.learnable  # the fixture: six documents, ana and ben


def test_evaluate_min_positives_decides_what_each_fold_trains(learnable):
    """--folds 3 over six documents of the same size: each fold trains on 4 documents.
    visitas and sueldo each have 3 coded turns per document, so 4 x 3 = 12 distinct positive
    segments in every fold's training set (ben's labels are on ana's segments: they add
    rows, not segments). 12 trains both codes in all 3 folds; 13 trains neither in any."""

    def folds(minimum: str) -> dict[str, str]:
        rows = json.loads(cli(learnable, "suggest", "evaluate", "--folds", "3",
                              "--min-positives", minimum, "--format", "json").stdout)
        return {r["code"]: r["model_folds"] for r in rows if r["code"] in ("visitas", "sueldo")}

    assert folds("12") == {"visitas": "3/3", "sueldo": "3/3"}
    assert folds("13") == {"visitas": "0/3", "sueldo": "0/3"}


def test_a_fold_that_trains_nothing_does_not_stop_the_later_ones(learnable):
    """cy labels d0, d1 and d2 (9 turns each) and codes patio 3 times in two of them, once in
    the third. With 3 folds each document is tested once and the other two train: patio has
    3 + 3 = 6 positives (>= 5) only in the fold that tests the document with one, and 4 in
    the others. That document is put in the last fold (the order comes from scikit-learn's
    GroupKFold on cy's rows, 9 per document): the folds before it train nothing, and the
    last one must still be trained and scored."""
    from sklearn.model_selection import GroupKFold

    ids = {r["name"]: r["id"] for r in learnable.conn.execute("SELECT id, name FROM document")}
    groups = np.repeat([ids["d0"], ids["d1"], ids["d2"]], 9)
    order = [set(groups[test]) for _, test in GroupKFold(n_splits=3).split(groups,
                                                                           groups=groups)]
    last = {v: k for k, v in ids.items()}[order[-1].pop()]
    for name in ("d0", "d1", "d2"):
        learnable.code(name, [3] if name == last else [3, 6, 9], ["patio"], coder="cy")
    result = learnable.evaluate_suggestions(coder="cy", folds=3, min_positives=5)
    patio = next(r for r in result.rows if r["code"] == "patio")
    assert (patio["positives"], patio["model_folds"]) == (7, "1/3")


def test_a_probability_equal_to_min_score_is_a_positive_prediction():
    """The module's rule: positive when the probability is *at least* min_score."""
    from qcode.suggest.evaluate import _at_least

    probabilities = np.array([[0.4, 0.5], [0.5, 0.6]])
    assert _at_least(probabilities, 0.5).tolist() == [[False, True], [True, True]]
    assert _at_least(probabilities, np.nextafter(0.5, 1)).tolist() == [[False, False],
                                                                       [False, True]]


def test_evaluation_runs_after_its_module_was_imported_first(learnable, monkeypatch):
    """Importing `qcode.suggest.evaluate` before the first evaluation leaves the module, not
    the function, as the package's attribute `evaluate` (the import system sets it); the
    evaluation must not depend on that order. folds 2 over 6 documents: 2 folds."""
    import importlib

    import qcode.suggest as package

    monkeypatch.setattr(package, "evaluate", importlib.import_module("qcode.suggest.evaluate"),
                        raising=False)
    assert learnable.evaluate_suggestions(folds=2).folds == 2


def test_five_folds_by_default(learnable):
    """Six documents: the default of 5 folds is below the number of documents, so it is the
    number of folds used; the default threshold is a probability of 0.5."""
    from qcode.suggest.evaluate import evaluate

    result = evaluate(learnable.conn)
    assert (result.folds, result.documents, result.min_score) == (5, 6, 0.5)
    assert {r["model_folds"] for r in result.rows if r["code"] == "visitas"} == {"5/5"}
