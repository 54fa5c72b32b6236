"""How far suggestions can be trusted: rules and model against the human coding.

Only labelled segments count (see `model.labelled_segments`). The model is scored by
cross-validation grouped by document: for each fold it is trained on the other documents
only (vocabulary, classifiers and calibration alike), so no segment of a test document is
ever seen in training. Rules need no training and are scored on every labelled segment.
A segment is predicted positive by the rules when any pattern of the code hits it, and by
the model when its calibrated probability is at least `min_score`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np

from ..codes import require_codebook
from ..errors import InputError
from . import model as learning
from .runner import rule_rows


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, truth: np.ndarray, predicted: np.ndarray) -> None:
        self.tp += int((truth & predicted).sum())
        self.fp += int((~truth & predicted).sum())
        self.fn += int((truth & ~predicted).sum())


@dataclass
class Evaluation:
    folds: int
    documents: int
    segments: int
    min_score: float
    rows: list[dict] = field(default_factory=list)  # per code, then micro and macro


def evaluate(conn: sqlite3.Connection, *, coder: str | None = None, folds: int = 5,
             min_score: float = 0.5, min_positives: int = learning.DEFAULT_MIN_POSITIVES,
             model_name: str | None = None) -> Evaluation:
    from sklearn.model_selection import GroupKFold

    codes = require_codebook(conn)
    data = learning.labelled_segments(conn, coder)
    groups = np.array(data.document_ids)
    documents = len(set(data.document_ids))
    if documents < 2:
        raise InputError(f"evaluation needs coded segments in at least two documents "
                         f"(found {documents}){f' for coder {coder}' if coder else ''}; "
                         "code more documents first")
    code_ids = [c["id"] for c in codes]
    truth = {c: data.target(c) for c in code_ids}

    rows, _, _ = rule_rows(conn, codes, sorted(set(data.document_ids)), model_name)
    position: dict[int, list[int]] = {}  # a segment has one row per coder who labelled it
    for i, segment_id in enumerate(data.segment_ids):
        position.setdefault(segment_id, []).append(i)
    rule_hits = {c: np.zeros(len(data.segment_ids), dtype=bool) for c in code_ids}
    for segment_id, code, _, _ in rows:
        for i in position.get(segment_id, []):
            rule_hits[code][i] = True

    features = learning.terms(data.texts, data.languages, model_name)
    model_predicted = {c: np.zeros(len(data.segment_ids), dtype=bool) for c in code_ids}
    trained_folds = dict.fromkeys(code_ids, 0)
    splits = min(folds, documents)
    for train, test in GroupKFold(n_splits=splits).split(features, groups=groups):
        subset = _subset(data, train)
        fitted = learning.fit(subset, [features[i] for i in train], min_positives)
        if not fitted.codes:
            continue
        matrix = fitted.vectoriser.transform([features[i] for i in test])
        predicted = _at_least(fitted.probabilities(matrix), min_score)
        for column, code in enumerate(fitted.codes):
            model_predicted[code][test] = predicted[:, column]
            trained_folds[code] += 1

    distinct = len(set(data.segment_ids))  # a segment has one labelled row per coder
    result = Evaluation(splits, documents, distinct, min_score)
    totals = {"rules": Counts(), "model": Counts()}
    for code in code_ids:
        y, mask = truth[code]
        positive = y.astype(bool)[mask]
        predictions = {"rules": rule_hits[code][mask], "model": model_predicted[code][mask]}
        if not positive.any() and not predictions["rules"].any():
            continue
        counts = {name: Counts() for name in predictions}
        for name, hits in predictions.items():
            counts[name].add(positive, hits)
            totals[name].add(positive, hits)
        result.rows.append(_row(code, int(positive.sum()), int(mask.sum()), counts,
                                f"{trained_folds[code]}/{splits}"))
    result.rows.append(_row("micro", sum(r["positives"] for r in result.rows),
                            distinct, totals, ""))
    result.rows.append(_macro(result.rows[:-1], distinct))
    return result


def _at_least(probabilities: np.ndarray, min_score: float) -> np.ndarray:
    """Predicted positive: a calibrated probability of at least `min_score`."""
    return probabilities >= min_score


def _subset(data: learning.Labelled, indices: np.ndarray) -> learning.Labelled:
    pick = indices.tolist()
    return learning.Labelled(*([getattr(data, name)[i] for i in pick] for name in (
        "segment_ids", "document_ids", "texts", "languages", "positives", "fully_labelled",
        "rejected", "coders")))


def _row(code: str, positives: int, segments: int, counts: dict[str, Counts],
         folds: str) -> dict:
    row: dict = {"code": code, "positives": positives, "segments": segments}
    for name, c in counts.items():
        row.update({f"{name}_precision": _round(c.precision), f"{name}_recall": _round(c.recall),
                    f"{name}_f1": _round(c.f1), f"{name}_tp": c.tp, f"{name}_fp": c.fp,
                    f"{name}_fn": c.fn})
    row["model_folds"] = folds
    return row


def _macro(rows: list[dict], segments: int) -> dict:
    """Unweighted mean over the codes that have positives (undefined values left out)."""
    scored = [r for r in rows if r["positives"]]
    macro: dict = {"code": "macro", "positives": sum(r["positives"] for r in scored),
                   "segments": segments, "model_folds": ""}
    for name in ("rules", "model"):
        for metric in ("precision", "recall", "f1"):
            values = [r[f"{name}_{metric}"] for r in scored if r[f"{name}_{metric}"] is not None]
            macro[f"{name}_{metric}"] = _round(sum(values) / len(values)) if values else None
        for part in ("tp", "fp", "fn"):
            macro[f"{name}_{part}"] = ""
    return macro


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
