"""Storing, deciding, ordering, training and evaluating suggestions."""

import json

import numpy as np
import pytest

from qcode import InputError, NotFoundError, Project
from qcode.suggest import model as learning
from tests.conftest import write

CODEBOOK = """\
languages: [es]
codes:
  - id: visitas
    name: Visitors
    patterns: {es: [visitante]}
  - id: sueldo
    name: Pay
    patterns: {es: [sueldo, [{LEMMA: ganar}, {LOWER: poco}]]}
  - id: otro
    name: Other
"""


@pytest.fixture
def rules_project(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", "E: ¿Cómo entran?\nR: Las visitantes los "
                                                    "traen.\nE: ¿Y el sueldo?\nR: Ganamos poco, "
                                                    "el sueldo no alcanza.\n")])
    return project


def test_suggest_needs_a_codebook(project):
    with pytest.raises(NotFoundError, match="the project has no codebook; load one"):
        project.suggest()


def test_rule_suggestions_with_evidence_and_scores(rules_project):
    report = rules_project.suggest(method="rules")
    assert (report.created, report.by_method) == (3, {"rules": 3})
    rows = rules_project.suggestions()
    assert [(r["segment"], r["code"], r["score"], r["evidence"]) for r in rows] == [
        (2, "visitas", 0.5, "visitantes"),
        (3, "sueldo", 0.5, "sueldo"),
        (4, "sueldo", 0.75, "Ganamos poco, sueldo"),  # two distinct hits: 1 - 0.5^2
    ]
    evidence = json.loads(rules_project.conn.execute(
        "SELECT evidence FROM suggestion WHERE score = 0.75").fetchone()[0])
    text = rules_project.conn.execute("SELECT text FROM document").fetchone()[0]
    assert [text[e["start"]:e["end"]] for e in evidence] == ["Ganamos poco", "sueldo"]


def test_rerun_is_idempotent_and_keeps_decisions(rules_project, tmp_path):
    rules_project.suggest(method="rules")
    first, second, third = (r["id"] for r in rules_project.suggestions())
    rules_project.decide([first], accept=True)
    rules_project.decide([second], accept=False, coder="ben")
    report = rules_project.suggest(method="rules")
    assert (report.created, report.updated, report.removed, report.decided_kept) == (0, 1, 0, 2)
    statuses = {r["id"]: (r["status"], r["coder"]) for r in rules_project.suggestions()}
    assert statuses == {first: ("accepted", "ana"), second: ("rejected", "ben"),
                        third: ("pending", "")}
    coding = rules_project.codings()
    assert [(c["code"], c["segment"], c["coder"]) for c in coding] == [("visitas", 2, "ana")]
    origin = rules_project.conn.execute("SELECT origin FROM coding").fetchone()[0]
    assert origin == "suggestion"
    # a pattern removed from the codebook: its pending suggestion goes, decided ones stay
    rules_project.load_codebook(write(tmp_path / "cb2.yaml", CODEBOOK.replace(
        "[sueldo, [{LEMMA: ganar}, {LOWER: poco}]]", "[]")))
    report = rules_project.suggest(method="rules")
    assert (report.removed, report.decided_kept) == (1, 1)  # only visitas is produced again
    assert {r["id"]: r["status"] for r in rules_project.suggestions()} == {
        first: "accepted", second: "rejected"}


def test_listing_filters(rules_project):
    rules_project.suggest(method="rules")
    rules_project.code("a", [2], ["visitas"])
    assert len(rules_project.suggestions(status="pending")) == 3
    hidden = rules_project.suggestions(status="pending", coder="ana")
    assert [r["code"] for r in hidden] == ["sueldo", "sueldo"]  # ana has coded segment 2
    assert rules_project.suggestions(status="accepted") == []
    frame = rules_project.suggest(method="rules", as_frame=True)
    assert list(frame.columns) == ["id", "document", "segment", "code", "score", "method",
                                   "evidence", "coder", "status"]
    assert len(frame) == 3


def test_deciding_errors(rules_project):
    with pytest.raises(NotFoundError, match=r"no suggestion 99; `qcode suggestions` lists"):
        rules_project.decide([99], accept=True)
    with pytest.raises(InputError, match="name the suggestions to decide by id"):
        rules_project.decide([], accept=True)


def test_review_order_puts_uncertain_model_scores_first(rules_project):
    conn = rules_project.conn
    segments = [r[0] for r in conn.execute("SELECT id FROM segment ORDER BY ordinal")]
    rows = [(segments[0], "visitas", "model", 0.95), (segments[1], "visitas", "model", 0.52),
            (segments[2], "sueldo", "model", 0.30), (segments[3], "sueldo", "rules", 0.75),
            (segments[1], "visitas", "rules", 0.5), (segments[0], "otro", "rules", 0.875)]
    conn.executemany("INSERT INTO suggestion (segment_id, code_id, method, score, created_at)"
                     " VALUES (?, ?, ?, ?, 'now')", rows)
    order = [(r["segment"], r["code"], r["method"], r["score"])
             for r in rules_project.review_queue()]
    assert order == [
        (2, "visitas", "model", 0.52),   # |0.52 - 0.5| = 0.02
        (3, "sueldo", "model", 0.30),    # 0.20
        (1, "visitas", "model", 0.95),   # 0.45
        (1, "otro", "rules", 0.875),     # rule-only hits, strongest first
        (4, "sueldo", "rules", 0.75),
        (2, "visitas", "rules", 0.5),    # the model made this one too: last
    ]


def learnable_project(project, tmp_path, documents=6, noise=0):
    """Segments saying 'visitante' are coded visitas, 'sueldo' sueldo; 'otro' has 3 uses."""
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    for number in range(documents):
        turns = []
        for turn in range(10):
            if turn % 3 == 0:
                turns.append(f"R: Las visitantes traen comida y teléfonos, {number} {turn}.")
            elif turn % 3 == 1:
                turns.append(f"R: El sueldo del agente es bajo, dice {number} {turn}.")
            else:
                turns.append(f"E: Pregunta sobre el pabellón y el patio, vez {number} {turn}.")
        write(tmp_path / "docs" / f"d{number}.txt", "\n".join(turns))
    project.import_files([tmp_path / "docs"])
    for number in range(documents):
        project.code(f"d{number}", [1, 4, 7, 10], ["visitas"])
        project.code(f"d{number}", [2, 5, 8], ["sueldo"])
    project.code("d0", [3], ["otro"])
    project.code("d1", [3, 6], ["otro"])
    return project


def test_model_learns_persists_and_retrains_only_when_coding_changes(project, tmp_path):
    learnable_project(project, tmp_path)
    training = project.train(force=False)
    assert training.retrained
    assert training.model.codes == ["visitas", "sueldo"]
    assert training.too_few == {"otro": 3}
    write(tmp_path / "new.txt", "R: Los visitantes esconden chips.\nR: Nadie vive del sueldo.")
    project.import_files([tmp_path / "new.txt"])
    project.suggest(["new"], method="model")
    suggested = {(r["segment"], r["code"]) for r in project.suggestions(["new"])}
    assert suggested == {(1, "visitas"), (2, "sueldo")}
    project.close()
    with Project(project.path) as reopened:  # survives closing
        assert not reopened.train(force=False).retrained
        reopened.code("d2", [3], ["otro"])
        again = reopened.train(force=False)
        assert again.retrained and again.too_few == {"otro": 4}


def test_rejections_are_negatives(project, tmp_path):
    learnable_project(project, tmp_path)
    data = learning.labelled_segments(project.conn)
    assert len(data.segment_ids) == 60
    write(tmp_path / "extra.txt", "R: Algo que no es de nadie.\nR: Otra cosa.")
    project.import_files([tmp_path / "extra.txt"])
    project.conn.execute("INSERT INTO suggestion (segment_id, code_id, method, score,"
                         " created_at) SELECT id, 'visitas', 'rules', 0.5, 'now'"
                         " FROM segment WHERE ordinal = 1 AND document_id = (SELECT id FROM"
                         " document WHERE name = 'extra')")
    project.decide([project.conn.execute("SELECT max(id) FROM suggestion").fetchone()[0]],
                   accept=False, coder="ana")
    data = learning.labelled_segments(project.conn)
    assert len(data.segment_ids) == 61
    y, mask = data.target("visitas")
    assert (y[-1], mask[-1]) == (0, True)
    y, mask = data.target("sueldo")
    assert not mask[-1]  # rejected for visitas says nothing about sueldo


def test_scores_are_calibrated_probabilities(project, tmp_path):
    """'alpha' segments carry the code 7 times in 10: calibrated scores should say ~0.7."""
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    for number in range(8):
        lines = [f"R: alpha caso {number} {i}." if i % 2 else f"R: beta caso {number} {i}."
                 for i in range(40)]
        write(tmp_path / "docs" / f"d{number}.txt", "\n".join(lines))
    project.import_files([tmp_path / "docs"])
    for number in range(8):
        alpha = list(range(2, 41, 2))  # line i is segment i + 1: alpha lines are odd
        project.code(f"d{number}", alpha[:14], ["visitas"])  # 14 of 20 alpha segments
    training = project.train()
    data = learning.labelled_segments(project.conn)
    features = learning.terms(data.texts, data.languages)
    probabilities = training.model.probabilities(training.model.vectoriser.transform(features))
    column = training.model.codes.index("visitas")
    is_alpha = np.array(["alpha" in t for t in data.texts])
    assert 0.6 <= probabilities[is_alpha, column].mean() <= 0.8
    assert probabilities[~is_alpha, column].max() < 0.1


def test_evaluation_counts_by_hand(project, tmp_path):
    """Rules on a case worked out by hand.

    visitas: rule hits segments 1,4,7,10 of every document (they say 'visitantes'); the
    coder coded them all except d0#10, and also coded d0#3 (no keyword):
    tp = 23, fp = 1 (d0#10), fn = 1 (d0#3): precision = recall = 23/24.
    """
    learnable_project(project, tmp_path)
    project.uncode("d0", [10], ["visitas"])
    project.code("d0", [3], ["visitas"])
    result = project.evaluate_suggestions(folds=3)
    rows = {r["code"]: r for r in result.rows}
    assert (result.folds, result.documents, result.segments) == (3, 6, 60)
    visitas = rows["visitas"]
    assert (visitas["rules_tp"], visitas["rules_fp"], visitas["rules_fn"]) == (23, 1, 1)
    assert visitas["rules_precision"] == visitas["rules_recall"] == round(23 / 24, 3)
    assert visitas["positives"] == 24 and visitas["segments"] == 60
    assert visitas["model_folds"] == "3/3" and visitas["model_f1"] >= 0.9
    assert rows["otro"]["model_folds"] == "0/3"  # too few examples in every training fold
    assert rows["micro"]["positives"] == 24 + 18 + 3
    assert set(rows) >= {"micro", "macro"}


def test_evaluation_needs_two_documents(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "one.txt", "E: hola\nR: visitante\n")])
    project.code("one", [2], ["visitas"])
    with pytest.raises(InputError, match=r"evaluation needs coded segments in at least two "
                                         r"documents \(found 1\)"):
        project.evaluate_suggestions()


def test_model_without_any_coding(rules_project):
    with pytest.raises(NotFoundError, match="nothing to learn from yet"):
        rules_project.suggest(method="model")


def test_two_jobs_give_the_same_suggestions(sample_project):
    sample_project.suggest(method="rules", jobs=1)
    one = [(r["document"], r["segment"], r["code"], r["score"], r["evidence"])
           for r in sample_project.suggestions()]
    sample_project.conn.execute("DELETE FROM suggestion")
    sample_project.suggest(method="rules", jobs=2)
    two = [(r["document"], r["segment"], r["code"], r["score"], r["evidence"])
           for r in sample_project.suggestions()]
    assert one == two and len(one) > 100
