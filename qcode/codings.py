"""Codings: applying codes to segments or spans, removing them (recorded), CSV/JSON exchange."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from . import codes as code_store
from .coders import register
from .documents import get_document, segments_of
from .errors import InputError, NotFoundError
from .store import atomic, now

CSV_COLUMNS = ["document", "code", "coder", "segment", "start", "end", "memo"]


@dataclass(frozen=True)
class Target:
    """Where a coding goes: a character span, and the segment number if it is exactly one."""

    start: int
    end: int
    segment: int | None = None
    asked: tuple[int, int] | None = None  # the span as typed, when snapped to whole words

    @property
    def label(self) -> str:
        if self.segment:
            return f"segment {self.segment}"
        snapped = (f" (snapped to whole words from {self.asked[0]}:{self.asked[1]})"
                   if self.asked and self.asked != (self.start, self.end) else "")
        return f"span {self.start}:{self.end}{snapped}"


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words (a word is a run of letters, digits, _ and inner
    apostrophes or hyphens) and trim surrounding white space, so `--span` never cuts a word
    in half."""
    def inside(i: int) -> bool:  # is the boundary at i in the middle of a word?
        if not 0 < i < len(text):
            return False
        left, right = text[i - 1], text[i]
        joiners = "'’-"
        if left.isalnum() or left == "_":
            return right.isalnum() or right == "_" or (
                right in joiners and i + 1 < len(text) and text[i + 1].isalnum())
        return left in joiners and right.isalnum() and i > 1 and text[i - 2].isalnum()

    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise InputError(f"span {start}:{end} holds only white space; choose a span with words")
    while inside(start):
        start -= 1
    while inside(end):
        end += 1
    return start, end


def parse_segments(spec: str) -> list[int]:
    """`3`, `3-5` or `3,7,9` -> segment numbers."""
    numbers: list[int] = []
    try:
        for part in spec.split(","):
            low, _, high = part.partition("-")
            numbers += range(int(low), int(high or low) + 1)
    except ValueError:
        raise InputError(f"'{spec}' is not a segment number; use e.g. 3, 3-5 or 3,7 "
                         "(numbers as shown by `qcode show`)") from None
    return numbers


def parse_span(spec: str) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in spec.split(":"))
    except ValueError:
        raise InputError(f"--span {spec}: write START:END in characters, e.g. 120:245") from None
    return start, end


def targets(conn: sqlite3.Connection, doc: sqlite3.Row, segments: list[int] | None = None,
            span: tuple[int, int] | None = None, exact: bool = True) -> list[Target]:
    """The spans to code: segments by number, or one character span (snapped to whole words
    unless `exact`)."""
    if span is not None:
        start, end = span
        if not 0 <= start < end <= len(doc["text"]):
            raise InputError(f"span {start}:{end} is outside document '{doc['name']}' "
                             f"(0:{len(doc['text'])}) or empty; START must be below END")
        if not exact:
            start, end = snap(doc["text"], start, end)
        return [Target(start, end, asked=span)]
    return segment_targets(doc, {r["ordinal"]: r for r in segments_of(conn, doc["id"])},
                           segments or [])


def segment_targets(doc: sqlite3.Row, rows: dict[int, sqlite3.Row],
                    segments: list[int]) -> list[Target]:
    """The spans of segments numbered `segments`, given the document's segments by number."""
    out = []
    for number in segments:
        if number not in rows:
            raise NotFoundError(f"document '{doc['name']}' has no segment {number} "
                                f"(it has 1-{len(rows)}); `qcode show {doc['name']}` numbers them")
        out.append(Target(rows[number]["start"], rows[number]["end"], number))
    return out


def add(conn: sqlite3.Connection, document: str, targets_: list[Target], code_ids: list[str],
        coder: str, memo: str | None = None, origin: str = "manual") -> list[tuple[str, str, bool]]:
    """Apply each code to each target; return (target, code, created) - existing ones are kept."""
    doc = get_document(conn, document)
    for code_id in code_ids:
        code_store.resolve(conn, code_id)
    results = []
    with atomic(conn):
        register(conn, coder)
        for target in targets_:
            for code_id in code_ids:
                cursor = conn.execute(
                    'INSERT INTO coding (document_id, code_id, coder, start, "end", memo, origin,'
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (doc["id"], code_id, coder, target.start, target.end, memo, origin, now()))
                results.append((target.label, code_id, cursor.rowcount == 1))
    return results


def remove(conn: sqlite3.Connection, document: str, targets_: list[Target], code_ids: list[str],
           coder: str) -> list[tuple[str, str]]:
    """Mark this coder's codings of these targets as removed; return (what, code) for each.

    A target takes with it the coder's codings of the code that lie inside it (a `--span`
    coding inside a segment goes with `uncode DOC SEGMENT CODE`). A coding that overlaps the
    target but runs beyond it is refused by name (remove it with its own `--span`), so that
    `show` never keeps listing a code `uncode` said it removed. All or nothing."""
    doc = get_document(conn, document)
    for code_id in code_ids:
        code_store.resolve(conn, code_id)
    removed: list[tuple[str, str]] = []
    stamp = now()
    with atomic(conn):
        for target in targets_:
            for code_id in code_ids:
                rows = conn.execute(
                    'SELECT id, start, "end" FROM coding WHERE document_id = ? AND code_id = ?'
                    ' AND coder = ? AND start < ? AND "end" > ? AND removed_at IS NULL'
                    " ORDER BY start", (doc["id"], code_id, coder, target.end, target.start))\
                    .fetchall()
                beyond = [r for r in rows if r["start"] < target.start or r["end"] > target.end]
                if beyond:
                    spans = ", ".join(f"{r['start']}:{r['end']}" for r in beyond)
                    raise InputError(
                        f"{coder}'s coding of {code_id} at {spans} runs beyond {target.label} "
                        f"of '{document}'; nothing removed (remove it with `qcode uncode "
                        f"{document} --span {beyond[0]['start']}:{beyond[0]['end']} "
                        f"{code_id} --exact`)")
                if not rows:
                    raise NotFoundError(f"{coder} has not coded {target.label} of "
                                        f"'{document}' with {code_id}; nothing removed")
                conn.executemany("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?",
                                 [(stamp, coder, r["id"]) for r in rows])
                for r in rows:
                    whole = (r["start"], r["end"]) == (target.start, target.end)
                    what = target.label if whole else f"span {r['start']}:{r['end']} inside " \
                        f"{target.label}"
                    removed.append((what, code_id))
    return removed


def import_csv(conn: sqlite3.Connection, path: Path, default_coder: str | None = None,
               coder_map: dict[str, str] | None = None) -> tuple[int, int]:
    """Import codings from a CSV or JSON file (see CSV_COLUMNS); return (added, already
    present). Every bad row is reported (up to a limit) with its line, and then nothing is
    imported. `coder_map` renames coders on the way in (`merge --coder-map`).

    The whole file is read, checked and resolved against the project first, only reading,
    so other commands can write meanwhile; then everything is written in one short
    transaction, which refuses if a document or code it needs has gone since."""
    from .codings_import import read_codings, write_codings

    return write_codings(conn, path, read_codings(conn, path, default_coder, coder_map))


def export_rows(conn: sqlite3.Connection, coder: str | None = None) -> list[dict]:
    """Live codings as rows with CSV_COLUMNS (segment filled when the span is one segment)."""
    rows = conn.execute(f"""
        SELECT d.name AS document, c.code_id AS code, c.coder, s.ordinal AS segment,
               c.start, c."end", coalesce(c.memo, '') AS memo
        FROM coding c JOIN document d ON d.id = c.document_id
        JOIN code k ON k.id = c.code_id
        LEFT JOIN segment s ON s.document_id = c.document_id AND s.start = c.start
             AND s."end" = c."end"
        WHERE c.removed_at IS NULL {"AND c.coder = ?" if coder else ""}
        ORDER BY d.name, c.start, c."end", k.position, c.coder""",
                        (coder,) if coder else ()).fetchall()
    return [{k: ("" if r[k] is None else r[k]) for k in CSV_COLUMNS} for r in rows]
