"""Computing suggestions for segments and storing them (`qcode suggest`).

Rules run per document: the whole text is tokenised once, pattern hits are mapped to the
segments they fall in, and each (segment, code) gets one suggestion whose evidence lists the
matched words with their character offsets. A rule suggestion's score is 1 - 0.5^k for k
distinct matched words (0.5, 0.75, 0.875, ...). Model suggestions carry the calibrated
probability (cross-fitted on the segments the model was trained on) and the words that
raised it most.

Storing is idempotent: a pending suggestion is updated in place, a pending one that no
longer applies is removed, and one that any coder has decided is kept with its decisions
(table `decision`, one row per coder).
"""

from __future__ import annotations

import json
import sqlite3
import time
from bisect import bisect_right
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from ..codes import require_codebook
from ..documents import get_document
from ..store import atomic, now
from . import model as learning

Method = Literal["rules", "model", "all"]
Progress = Callable[[int, int, str], None]
Row = tuple[int, str, float, str]  # segment id, code, score, evidence JSON


@dataclass
class SuggestReport:
    documents: int = 0
    segments: int = 0
    tokens: int = 0
    seconds: float = 0.0
    created: int = 0
    updated: int = 0
    removed: int = 0
    decided_kept: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    training: learning.TrainReport | None = None


# -- rules, in this process or in worker processes -----------------------------------------

_WORKER: dict = {}


def _init_rules(database: str, codes: list[tuple[str, dict]], model_name: str | None) -> None:
    _WORKER.update(database=database, codes=codes, model=model_name, matchers={})


def _rule_rows(document_ids: list[int]) -> tuple[list[Row], int, list[str]]:
    """Rule suggestions for these documents; also the number of tokens and any warnings."""
    from ..nlp import annotator
    from .rules import RuleMatcher

    conn = sqlite3.connect(f"file:{_WORKER['database']}?mode=ro", uri=True)
    rows: list[Row] = []
    tokens = 0
    warnings: list[str] = []
    for document_id in document_ids:
        text, language = conn.execute("SELECT text, language FROM document WHERE id = ?",
                                      (document_id,)).fetchone()
        if language not in _WORKER["matchers"]:
            nlp = annotator(language, _WORKER["model"])
            warnings += nlp.warnings
            _WORKER["matchers"][language] = RuleMatcher(_WORKER["codes"], nlp)
        matcher = _WORKER["matchers"][language]
        segments = conn.execute('SELECT id, start, "end" FROM segment WHERE document_id = ?'
                                " ORDER BY start", (document_id,)).fetchall()
        starts = [s[1] for s in segments]
        found: dict[tuple[int, str], list[dict]] = {}
        for offset, window in windows(text, starts):
            doc = matcher.annotator(window)
            tokens += len(doc)
            for hit in matcher.hits(doc):
                hit_start, hit_end = hit.start + offset, hit.end + offset
                index = bisect_right(starts, hit_start) - 1
                while 0 <= index < len(segments) and segments[index][1] < hit_end:
                    segment_id, start, end = segments[index]
                    if start < hit_end and hit_start < end:
                        found.setdefault((segment_id, hit.code), []).append(
                            {"text": hit.text, "start": hit_start, "end": hit_end,
                             "pattern": hit.pattern})
                    index += 1
            del doc
        for (segment_id, code), evidence in found.items():
            distinct = len({e["text"].lower() for e in evidence})
            rows.append((segment_id, code, 1 - 0.5 ** distinct,
                         json.dumps(evidence, ensure_ascii=False)))
    conn.close()
    return rows, tokens, warnings


# A spaCy Doc costs a few hundred bytes per token: a 49 MB transcript tokenised at once took
# 4 GB. Longer texts are tokenised in windows of about this many characters, cut where a
# segment starts (a pattern never spans two speaker turns there), so memory stays bounded.
WINDOW_CHARS = 1_000_000


def windows(text: str, starts: list[int], size: int | None = None):
    """(offset, text[offset:end]) pieces of about `size` characters, each ending where a
    segment starts (or, for a single segment longer than that, at a line break or space)."""
    size = size or WINDOW_CHARS
    if len(text) <= size:
        yield 0, text
        return
    offset = 0
    while offset < len(text):
        end = min(len(text), offset + size)
        if end < len(text):
            cut = starts[bisect_right(starts, end) - 1] if starts else 0
            if cut <= offset:  # one very long segment: cut at a line break or a space
                cut = max(text.rfind("\n", offset + 1, end), text.rfind(" ", offset + 1, end))
            end = cut if cut > offset else end
        yield offset, text[offset:end]
        offset = end


def rule_rows(conn: sqlite3.Connection, codes: list[sqlite3.Row], document_ids: list[int],
              model_name: str | None = None, jobs: int = 1,
              progress: Progress | None = None) -> tuple[list[Row], int, list[str]]:
    """Run the codes' patterns over documents, split into chunks over `jobs` processes
    (each worker reads the project itself, read-only)."""
    database = conn.execute("PRAGMA database_list").fetchone()[2]
    patterns = [(c["id"], json.loads(c["patterns"])) for c in codes]
    rows: list[Row] = []
    tokens = 0
    warnings: list[str] = []
    chunk = max(1, min(20, len(document_ids) // (jobs * 4) or 1))
    chunks = [document_ids[i:i + chunk] for i in range(0, len(document_ids), chunk)]
    if jobs <= 1:
        _init_rules(database, patterns, model_name)
        results = map(_rule_rows, chunks)
        pool = None
    else:
        # Load the lemma tables once here: forked workers share them instead of each
        # spending seconds loading its own copy.
        from ..nlp import annotator

        marks = ",".join("?" * len(document_ids))
        for (language,) in conn.execute(f"SELECT DISTINCT language FROM document WHERE id IN "
                                        f"({marks})", document_ids):
            annotator(language, model_name)
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_rules,
                                   initargs=(database, patterns, model_name))
        results = pool.map(_rule_rows, chunks)
    try:
        for done, (chunk_rows, chunk_tokens, chunk_warnings) in enumerate(results, start=1):
            rows += chunk_rows
            tokens += chunk_tokens
            warnings += [w for w in chunk_warnings if w not in warnings]
            if progress:
                progress(min(done * chunk, len(document_ids)), len(document_ids), "documents")
    finally:
        if pool:
            pool.shutdown()
    return rows, tokens, warnings


# -- the model ------------------------------------------------------------------------------

def model_rows(conn: sqlite3.Connection, trained: learning.Model, document_ids: list[int],
               model_name: str | None, min_score: float) -> list[Row]:
    if not trained.codes:
        return []
    marks = ",".join("?" * len(document_ids))
    segments = conn.execute(f"""
        SELECT s.id, d.language, substr(d.text, s.start + 1, s."end" - s.start)
        FROM segment s JOIN document d ON d.id = s.document_id
        WHERE s.document_id IN ({marks}) ORDER BY s.document_id, s.ordinal""",
                            document_ids).fetchall()
    features = learning.terms([s[2] for s in segments], [s[1] for s in segments], model_name)
    matrix = trained.vectoriser.transform(features)
    ids = [s[0] for s in segments]
    probabilities = trained.scores(ids, matrix)  # cross-fitted on training segments
    rows: list[Row] = []
    for row, col in zip(*(probabilities >= min_score).nonzero(), strict=True):
        evidence = [{"text": word} for word in trained.evidence(matrix, row, col,
                                                                 segment_id=ids[row])]
        rows.append((segments[row][0], trained.codes[col], float(probabilities[row, col]),
                     json.dumps(evidence, ensure_ascii=False)))
    return rows


# -- the command ----------------------------------------------------------------------------

def suggest(conn: sqlite3.Connection, documents: list[str] | None = None, *,
            method: Method = "all", model_name: str | None = None, jobs: int = 1,
            min_score: float = 0.5, min_positives: int = learning.DEFAULT_MIN_POSITIVES,
            progress: Progress | None = None, respondents_only: bool = False) -> SuggestReport:
    """Compute and store suggestions for the given documents (default: all);
    `respondents_only` suggests nothing for turns of interviewers or `other` speakers."""
    codes = require_codebook(conn)
    if documents:
        document_ids = [get_document(conn, name)["id"] for name in documents]
    else:
        document_ids = [r[0] for r in conn.execute("SELECT id FROM document ORDER BY name")]
    report = SuggestReport(documents=len(document_ids))
    if not document_ids:
        return report
    started = time.perf_counter()
    produced: dict[str, list[Row]] = {}
    if method in ("rules", "all"):
        produced["rules"], report.tokens, report.warnings = rule_rows(
            conn, codes, document_ids, model_name, jobs, progress)
    if method in ("model", "all"):
        report.training = learning.ensure_model(conn, min_positives=min_positives,
                                                model_name=model_name)
        produced["model"] = model_rows(conn, report.training.model, document_ids, model_name,
                                       min_score)
    if respondents_only:
        from ..speakers import non_respondent_segments

        skipped = non_respondent_segments(conn, document_ids)
        produced = {name: [r for r in rows if r[0] not in skipped]
                    for name, rows in produced.items()}
    report.seconds = time.perf_counter() - started
    report.segments = conn.execute(
        f"SELECT count(*) FROM segment WHERE document_id IN ({','.join('?' * len(document_ids))})",
        document_ids).fetchone()[0]
    with atomic(conn):
        for name, rows in produced.items():
            _store(conn, name, rows, document_ids, report)
    return report


def _store(conn: sqlite3.Connection, method: str, rows: list[Row], document_ids: list[int],
           report: SuggestReport) -> None:
    marks = ",".join("?" * len(document_ids))
    existing = {(r["segment_id"], r["code_id"]): (r["id"], r["status"]) for r in conn.execute(
        f"""SELECT g.id, g.segment_id, g.code_id, CASE WHEN EXISTS (SELECT 1 FROM decision x
                WHERE x.suggestion_id = g.id) THEN 'decided' ELSE 'pending' END AS status
            FROM suggestion g JOIN segment s ON s.id = g.segment_id
            WHERE g.method = ? AND s.document_id IN ({marks})""", (method, *document_ids))}
    fresh = set()
    stamp = now()
    for segment_id, code, score, evidence in rows:
        fresh.add((segment_id, code))
        known = existing.get((segment_id, code))
        if known is None:
            conn.execute("INSERT INTO suggestion (segment_id, code_id, method, score, evidence,"
                         " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                         (segment_id, code, method, score, evidence, stamp))
            report.created += 1
        elif known[1] == "pending":
            conn.execute("UPDATE suggestion SET score = ?, evidence = ? WHERE id = ?",
                         (score, evidence, known[0]))
            report.updated += 1
        else:
            report.decided_kept += 1
    stale = [known[0] for key, known in existing.items()
             if key not in fresh and known[1] == "pending"]
    conn.executemany("DELETE FROM suggestion WHERE id = ?", [(i,) for i in stale])
    report.removed += len(stale)
    report.by_method[method] = len(rows)
