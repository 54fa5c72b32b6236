"""A model that learns from the project's human coding: one calibrated classifier per code.

Training data: each coder's decisions are that coder's labels. A document counts as coded
by a coder once they have coded anything in it; every segment of it then gives one training
row for that coder: positive for the codes whose live codings by that coder overlap it,
negative for the others. A suggestion the coder rejected is a negative for its code (in that
coder's row) even in a document they never coded. Several coders are combined by keeping
every coder's row: a segment three coders labelled enters training three times, so a code
two of them applied weighs as 2/3 positive, 1/3 negative (their disagreement is kept rather
than voted away). Where a consensus coder (`qcode coders`) has coded a document, its rows
replace the individual coders' for that document (the agreed labels are the better truth);
removed coders are left out. Codes with fewer than `min_positives` positive rows are not
trained (the report names them).

Features are TF-IDF weights (sublinear tf, l2-normalised) of the lemmas of the segment's
words (no punctuation, numbers or stop words) and of lemma bigrams, so Spanish inflection
does not split the vocabulary. Each code gets a class-balanced logistic regression; its
decision values are then calibrated by Platt scaling fitted on out-of-fold decisions
(folds grouped by document), so that a score of 0.7 means about 70% of such segments carry
the code.

Scores shown on training segments are cross-fitted: the segments of documents the model
was trained on are scored by a model fitted on the other documents only (folds grouped by
document), with the evidence terms of that fold's model, so a suggestion never just echoes
the label the model was given (nor shows one coder's label to another). Where a code has
too few documents to cross-fit, its training segments get no model suggestion.

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
from ..store import OVERLAPPED, atomic, now

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
    coders: list[str] = field(default_factory=list)  # whose labels each row holds

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
                              self.coders or [""] * len(self.segment_ids), strict=True)):
            digest.update(repr(row).encode())
        return digest.hexdigest()


def labelled_segments(conn: sqlite3.Connection, coder: str | None = None) -> Labelled:
    """One row per (segment, coder) for every segment a coder labelled (see the module
    docstring); with `coder`, that coder's rows only."""
    from ..coders import consensus_coders, removed_coders

    gone = removed_coders(conn)
    consensus = set(consensus_coders(conn))
    coded_docs: dict[str, set[int]] = defaultdict(set)
    for name, document_id in conn.execute(
            "SELECT DISTINCT coder, document_id FROM coding WHERE removed_at IS NULL"):
        coded_docs[name].add(document_id)
    positives: dict[tuple[int, str], set[str]] = defaultdict(set)
    for segment_id, name, code in conn.execute(f"""
            SELECT s.id, c.coder, c.code_id FROM coding c JOIN segment s ON {OVERLAPPED}
            JOIN code k ON k.id = c.code_id AND k.retired_at IS NULL
            WHERE c.removed_at IS NULL"""):
        positives[(segment_id, name)].add(code)
    rejected: dict[tuple[int, str], set[str]] = defaultdict(set)
    for segment_id, name, code in conn.execute(
            "SELECT g.segment_id, x.coder, g.code_id FROM decision x JOIN suggestion g"
            " ON g.id = x.suggestion_id WHERE x.status = 'rejected'"):
        rejected[(segment_id, name)].add(code)
    names = sorted(({coder} if coder else set(coded_docs) | {n for _, n in rejected}) - gone)
    agreed_docs = set().union(*(coded_docs[n] for n in names if n in consensus))
    rows = conn.execute("""
        SELECT s.id, s.document_id, d.language, substr(d.text, s.start + 1, s."end" - s.start)
        FROM segment s JOIN document d ON d.id = s.document_id ORDER BY s.document_id, s.ordinal
        """).fetchall()
    out = Labelled([], [], [], [], [], [], [], [])
    for segment_id, document_id, language, text in rows:
        for name in names:
            full = document_id in coded_docs[name]
            key = (segment_id, name)
            if not full and key not in rejected:
                continue
            if document_id in agreed_docs and name not in consensus and not coder:
                continue
            out.segment_ids.append(segment_id)
            out.document_ids.append(document_id)
            out.texts.append(text)
            out.languages.append(language)
            out.positives.append(positives.get(key, set()))
            out.fully_labelled.append(full)
            out.rejected.append(rejected.get(key, set()))
            out.coders.append(name)
    return out


def terms(texts: list[str], languages: list[str], model_name: str | None = None) -> list[list[str]]:
    """Lemma unigrams and bigrams of each text (no punctuation, numbers or stop words)."""
    from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA

    keys = list(zip(texts, languages, strict=True))
    unique = list(dict.fromkeys(keys))
    if len(unique) < len(keys):  # a segment labelled by several coders is analysed once
        found = dict(zip(unique, terms([t for t, _ in unique], [lang for _, lang in unique],
                                       model_name), strict=True))
        return [found[key] for key in keys]
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
    _words: list[str] | None = field(default=None, repr=False, compare=False)

    def word(self, column: int) -> str:
        """The term of a feature column (the inverse vocabulary is built once)."""
        if self._words is None:
            self._words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return self._words[column]

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
    seen: set[int] = field(default_factory=set)  # segment ids trained on
    # (segment id, code index) -> cross-fitted probability and its evidence terms
    crossfit: dict[tuple[int, int], tuple[float, list[str]]] = field(default_factory=dict)

    def decision(self, matrix) -> np.ndarray:
        return np.asarray(matrix @ self.coef.T) + self.intercept

    def probabilities(self, matrix) -> np.ndarray:
        """segments x codes calibrated probabilities."""
        scaled = self.decision(matrix) * self.platt[:, 0] + self.platt[:, 1]
        return 1 / (1 + np.exp(-scaled))

    def evidence(self, matrix, row: int, code_index: int, top: int = 3,
                 segment_id: int | None = None) -> list[str]:
        """The terms that pushed this segment's score for the code up the most (for a
        training segment, those of the cross-fitted model that scored it)."""
        if segment_id in self.seen:
            return self.crossfit.get((segment_id, code_index), (0.0, []))[1]
        return top_terms(matrix.getrow(row), self.coef[code_index], self.vectoriser, top)

    def scores(self, segment_ids: list[int], matrix) -> np.ndarray:
        """Probabilities to show: cross-fitted for segments the model was trained on (0 where
        none could be computed), the model's own for every other segment."""
        probabilities = self.probabilities(matrix)
        for row, segment_id in enumerate(segment_ids):
            if segment_id in self.seen:
                probabilities[row] = [self.crossfit.get((segment_id, col), (0.0,))[0]
                                      for col in range(len(self.codes))]
        return probabilities

    # -- persistence -----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        words = sorted(self.vectoriser.vocabulary, key=self.vectoriser.vocabulary.get)
        keys = sorted(self.crossfit)
        np.savez_compressed(buffer, vocabulary=np.array(words, dtype=str),
                            idf=self.vectoriser.idf, codes=np.array(self.codes, dtype=str),
                            coef=self.coef.astype(np.float32), intercept=self.intercept,
                            platt=self.platt, seen=np.array(sorted(self.seen), dtype=np.int64),
                            crossfit_keys=np.array(keys, dtype=np.int64).reshape(-1, 2),
                            crossfit_scores=np.array([self.crossfit[k][0] for k in keys],
                                                     dtype=np.float32),
                            crossfit_terms=np.array(["\x1f".join(self.crossfit[k][1])
                                                     for k in keys], dtype=str))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes, trained_on: dict, fingerprint: str) -> Model:
        arrays = np.load(io.BytesIO(blob), allow_pickle=False)
        words = [str(w) for w in arrays["vocabulary"]]
        vectoriser = Vectoriser({w: i for i, w in enumerate(words)}, arrays["idf"])
        model = cls(vectoriser, [str(c) for c in arrays["codes"]],
                    arrays["coef"].astype(np.float64), arrays["intercept"], arrays["platt"],
                    trained_on, fingerprint)
        if "seen" in arrays:
            model.seen = set(arrays["seen"].tolist())
            model.crossfit = {
                (int(k[0]), int(k[1])): (float(p), [w for w in str(t).split("\x1f") if w])
                for k, p, t in zip(arrays["crossfit_keys"], arrays["crossfit_scores"],
                                   arrays["crossfit_terms"], strict=True)}
        return model


def top_terms(vector, coef: np.ndarray, vectoriser: Vectoriser, top: int = 3) -> list[str]:
    """The terms of one segment's (sparse) vector that raise the decision value the most."""
    contributions = [(vector.data[k] * coef[j], j) for k, j in enumerate(vector.indices)]
    return [vectoriser.word(j) for value, j in sorted(contributions, reverse=True)[:top]
            if value > 0]


def fit(data: Labelled, features: list[list[str]], min_positives: int = DEFAULT_MIN_POSITIVES,
        codes: list[str] | None = None, cross_fit: bool = False) -> Model:
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
        # the floor counts distinct segments: two coders agreeing on one is still one example
        positives = len({data.segment_ids[i] for i in np.flatnonzero(y * mask)})
        negatives = int((1 - y[mask]).sum())
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
    model = Model(vectoriser, trained,
                  np.array(coefs).reshape(len(trained), size),
                  np.array(intercepts, dtype=np.float64), np.array(platts).reshape(-1, 2),
                  {"codes": report, "segments": len(set(data.segment_ids)),
                   "labels": len(data.segment_ids), "coders": sorted(set(data.coders)),
                   "documents": len(set(data.document_ids)), "min_positives": min_positives})
    if cross_fit:
        _cross_fit(model, data, matrix, groups)
    return model


def _cross_fit(model: Model, data: Labelled, matrix, groups: np.ndarray,
               folds: int = 3, floor: float = 0.05) -> None:
    """Score every training segment with models fitted without its document (folds grouped
    by document), calibrated with the full model's Platt scaling; keep scores >= `floor`
    with the terms that raised them."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    model.seen = set(data.segment_ids)
    documents = len(set(groups.tolist()))
    if documents < 2 or not model.codes:
        return
    segment_ids = np.array(data.segment_ids)
    targets = [data.target(code) for code in model.codes]
    for train, test in GroupKFold(n_splits=min(folds, documents)).split(matrix, groups=groups):
        # a segment labelled by several coders has one row each: score it once
        _, first = np.unique(segment_ids[test], return_index=True)
        test = test[np.sort(first)]
        features = matrix[test]
        for index, (y, mask) in enumerate(targets):
            rows = train[mask[train]]
            if len(set(y[rows].tolist())) < 2:
                continue
            inner = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear",
                                       max_iter=1000).fit(matrix[rows], y[rows])
            a, b = model.platt[index]
            scores = 1 / (1 + np.exp(-(inner.decision_function(features) * a + b)))
            kept = np.flatnonzero(scores >= floor)
            weights = features[kept].multiply(inner.coef_[0]).tocsr()
            for position, offset in enumerate(kept):
                lo, hi = weights.indptr[position], weights.indptr[position + 1]
                values, columns = weights.data[lo:hi], weights.indices[lo:hi]
                best = np.argsort(-values)[:3]
                model.crossfit[(int(segment_ids[test[offset]]), index)] = (
                    float(scores[offset]),
                    [model.vectoriser.word(int(columns[k])) for k in best if values[k] > 0])


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
        model = fit(data, terms(data.texts, data.languages, model_name), min_positives, codes,
                    cross_fit=True)
        model.fingerprint = fingerprint
        model.trained_on["coder"] = coder
        store_model(conn, model)
    else:
        model = stored
    too_few = {code: info["positives"] for code, info in model.trained_on["codes"].items()
               if not info["trained"] and info["positives"] > 0}
    return TrainReport(model, retrained, too_few)
