"""`suggest evaluate` past the worked rows of test_options: the options that change what is
trained in each fold, and the limits the evaluation states."""

from __future__ import annotations

import json

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
