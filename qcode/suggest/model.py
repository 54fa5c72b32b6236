"""A model that learns from the project's human coding: one calibrated classifier per code.

Training data. A document counts as coded once somebody has coded anything in it; every
segment of a coded document is labelled: positive for the codes whose live codings overlap
it, negative for the others. A rejected suggestion is a negative for its code even in a
document nobody has coded. Codes with fewer than `min_positives` positive segments are not
trained (the report names them).

Features are TF-IDF weights (sublinear tf, l2-normalised) of the lemmas of the segment's
words (no punctuation, numbers or stop words) and of lemma bigrams, so Spanish inflection
does not split the vocabulary. Each code gets a class-balanced logistic regression; its
decision values are then calibrated by Platt scaling fitted on out-of-fold decisions
(folds grouped by document), so that a score of 0.7 means about 70% of such segments carry
the code.

The trained model is stored in the project (table `model`) as plain numpy arrays (no
pickle, so opening someone else's project cannot run code), with a fingerprint of the
labels it was trained on: `suggest` retrains only when the coding has changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..errors import NotFoundError
from ..nlp import annotator
from ..store import atomic, now

FEATURE_VERSION = 1
DEFAULT_MIN_POSITIVES = 5


@dataclass
class Labelled:
    """Segments with their human labels, in parallel lists (one entry per segment)."""

    segment_ids: list[int]
    document_ids: list[int]
    texts: list[str]
    languages: list[str]
    positives: list[set[str]]
    fully_labelled: list[bool]  # True: a coded document, so every absent code is a negative
    rejected: list[set[str]]

    def target(self, code: str) -> tuple[np.ndarray, np.ndarray]:
        """(y, mask): y = 1 for positives; mask selects the rows labelled for `code`."""
        y = np.array([code in p for p in self.positives], dtype=int)
        mask = np.array([full or code in p or code in r for full, p, r in
                         zip(self.fully_labelled, self.positives, self.rejected, strict=True)])
        return y, mask

    def fingerprint(self, extra: str) -> str:
        digest = hashlib.sha256(extra.encode())
        for row in sorted(zip(self.segment_ids, (sorted(p) for p in self.positives),
                              self.fully_labelled, (sorted(r) for r in self.rejected),
                              strict=True)):
            digest.update(repr(row).encode())
        return digest.hexdigest()


def labelled_segments(conn: sqlite3.Connection, coder: str | None = None) -> Labelled:
    coder_clause = "AND c.coder = ?" if coder else ""
    params = (coder,) if coder else ()
    coded_docs = {r[0] for r in conn.execute(
        f"SELECT DISTINCT document_id FROM coding c WHERE removed_at IS NULL {coder_clause}",
        params)}
    positives: dict[int, set[str]] = defaultdict(set)
    for segment_id, code in conn.execute(f"""
            SELECT s.id, c.code_id FROM coding c JOIN segment s ON s.document_id = c.document_id
            AND c.start < s."end" AND c."end" > s.start
            JOIN code k ON k.id = c.code_id AND k.retired_at IS NULL
            WHERE c.removed_at IS NULL {coder_clause}""", params):
        positives[segment_id].add(code)
    rejected: dict[int, set[str]] = defaultdict(set)
    for segment_id, code in conn.execute(
            "SELECT segment_id, code_id FROM suggestion WHERE status = 'rejected'"
            + (" AND decided_by = ?" if coder else ""), params):
        rejected[segment_id].add(code)
    rows = conn.execute("""
        SELECT s.id, s.document_id, d.language, substr(d.text, s.start + 1, s."end" - s.start)
        FROM segment s JOIN document d ON d.id = s.document_id ORDER BY s.document_id, s.ordinal
        """).fetchall()
    out = Labelled([], [], [], [], [], [], [])
    for segment_id, document_id, language, text in rows:
        full = document_id in coded_docs
        if not full and segment_id not in rejected:
            continue
        out.segment_ids.append(segment_id)
        out.document_ids.append(document_id)
        out.texts.append(text)
        out.languages.append(language)
        out.positives.append(positives.get(segment_id, set()))
        out.fully_labelled.append(full)
        out.rejected.append(rejected.get(segment_id, set()))
    return out


def terms(texts: list[str], languages: list[str], model_name: str | None = None) -> list[list[str]]:
    """Lemma unigrams and bigrams of each text (no punctuation, numbers or stop words)."""
    from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA

    out: list[list[str]] = [[] for _ in texts]
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, language in enumerate(languages):
        by_language[language].append(index)
    for language, indices in by_language.items():
        nlp = annotator(language, model_name)
        strings = nlp.vocab.strings
        lowered: dict[int, str] = {}
        for index, doc in zip(indices, nlp.pipe(texts[i] for i in indices), strict=True):
            if not len(doc):
                continue
            table = doc.to_array([LEMMA, IS_ALPHA, IS_STOP])
            kept = table[(table[:, 1] == 1) & (table[:, 2] == 0), 0].tolist()
            words = [lowered.get(h) or lowered.setdefault(h, strings[h].lower()) for h in kept]
            out[index] = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return out


@dataclass
class Vectoriser:
    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, documents: list[list[str]], min_df: int = 1) -> Vectoriser:
        df: dict[str, int] = defaultdict(int)
        for words in documents:
            for word in set(words):
                df[word] += 1
        kept = sorted(w for w, n in df.items() if n >= min_df)
        n = len(documents)
        idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in kept], dtype=np.float64)
        return cls({w: i for i, w in enumerate(kept)}, idf)

    def transform(self, documents: list[list[str]]):
        from scipy.sparse import csr_matrix
        from sklearn.preprocessing import normalize

        rows, cols, values = [], [], []
        for row, words in enumerate(documents):
            counts: dict[int, int] = defaultdict(int)
            for word in words:
                column = self.vocabulary.get(word)
                if column is not None:
                    counts[column] += 1
            for column, count in counts.items():
                rows.append(row)
                cols.append(column)
                values.append((1 + math.log(count)) * self.idf[column])
        matrix = csr_matrix((values, (rows, cols)), shape=(len(documents), len(self.vocabulary)))
        return normalize(matrix)


@dataclass
class Model:
    vectoriser: Vectoriser
    codes: list[str]
    coef: np.ndarray          # codes x vocabulary
    intercept: np.ndarray     # codes
    platt: np.ndarray         # codes x 2: probability = sigmoid(a * decision + b)
    trained_on: dict = field(default_factory=dict)
    fingerprint: str = ""

    def decision(self, matrix) -> np.ndarray:
        return np.asarray(matrix @ self.coef.T) + self.intercept

    def probabilities(self, matrix) -> np.ndarray:
        """segments x codes calibrated probabilities."""
        scaled = self.decision(matrix) * self.platt[:, 0] + self.platt[:, 1]
        return 1 / (1 + np.exp(-scaled))

    def evidence(self, matrix, row: int, code_index: int, top: int = 3) -> list[str]:
        """The terms that pushed this segment's score for the code up the most."""
        vector = matrix.getrow(row)
        contributions = [(vector.data[k] * self.coef[code_index, j], j)
                         for k, j in enumerate(vector.indices)]
        words = {i: w for w, i in self.vectoriser.vocabulary.items()}
        return [words[j] for value, j in sorted(contributions, reverse=True)[:top] if value > 0]

    # -- persistence -----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        words = sorted(self.vectoriser.vocabulary, key=self.vectoriser.vocabulary.get)
        np.savez_compressed(buffer, vocabulary=np.array(words, dtype=str),
                            idf=self.vectoriser.idf, codes=np.array(self.codes, dtype=str),
                            coef=self.coef.astype(np.float32), intercept=self.intercept,
                            platt=self.platt)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes, trained_on: dict, fingerprint: str) -> Model:
        arrays = np.load(io.BytesIO(blob), allow_pickle=False)
        words = [str(w) for w in arrays["vocabulary"]]
        vectoriser = Vectoriser({w: i for i, w in enumerate(words)}, arrays["idf"])
        return cls(vectoriser, [str(c) for c in arrays["codes"]],
                   arrays["coef"].astype(np.float64), arrays["intercept"], arrays["platt"],
                   trained_on, fingerprint)


def fit(data: Labelled, features: list[list[str]], min_positives: int = DEFAULT_MIN_POSITIVES,
        codes: list[str] | None = None) -> Model:
    """Train one calibrated classifier per code that has enough positive segments."""
    from sklearn.linear_model import LogisticRegression

    vectoriser = Vectoriser.fit(features, min_df=2 if len(features) >= 1000 else 1)
    matrix = vectoriser.transform(features)
    groups = np.array(data.document_ids)
    candidates = codes if codes is not None else sorted({c for p in data.positives for c in p})
    trained, coefs, intercepts, platts = [], [], [], []
    report: dict[str, dict] = {}
    for code in candidates:
        y, mask = data.target(code)
        positives, negatives = int(y[mask].sum()), int((1 - y[mask]).sum())
        report[code] = {"positives": positives, "negatives": negatives, "trained": False}
        if positives < min_positives or negatives == 0:
            continue
        classifier = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear",
                                        max_iter=1000)
        classifier.fit(matrix[mask], y[mask])
        a, b, calibrated = _platt(matrix[mask], y[mask], groups[mask])
        trained.append(code)
        coefs.append(classifier.coef_[0])
        intercepts.append(classifier.intercept_[0])
        platts.append((a, b))
        report[code].update(trained=True, calibrated=calibrated)
    size = len(vectoriser.vocabulary)
    return Model(vectoriser, trained,
                 np.array(coefs).reshape(len(trained), size),
                 np.array(intercepts, dtype=np.float64), np.array(platts).reshape(-1, 2),
                 {"codes": report, "segments": len(data.segment_ids),
                  "documents": len(set(data.document_ids)), "min_positives": min_positives})


def _platt(matrix, y: np.ndarray, groups: np.ndarray) -> tuple[float, float, bool]:
    """Platt scaling fitted on out-of-fold decision values (folds grouped by document)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    positives = int(y.sum())
    splits = min(3, positives, len(y) - positives)
    if len(set(groups)) >= splits >= 2:
        folds = StratifiedGroupKFold(n_splits=splits).split(matrix, y, groups)
    elif splits >= 2:
        folds = StratifiedKFold(n_splits=splits).split(matrix, y)
    else:
        return 1.0, 0.0, False
    scores, truth = [], []
    for train, test in folds:
        if len(set(y[train])) < 2:
            continue
        inner = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear",
                                   max_iter=1000).fit(matrix[train], y[train])
        scores.extend(inner.decision_function(matrix[test]))
        truth.extend(y[test])
    if len(set(truth)) < 2:
        return 1.0, 0.0, False
    sigmoid = LogisticRegression(C=1e4).fit(np.array(scores).reshape(-1, 1), truth)
    return float(sigmoid.coef_[0][0]), float(sigmoid.intercept_[0]), True


# -- storage in the project ----------------------------------------------------------------

def fingerprint_for(data: Labelled, min_positives: int, model_name: str | None) -> str:
    return data.fingerprint(f"v{FEATURE_VERSION}|{min_positives}|{model_name or 'blank'}")


def load_stored(conn: sqlite3.Connection) -> Model | None:
    row = conn.execute("SELECT params, trained_on, fingerprint FROM model WHERE kind = 'codes'"
                       " ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return Model.from_bytes(row["params"], json.loads(row["trained_on"]), row["fingerprint"])


def store_model(conn: sqlite3.Connection, model: Model) -> None:
    with atomic(conn):
        conn.execute("DELETE FROM model WHERE kind = 'codes'")
        conn.execute("INSERT INTO model (kind, created_at, fingerprint, trained_on, params)"
                     " VALUES ('codes', ?, ?, ?, ?)",
                     (now(), model.fingerprint, json.dumps(model.trained_on), model.to_bytes()))


@dataclass
class TrainReport:
    model: Model
    retrained: bool
    too_few: dict[str, int]  # code -> positives, for codes not trained


def ensure_model(conn: sqlite3.Connection, *, force: bool = False,
                 min_positives: int = DEFAULT_MIN_POSITIVES, model_name: str | None = None,
                 coder: str | None = None) -> TrainReport:
    """The stored model if the coding has not changed since it was trained, else a new one."""
    data = labelled_segments(conn, coder)
    if not data.segment_ids:
        raise NotFoundError("nothing to learn from yet: code some segments (or import "
                            "codings) before using --method model")
    fingerprint = fingerprint_for(data, min_positives, model_name)
    stored = None if force else load_stored(conn)
    retrained = stored is None or stored.fingerprint != fingerprint
    if retrained:
        codes = [r[0] for r in conn.execute(
            "SELECT id FROM code WHERE retired_at IS NULL ORDER BY position")]
        model = fit(data, terms(data.texts, data.languages, model_name), min_positives, codes)
        model.fingerprint = fingerprint
        model.trained_on["coder"] = coder
        store_model(conn, model)
    else:
        model = stored
    too_few = {code: info["positives"] for code, info in model.trained_on["codes"].items()
               if not info["trained"] and info["positives"] > 0}
    return TrainReport(model, retrained, too_few)
