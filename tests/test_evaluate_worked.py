"""`suggest evaluate` on a small case worked out by hand: a code with no row listed before
codes with rows, a partly labelled document (one rejected suggestion, no codings), and the
model trained in every fold, some folds or none, with every labelled row predicted positive
(min_score 0) so its counts follow from the labels alone."""

from __future__ import annotations

import pytest

from qcode import InputError, Project
from qcode.suggest.evaluate import evaluate
from tests.conftest import write

CODEBOOK = """\
languages: [es]
codes:
  - {id: nada, name: Nothing}
  - {id: visitas, name: Visitors, patterns: {es: [visitante]}}
  - {id: sueldo, name: Pay, patterns: {es: [sueldo]}}
"""
# one speaker turn per line, one segment per turn
D0 = ["R: Las visitantes traen teléfonos, 0.", "E: El sueldo es bajo, 0.",
      "R: Nada más que decir, 0.", "E: El sueldo y los visitantes, 0.",
      "R: Los visitantes otra vez, 0."]
D1 = [turn.replace("0.", "1.") for turn in D0[:4]]
D2 = ["R: Los visitantes llegan, 2.", "E: Otro visitante más, 2."]


@pytest.fixture(scope="module")
def worked(tmp_path_factory):
    """ana codes d0 and d1 whole: visitas on d0 turns 1, 3, 5 and d1 turns 1, 3; sueldo on
    turns 2 and 4 of both. d2 has no coding: ana only rejects the rule suggestion of visitas
    on its turn 1, so d2 turn 1 is labelled for visitas alone and d2 turn 2 not at all."""
    folder = tmp_path_factory.mktemp("worked")
    with Project.init(folder / "study", language="es", coder="ana") as project:
        project.load_codebook(write(folder / "cb.yaml", CODEBOOK))
        for name, turns in (("d0", D0), ("d1", D1), ("d2", D2)):
            project.import_files([write(folder / f"{name}.txt", "\n".join(turns) + "\n")])
        project.code("d0", [1, 3, 5], ["visitas"])
        project.code("d1", [1, 3], ["visitas"])
        for name in ("d0", "d1"):
            project.code(name, [2, 4], ["sueldo"])
        project.suggest(["d2"], method="rules")
        [turn_one] = [r["id"] for r in project.suggestions(["d2"]) if r["segment"] == 1]
        project.decide([turn_one], accept=False)
        yield project


def figures(row: dict, method: str) -> tuple:
    return tuple(row[f"{method}_{m}"] for m in ("tp", "fp", "fn", "precision", "recall", "f1"))


def test_rules_worked_by_hand(worked):
    """Labelled rows: visitas d0 5 + d1 4 + d2 turn 1 = 10, of them 5 positive; sueldo
    d0 5 + d1 4 = 9, 4 positive. Rule hits on visitas' rows: d0 1, 4, 5; d1 1, 4; d2 1:
    tp 3 (d0 1, 5; d1 1), fp 3 (d0 4, d1 4, d2 1), fn 2 (the two turns 3): P 3/6, R 3/5,
    F1 2PR/(P+R) = 6/11. sueldo: hits turns 2 and 4 of d0, d1, all coded: 4, 0, 0.
    d2 turn 2 is hit too but labelled by no one: it counts nowhere. nada: no row.
    micro: tp 7, fp 3, fn 2: P .7, R 7/9, F1 14/19; positives 9, segments 5 + 4 + 1 = 10.
    macro over visitas and sueldo: P (.5 + 1)/2, R (.6 + 1)/2, F1 (6/11 + 1)/2 (a mean of
    figures rounded to 3 places: within 0.001)."""
    result = evaluate(worked.conn, folds=3, min_score=0.0, min_positives=2)
    assert (result.folds, result.documents, result.segments, result.min_score) == (
        3, 3, 10, 0.0)
    rows = {r["code"]: r for r in result.rows}
    assert list(rows) == ["visitas", "sueldo", "micro", "macro"]
    assert figures(rows["visitas"], "rules") == (3, 3, 2, 0.5, 0.6, round(6 / 11, 3))
    assert figures(rows["sueldo"], "rules") == (4, 0, 0, 1.0, 1.0, 1.0)
    assert figures(rows["micro"], "rules") == (7, 3, 2, 0.7, round(7 / 9, 3),
                                               round(14 / 19, 3))
    macro = rows["macro"]
    assert figures(macro, "rules")[:5] == ("", "", "", 0.75, 0.8)
    assert macro["rules_f1"] == pytest.approx((6 / 11 + 1) / 2, abs=1e-3)
    assert [(r["positives"], r["segments"]) for r in result.rows] == [
        (5, 10), (4, 9), (9, 10), (9, 10)]


def test_model_trained_in_every_fold_predicts_every_row(worked):
    """--min-positives 2, 3 folds (one per document): training on d1 + d2 has visitas 2,
    sueldo 2 positive segments; d0 + d2 has 3 and 2; d0 + d1 has 5 and 4: both codes are
    trained in all 3 folds, and at min_score 0 every labelled row is predicted positive.
    visitas: tp 5, fp 10 - 5, fn 0: P 1/2, R 1, F1 2/3; sueldo: tp 4, fp 5: P 4/9, F1 8/13.
    micro: 9, 10, 0: P 9/19, F1 18/28. macro: P (1/2 + 4/9)/2, F1 (2/3 + 8/13)/2."""
    result = evaluate(worked.conn, folds=3, min_score=0.0, min_positives=2)
    rows = {r["code"]: r for r in result.rows}
    assert [r["model_folds"] for r in result.rows] == ["3/3", "3/3", "", ""]
    assert figures(rows["visitas"], "model") == (5, 5, 0, 0.5, 1.0, round(2 / 3, 3))
    assert figures(rows["sueldo"], "model") == (4, 5, 0, round(4 / 9, 3), 1.0,
                                                round(8 / 13, 3))
    assert figures(rows["micro"], "model") == (9, 10, 0, round(9 / 19, 3), 1.0,
                                               round(18 / 28, 3))
    macro = figures(rows["macro"], "model")
    assert macro[:4] == ("", "", "", pytest.approx((1 / 2 + 4 / 9) / 2, abs=1e-3))
    assert macro[4:] == (1.0, pytest.approx((2 / 3 + 8 / 13) / 2, abs=1e-3))


def test_model_trained_in_some_folds_predicts_only_their_test_rows(worked):
    """--min-positives 3: the fold tested on d0 trains nothing (2 and 2), the one tested on
    d1 trains visitas (3), the one tested on d2 both (5 and 4). visitas is predicted on
    d1's 4 rows (tp turns 1, 3; fp 2, 4) and d2 turn 1 (fp): tp 2, fp 3, fn 3 (d0's 1, 3,
    5). sueldo is predicted only on d2, where it has no labelled row: tp 0, fp 0, fn 4."""
    result = evaluate(worked.conn, folds=3, min_score=0.0, min_positives=3)
    rows = {r["code"]: r for r in result.rows}
    assert [r["model_folds"] for r in result.rows] == ["2/3", "1/3", "", ""]
    assert figures(rows["visitas"], "model") == (2, 3, 3, 0.4, 0.4, 0.4)
    assert figures(rows["sueldo"], "model") == (0, 0, 4, None, 0.0, None)


def test_defaults_five_positives_and_half_a_point(worked):
    """By default a code needs 5 positive segments to be trained (only visitas, only when
    d0 and d1 train it: 5) and a row is predicted at a probability of 0.5 or more."""
    result = evaluate(worked.conn)
    assert (result.folds, result.min_score) == (3, 0.5)  # 5 folds asked, 3 documents
    assert [r["model_folds"] for r in result.rows] == ["1/3", "0/3", "", ""]


def test_evaluation_uses_the_pipeline_named(worked, monkeypatch):
    """--model NAME is the pipeline of both the rule matcher and the model's features
    (recorded here, then evaluated with the default pipeline)."""
    from qcode.suggest import evaluate as module
    from qcode.suggest import model as learning

    asked = []
    real_rules, real_terms = module.rule_rows, learning.terms

    def rule_rows(conn, codes, document_ids, model_name):
        asked.append(("rules", model_name))
        return real_rules(conn, codes, document_ids, None)

    def terms(texts, languages, model_name=None):
        asked.append(("terms", model_name))
        return real_terms(texts, languages, None)

    monkeypatch.setattr(module, "rule_rows", rule_rows)
    monkeypatch.setattr(learning, "terms", terms)
    result = evaluate(worked.conn, folds=2, min_score=0.0, min_positives=2,
                      model_name="my_pipeline")
    assert asked == [("rules", "my_pipeline"), ("terms", "my_pipeline")]
    assert result.folds == 2


def test_fewer_than_two_documents_is_one_line(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "d0.txt", "\n".join(D0) + "\n")])
    project.code("d0", [1], ["visitas"])
    with pytest.raises(InputError) as raised:
        evaluate(project.conn)
    assert str(raised.value) == ("evaluation needs coded segments in at least two documents "
                                 "(found 1); code more documents first")


def test_a_model_that_trains_nothing_has_no_precision(worked):
    """No fold trains a code (100 positives asked): nothing is predicted, so precision and
    F1 are undefined for every code and for their mean; recall is 0 (fn only)."""
    result = evaluate(worked.conn, folds=3, min_score=0.0, min_positives=100)
    assert [r["model_folds"] for r in result.rows] == ["0/3", "0/3", "", ""]
    rows = {r["code"]: r for r in result.rows}
    assert figures(rows["micro"], "model") == (0, 0, 9, None, 0.0, None)
    assert figures(rows["macro"], "model") == ("", "", "", None, 0.0, None)
