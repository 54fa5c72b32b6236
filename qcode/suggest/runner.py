"""Computing suggestions for segments and storing them (`qcode suggest`).

Rules run per document: the whole text is tokenised once, pattern hits are mapped to the
segments they fall in, and each (segment, code) gets one suggestion. Its evidence is
compact JSON, `[[start, end, pattern], ...]`: the character offsets of each matched passage
and the number of the code's pattern (in the document's language) that found it; the words
are read from the document text when shown (`evidence.render`). A rule suggestion's score is
1 - 0.5^k for k distinct matched words (0.5, 0.75, 0.875, ...). Model suggestions carry the
calibrated probability (cross-fitted on the segments the model was trained on) and the words
that raised it most.

Work streams in chunks of documents: each chunk's rows are stored before the next chunk is
computed, so memory does not grow with the corpus; the whole command is still one
transaction. With `jobs` > 1, worker processes compute the chunks (each reading the project
read-only) and send back only the compact rows; the parent stores them with executemany.

Storing is idempotent: a pending suggestion is updated in place, a pending one that no
longer applies is removed, and one that any coder has decided is kept with its decisions
(table `decision`, one row per coder).
"""

from __future__ import annotations

import json
import sqlite3
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..codes import require_codebook
from ..documents import get_document
from ..store import atomic, database_file, now, open_reader
from ..workers import auto_jobs
from ..workers import pool as worker_pool
from . import model as learning
from .rules import Matches

Method = Literal["rules", "model", "all"]
Progress = Callable[[int, int, str], None]
Row = tuple[int, str, float, str]  # segment id, code, score, evidence JSON
CHUNK = 20  # documents per unit of work (and per store)


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


@dataclass
class Chunk:
    """The rows for some documents, with the tokens read and any warnings."""

    document_ids: list[int]
    rows: list[Row]
    tokens: int = 0
    warnings: list[str] = field(default_factory=list)


# -- rules, in this process or in worker processes -----------------------------------------

_WORKER: dict = {}


def _init_rules(database: str, codes: list[tuple[str, dict]], model_name: str | None) -> None:
    _WORKER.update(database=database, codes=codes, model=model_name, matchers={})


def _matcher(language: str, warnings: list[str]):
    from ..nlp import annotator
    from .rules import RuleMatcher

    if language not in _WORKER["matchers"]:
        nlp = annotator(language, _WORKER["model"])
        warnings += nlp.warnings
        _WORKER["matchers"][language] = RuleMatcher(_WORKER["codes"], nlp)
    return _WORKER["matchers"][language]


def _rule_chunk(document_ids: list[int]) -> Chunk:
    """Rule suggestions for these documents (run in a worker or in this process)."""
    conn = open_reader(_WORKER["database"])
    chunk = Chunk(document_ids, [])
    try:
        for document_id in document_ids:
            text, language = conn.execute("SELECT text, language FROM document WHERE id = ?",
                                          (document_id,)).fetchone()
            matcher = _matcher(language, chunk.warnings)
            segments = conn.execute('SELECT id, start, "end" FROM segment WHERE document_id = ?'
                                    " ORDER BY start", (document_id,)).fetchall()
            found = []
            for offset, window in windows(text, [s[1] for s in segments]):
                doc = matcher.annotator(window)
                chunk.tokens += len(doc)
                found.append(matcher.matches(doc).shifted(offset))
                del doc
            chunk.rows += document_rows(text, Matches.joined(found), segments, matcher.codes)
    finally:
        conn.close()
    return chunk


def document_rows(text: str, found, segments: list[tuple[int, int, int]],
                  codes: list[str]) -> list[Row]:
    """(segment, code, score, evidence) for one document's matches (`rules.Matches`).

    A hit belongs to every segment it overlaps, found with one sorted search: the segment
    that starts last at or before the hit, then any later ones the hit reaches into. (A
    hit starting before the first segment, in a header, belongs to none.)
    """
    import numpy as np

    if not len(found) or not segments:
        return []
    table = np.array(segments, dtype="int64").reshape(-1, 3)
    ids, starts, ends = table[:, 0], table[:, 1], table[:, 2]
    where = np.searchsorted(starts, found.start, side="right") - 1
    inside = where >= 0
    inside[inside] = ends[where[inside]] > found.start[inside]
    hit_index = np.flatnonzero(inside)
    segment_index = where[inside]
    later = np.flatnonzero((where + 1 < len(starts))
                           & (starts[np.minimum(where + 1, len(starts) - 1)] < found.end)
                           & (where >= 0))
    if len(later):  # rare: a hit that runs past the end of its segment into the next
        extra_hits, extra_segments = [], []
        for h in later.tolist():
            n = int(where[h]) + 1
            while n < len(starts) and starts[n] < found.end[h]:
                extra_hits.append(h)
                extra_segments.append(n)
                n += 1
        hit_index = np.concatenate([hit_index, np.array(extra_hits, dtype="int64")])
        segment_index = np.concatenate([segment_index, np.array(extra_segments, dtype="int64")])
    code = found.code[hit_index]
    order = np.lexsort((found.end[hit_index], found.start[hit_index], code, segment_index))
    rows: list[Row] = []
    key = None
    evidence: list[str] = []
    words: set[str] = set()
    for s, c, h in zip(ids[segment_index[order]].tolist(), code[order].tolist(),
                       hit_index[order].tolist(), strict=True):
        if (s, c) != key:
            if key is not None:
                rows.append((key[0], codes[key[1]], 1 - 0.5 ** len(words),
                             f"[{','.join(evidence)}]"))
            key, evidence, words = (s, c), [], set()
        start, end = int(found.start[h]), int(found.end[h])
        evidence.append(f"[{start},{end},{int(found.pattern[h])}]")
        words.add(text[start:end].lower())
    rows.append((key[0], codes[key[1]], 1 - 0.5 ** len(words), f"[{','.join(evidence)}]"))
    return rows


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


# Documents from which `qcode suggest` without --jobs runs the rules in one worker per core.
JOBS_WORTH_FROM = 20


def rule_chunks(conn: sqlite3.Connection, codes: list[sqlite3.Row], document_ids: list[int],
                model_name: str | None = None, jobs: int | None = 1,
                progress: Progress | None = None) -> Iterator[Chunk]:
    """Run the codes' patterns over documents chunk by chunk, over `jobs` processes
    (each worker reads the project itself, read-only); chunks come back in order. `jobs`
    None: one per core from JOBS_WORTH_FROM documents (`workers.auto_jobs`)."""
    jobs = auto_jobs(jobs, len(document_ids), JOBS_WORTH_FROM)
    database = database_file(conn)
    patterns = [(c["id"], json.loads(c["patterns"])) for c in codes]
    size = max(1, min(CHUNK, len(document_ids) // (jobs * 8) or 1))
    chunks = [document_ids[i:i + size] for i in range(0, len(document_ids), size)]
    if jobs <= 1:
        _init_rules(database, patterns, model_name)
        results = map(_rule_chunk, chunks)
        pool = None
    else:
        # Load the lemma indexes here first: forked workers share them.
        from ..nlp import annotator

        marks = ",".join("?" * len(document_ids))
        for (language,) in conn.execute(f"SELECT DISTINCT language FROM document WHERE id IN "
                                        f"({marks})", document_ids):
            annotator(language, model_name)
        pool = worker_pool(jobs, _init_rules, database, patterns, model_name)
        results = pool.map(_rule_chunk, chunks)
    done = 0
    try:
        for chunk in results:
            done += len(chunk.document_ids)
            if progress:
                progress(done, len(document_ids), "documents")
            yield chunk
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def rule_rows(conn: sqlite3.Connection, codes: list[sqlite3.Row], document_ids: list[int],
              model_name: str | None = None, jobs: int | None = 1,
              progress: Progress | None = None) -> tuple[list[Row], int, list[str]]:
    """All rule rows at once (for evaluation), with the tokens read and any warnings."""
    rows: list[Row] = []
    tokens = 0
    warnings: list[str] = []
    for chunk in rule_chunks(conn, codes, document_ids, model_name, jobs, progress):
        rows += chunk.rows
        tokens += chunk.tokens
        warnings += [w for w in chunk.warnings if w not in warnings]
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
            method: Method = "all", model_name: str | None = None, jobs: int | None = None,
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
    skipped: set[int] = set()
    if respondents_only:
        from ..speakers import non_respondent_segments

        skipped = non_respondent_segments(conn, document_ids)
    with atomic(conn):
        if method in ("rules", "all"):
            for chunk in rule_chunks(conn, codes, document_ids, model_name, jobs, progress):
                report.tokens += chunk.tokens
                report.warnings += [w for w in chunk.warnings if w not in report.warnings]
                _store(conn, "rules", _kept(chunk.rows, skipped), chunk.document_ids, report)
        if method in ("model", "all"):
            report.training = learning.ensure_model(conn, min_positives=min_positives,
                                                    model_name=model_name)
            for first in range(0, len(document_ids), CHUNK * 10):
                some = document_ids[first:first + CHUNK * 10]
                rows = model_rows(conn, report.training.model, some, model_name, min_score)
                _store(conn, "model", _kept(rows, skipped), some, report)
        report.seconds = time.perf_counter() - started
    report.segments = conn.execute(
        f"SELECT count(*) FROM segment WHERE document_id IN ({','.join('?' * len(document_ids))})",
        document_ids).fetchone()[0]
    return report


def _kept(rows: list[Row], skipped: set[int]) -> list[Row]:
    """The rows whose segment is not among `skipped` (the non-respondents' turns)."""
    return [r for r in rows if r[0] not in skipped] if skipped else rows


def _store(conn: sqlite3.Connection, method: str, rows: list[Row], document_ids: list[int],
           report: SuggestReport) -> None:
    """Store one chunk's rows for `document_ids` (inside the command's transaction)."""
    marks = ",".join("?" * len(document_ids))
    existing = {(r["segment_id"], r["code_id"]): (r["id"], r["status"]) for r in conn.execute(
        f"""SELECT g.id, g.segment_id, g.code_id, CASE WHEN EXISTS (SELECT 1 FROM decision x
                WHERE x.suggestion_id = g.id) THEN 'decided' ELSE 'pending' END AS status
            FROM suggestion g JOIN segment s ON s.id = g.segment_id
            WHERE g.method = ? AND s.document_id IN ({marks})""", (method, *document_ids))}
    fresh = set()
    stamp = now()
    inserts, updates = [], []
    for segment_id, code, score, evidence in rows:
        fresh.add((segment_id, code))
        known = existing.get((segment_id, code))
        if known is None:
            inserts.append((segment_id, code, method, score, evidence, stamp))
        elif known[1] == "pending":
            updates.append((score, evidence, known[0]))
        else:
            report.decided_kept += 1
    conn.executemany("INSERT INTO suggestion (segment_id, code_id, method, score, evidence,"
                     " created_at) VALUES (?, ?, ?, ?, ?, ?)", inserts)
    conn.executemany("UPDATE suggestion SET score = ?, evidence = ? WHERE id = ?", updates)
    report.created += len(inserts)
    report.updated += len(updates)
    stale = [known[0] for key, known in existing.items()
             if key not in fresh and known[1] == "pending"]
    conn.executemany("DELETE FROM suggestion WHERE id = ?", [(i,) for i in stale])
    report.removed += len(stale)
    report.by_method[method] = report.by_method.get(method, 0) + len(rows)
