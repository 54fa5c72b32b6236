"""Turning a project's codings into reliability data.

Segment units (`--unit segment`): every segment of a document that at least two of the
chosen coders have coded is a unit, once per code. A coder's value for (segment, code) is
1 when one of their live codings of the code overlaps the segment by at least `overlap`
of the segment's length OR of the coding's length (the larger share counts, so a sentence
coded inside a long turn and a coding that spans two whole segments both count), 0 when the
coder coded that document but not this, and missing when the coder never coded the document.

Span units (`--unit span`): the documents coded by every chosen coder, laid end to end,
form one continuum; each coder's codings of the code (overlaps merged) are their units.
"""

from __future__ import annotations

import fnmatch
import sqlite3
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..codes import require_codebook
from ..errors import InputError

Span = tuple[int, int]


@dataclass
class Selection:
    coders: list[str]
    codes: list[str]
    documents: list[tuple[int, str]]          # (id, name) coded by two or more coders
    coded_by: dict[str, set[int]] = field(default_factory=dict)  # coder -> document ids


def select(conn: sqlite3.Connection, coders: list[str] | None = None,
           codes: str | None = None, documents: str | None = None) -> Selection:
    known = [r[0] for r in conn.execute(
        "SELECT DISTINCT coder FROM coding WHERE removed_at IS NULL ORDER BY coder")]
    chosen = coders or known
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
    coded_by = {coder: {r[0] for r in conn.execute(
        "SELECT DISTINCT document_id FROM coding WHERE coder = ? AND removed_at IS NULL",
        (coder,))} for coder in chosen}
    docs = [(r[0], r[1]) for r in conn.execute("SELECT id, name FROM document ORDER BY name")
            if sum(r[0] in coded_by[c] for c in chosen) >= 2
            and (not documents or fnmatch.fnmatchcase(r[1], documents))]
    if not docs:
        raise InputError("no document has been coded by two of these coders"
                         + (f" among those matching '{documents}'" if documents else ""))
    return Selection(chosen, picked, docs, coded_by)


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
    segments = conn.execute(f"""
        SELECT s.id, s.document_id, s.ordinal, s.start, s."end", s.speaker, d.name AS document
        FROM segment s JOIN document d ON d.id = s.document_id
        WHERE s.document_id IN ({marks}) ORDER BY d.name, s.ordinal""", ids).fetchall()
    base = np.full((len(segments), len(selection.coders)), np.nan)
    for column, coder in enumerate(selection.coders):
        coded = np.array([s["document_id"] in selection.coded_by[coder] for s in segments])
        base[coded, column] = 0.0
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

    full = [(i, name) for i, name in selection.documents
            if all(i in selection.coded_by[c] for c in selection.coders)]
    if not full:
        raise InputError("span agreement needs documents coded by every chosen coder; none "
                         "is (choose fewer --coders)")
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
