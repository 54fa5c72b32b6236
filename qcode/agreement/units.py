"""Turning a project's codings into reliability data.

Coders. By default every coder with live codings or reviewed segments, except consensus
coders (`qcode coders`: they repeat the coders they were drawn from) and removed coders;
naming a consensus coder in `--coders` compares it like any other.

Coverage: which segments a coder has read. A segment is covered by a coder who moved on
from it or decided on it in `qcode review` (table `reviewed`), or coded anything
overlapping it. In a document where the coder has no review record at all (codings from
the command line, a CSV or a merged copy) every segment counts as read once they coded
anything there. Only units covered by every compared coder are compared, so a coder who
stopped at segment 15 of 29 is not counted as "not applied" on segments 16-29; the report
says how many units were left out and whose coverage they lacked.

Segment units (`--unit segment`): every segment covered by all the chosen coders, once per
code. A coder's value for (segment, code) is 1 when one of their live codings of the code
overlaps the segment by at least `overlap` of the segment's length OR of the coding's length
(the larger share counts, so a sentence coded inside a long turn and a coding that spans two
whole segments both count), 0 otherwise.

Span units (`--unit span`): the documents every chosen coder covered entirely, laid end to
end, form one continuum; each coder's codings of the code (overlaps merged) are their units.
"""

from __future__ import annotations

import fnmatch
import sqlite3
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..coders import consensus_coders, coverage, removed_coders
from ..codes import require_codebook
from ..errors import InputError

Span = tuple[int, int]


@dataclass
class Selection:
    coders: list[str]
    codes: list[str]
    documents: list[tuple[int, str]]          # (id, name) with a unit every coder covered
    coded_by: dict[str, set[int]] = field(default_factory=dict)  # coder -> document ids
    covered: dict[str, set[int]] = field(default_factory=dict)   # coder -> segment ids
    left_out: int = 0                          # segments some but not all coders covered
    missing: dict[str, int] = field(default_factory=dict)  # coder -> of those, not covered
    consensus_left_out: list[str] = field(default_factory=list)


def select(conn: sqlite3.Connection, coders: list[str] | None = None,
           codes: str | None = None, documents: str | None = None) -> Selection:
    gone = removed_coders(conn)
    known = sorted({r[0] for r in conn.execute(
        "SELECT coder FROM coding WHERE removed_at IS NULL UNION SELECT coder FROM reviewed")}
        - gone)
    consensus = set(consensus_coders(conn))
    chosen = coders or [c for c in known if c not in consensus]
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise InputError(f"no codings by {', '.join(unknown)}; coders in this project: "
                         f"{', '.join(known) or 'none yet'}")
    if len(chosen) < 2:
        raise InputError(f"agreement needs at least two coders (found: "
                         f"{', '.join(chosen) or 'none'}); import another coder's codings or "
                         "merge their project")
    all_codes = [r["id"] for r in require_codebook(conn)]
    picked = [c for c in all_codes if fnmatch.fnmatchcase(c, codes)] if codes else all_codes
    if not picked:
        raise InputError(f"--codes {codes}: matches no code; use a pattern such as 'route.*'")
    covered = {coder: coverage(conn, coder) for coder in chosen}
    names = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM document")}
    document_of = {r[0]: r[1] for r in conn.execute("SELECT id, document_id FROM segment")
                   if not documents or fnmatch.fnmatchcase(names[r[1]], documents)}
    everyone = set(document_of).intersection(*covered.values())
    anyone = set(document_of).intersection(set().union(*covered.values()))
    docs = sorted({document_of[s] for s in everyone}, key=lambda i: names[i])
    if not docs:
        raise InputError("no segment has been read by all of " + ", ".join(chosen)
                         + (f" in documents matching '{documents}'" if documents else "")
                         + "; choose --coders who coded the same documents")
    coded_by = {coder: {document_of[s] for s in covered[coder] if s in document_of}
                for coder in chosen}
    partial = anyone - everyone
    return Selection(chosen, picked, [(i, names[i]) for i in docs], coded_by,
                     {c: covered[c] & everyone for c in chosen}, len(partial),
                     {c: len(partial - covered[c]) for c in chosen},
                     [] if coders else sorted(consensus & set(known)))


def _codings(conn: sqlite3.Connection, selection: Selection, document_ids: list[int]):
    marks = ",".join("?" * len(document_ids))
    coder_marks = ",".join("?" * len(selection.coders))
    return conn.execute(f"""
        SELECT document_id, code_id, coder, start, "end" FROM coding
        WHERE removed_at IS NULL AND document_id IN ({marks}) AND coder IN ({coder_marks})""",
                        (*document_ids, *selection.coders)).fetchall()


@dataclass
class SegmentUnits:
    segments: list[sqlite3.Row]             # id, document_id, ordinal, start, end, speaker
    data: dict[str, np.ndarray]             # code -> units x coders (1, 0 or NaN)


def segment_units(conn: sqlite3.Connection, selection: Selection,
                  overlap: float = 0.5) -> SegmentUnits:
    ids = [d[0] for d in selection.documents]
    marks = ",".join("?" * len(ids))
    shared = set.intersection(*selection.covered.values())
    segments = [s for s in conn.execute(f"""
        SELECT s.id, s.document_id, s.ordinal, s.start, s."end", s.speaker, d.name AS document
        FROM segment s JOIN document d ON d.id = s.document_id
        WHERE s.document_id IN ({marks}) ORDER BY d.name, s.ordinal""", ids) if s[0] in shared]
    base = np.zeros((len(segments), len(selection.coders)))
    by_document: dict[int, list[int]] = defaultdict(list)
    for row, segment in enumerate(segments):
        by_document[segment["document_id"]].append(row)
    data = {code: base.copy() for code in selection.codes}
    column_of = {coder: i for i, coder in enumerate(selection.coders)}
    for document_id, code, coder, start, end in _codings(conn, selection, ids):
        if code not in data:
            continue
        rows = by_document[document_id]
        starts = [segments[r]["start"] for r in rows]
        position = max(0, bisect_right(starts, start) - 1)
        for row in rows[position:]:
            segment = segments[row]
            if segment["start"] >= end:
                break
            shared = min(end, segment["end"]) - max(start, segment["start"])
            if shared > 0 and max(shared / (segment["end"] - segment["start"]),
                                  shared / (end - start)) >= overlap:
                data[code][row, column_of[coder]] = 1.0
    return SegmentUnits(segments, data)


@dataclass
class SpanUnits:
    length: int
    documents: list[str]
    spans: dict[str, list[list[Span]]]      # code -> per coder, units on the continuum


def span_units(conn: sqlite3.Connection, selection: Selection) -> SpanUnits:
    from .unitizing import union

    shared = set.intersection(*selection.covered.values())
    wanted = dict(selection.documents)
    incomplete_docs = {document_id for segment_id, document_id in conn.execute(
        "SELECT id, document_id FROM segment") if document_id in wanted
        and segment_id not in shared}
    full = [(i, name) for i, name in selection.documents if i not in incomplete_docs]
    if not full:
        raise InputError("span agreement needs documents read entirely by every chosen coder; "
                         "none is (choose fewer --coders)")
    offsets, position = {}, 0
    for document_id, _ in full:
        offsets[document_id] = position
        position += conn.execute("SELECT length(text) FROM document WHERE id = ?",
                                 (document_id,)).fetchone()[0]
    raw: dict[str, list[list[Span]]] = {code: [[] for _ in selection.coders]
                                        for code in selection.codes}
    column_of = {coder: i for i, coder in enumerate(selection.coders)}
    for document_id, code, coder, start, end in _codings(conn, selection, list(offsets)):
        if code in raw:
            shift = offsets[document_id]
            raw[code][column_of[coder]].append((start + shift, end + shift))
    spans = {code: [union(units) for units in per_coder] for code, per_coder in raw.items()}
    return SpanUnits(position, [name for _, name in full], spans)
