"""Codings: applying codes to segments or spans, removing them (recorded), CSV exchange."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from . import codes as code_store
from .coders import register
from .documents import get_document, segments_of
from .errors import InputError, NotFoundError
from .importers.decoding import read_text_file
from .store import atomic, now

CSV_COLUMNS = ["document", "code", "coder", "segment", "start", "end", "memo"]


@dataclass(frozen=True)
class Target:
    """Where a coding goes: a character span, and the segment number if it is exactly one."""

    start: int
    end: int
    segment: int | None = None

    @property
    def label(self) -> str:
        return f"segment {self.segment}" if self.segment else f"span {self.start}:{self.end}"


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
            span: tuple[int, int] | None = None) -> list[Target]:
    if span is not None:
        start, end = span
        if not 0 <= start < end <= len(doc["text"]):
            raise InputError(f"span {start}:{end} is outside document '{doc['name']}' "
                             f"(0:{len(doc['text'])}) or empty; START must be below END")
        return [Target(start, end)]
    rows = {r["ordinal"]: r for r in segments_of(conn, doc["id"])}
    out = []
    for number in segments or []:
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
           coder: str) -> int:
    """Mark this coder's codings of exactly these targets as removed; return how many."""
    doc = get_document(conn, document)
    for code_id in code_ids:
        code_store.resolve(conn, code_id)
    removed = 0
    with atomic(conn):
        for target in targets_:
            for code_id in code_ids:
                count = conn.execute(
                    'UPDATE coding SET removed_at = ?, removed_by = ? WHERE document_id = ?'
                    ' AND code_id = ? AND coder = ? AND start = ? AND "end" = ?'
                    " AND removed_at IS NULL",
                    (now(), coder, doc["id"], code_id, coder, target.start, target.end)).rowcount
                if not count:
                    raise NotFoundError(f"{coder} has not coded {target.label} of "
                                        f"'{document}' with {code_id}; nothing removed")
                removed += count
    return removed


def import_csv(conn: sqlite3.Connection, path: Path, default_coder: str | None = None,
               coder_map: dict[str, str] | None = None) -> tuple[int, int]:
    """Import codings from CSV (see CSV_COLUMNS); return (added, already present).
    `coder_map` renames coders on the way in (`merge --coder-map`)."""
    reader = csv.DictReader(io.StringIO(read_text_file(path)))
    columns = [c.strip() for c in reader.fieldnames or []]
    has_span = {"start", "end"} <= set(columns)
    missing = [c for c in ("document", "code") if c not in columns]
    if "coder" not in columns and not default_coder:
        missing.append("coder")
    if missing or not (has_span or "segment" in columns):
        need = missing + ([] if has_span or "segment" in columns else ["segment (or start,end)"])
        raise InputError(f"{path}, line 1: missing column(s) {', '.join(need)}; expected "
                         f"{','.join(CSV_COLUMNS)}")
    added = present = 0
    docs: dict[str, sqlite3.Row] = {}
    with atomic(conn):
        for row in reader:
            line = reader.line_num
            values = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            try:
                name = values["document"]
                if name not in docs:
                    docs[name] = get_document(conn, name)
                if has_span and values.get("start") and values.get("end"):
                    where = targets(conn, docs[name],
                                    span=(int(values["start"]), int(values["end"])))
                else:
                    where = targets(conn, docs[name], segments=[int(values.get("segment", ""))])
                coder = values.get("coder") or default_coder
                if not coder:
                    raise InputError("the coder column is empty")
                coder = (coder_map or {}).get(coder, coder)
                result = add(conn, name, where, [values["code"]], coder,
                             values.get("memo") or None, origin="imported")
            except ValueError:
                raise InputError(f"{path}, line {line}: segment, start and end must be whole "
                                 "numbers") from None
            except (InputError, NotFoundError) as exc:
                raise type(exc)(f"{path}, line {line}: {exc}") from None
            added += result[0][2]
            present += not result[0][2]
    return added, present


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
