"""`codings import` in two phases, so the project's write lock is held only for the writing.

`read_codings` reads the file and resolves every row against the project (documents, their
segments, codes), reading only, and reports every bad row together. `write_codings` then
writes all rows in one transaction with executemany, after checking that every document and
code the rows need is still there (another command may have written while the file was
read): if one has gone it refuses with one line, and nothing is written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import codes as code_store
from .coders import register
from .codings import CSV_COLUMNS, segment_targets, targets
from .documents import get_document, segments_of
from .errors import InputError, NotFoundError, QcodeError
from .exchange import RowProblems, read_rows
from .store import atomic, now


@dataclass
class ResolvedCodings:
    """Rows ready to insert: (document id, code id, coder, start, end, memo)."""

    rows: list[tuple[int, str, str, int, int, str | None]] = field(default_factory=list)
    documents: dict[int, str] = field(default_factory=dict)  # id -> name, as read
    codes: set[str] = field(default_factory=set)
    coders: dict[str, None] = field(default_factory=dict)  # in file order


class _Project:
    """The documents, their segments and the codes the rows name, each looked up once; a
    lookup that failed fails again with the same error for every row that repeats it."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.documents: dict[str, sqlite3.Row | QcodeError] = {}
        self.segments: dict[int, dict[int, sqlite3.Row]] = {}
        self.codes: dict[str, QcodeError | None] = {}

    def document(self, name: str) -> sqlite3.Row:
        if name not in self.documents:
            try:
                self.documents[name] = get_document(self.conn, name)
            except QcodeError as exc:
                self.documents[name] = exc
        return _found(self.documents[name])

    def numbered(self, doc: sqlite3.Row) -> dict[int, sqlite3.Row]:
        """The document's segments by number."""
        if doc["id"] not in self.segments:
            self.segments[doc["id"]] = {r["ordinal"]: r for r in segments_of(self.conn,
                                                                             doc["id"])}
        return self.segments[doc["id"]]

    def code(self, code_id: str) -> None:
        if code_id not in self.codes:
            try:
                code_store.resolve(self.conn, code_id)
                self.codes[code_id] = None
            except QcodeError as exc:
                self.codes[code_id] = exc
        _found(self.codes[code_id])


def _found(value):
    if isinstance(value, QcodeError):
        raise value
    return value


def read_codings(conn: sqlite3.Connection, path: Path, default_coder: str | None,
                 coder_map: dict[str, str] | None) -> ResolvedCodings:
    """Every row of the file resolved against the project, reading only; InputError listing
    every bad row (see RowProblems) if there is one."""
    problems = RowProblems(path)
    columns, rows = read_rows(path, set(CSV_COLUMNS), problems)
    has_span = {"start", "end"} <= set(columns)
    missing = [c for c in ("document", "code") if c not in columns]
    if "coder" not in columns and not default_coder:
        missing.append("coder")
    if missing or not (has_span or "segment" in columns):
        need = missing + ([] if has_span or "segment" in columns else ["segment (or start,end)"])
        raise InputError(f"{path}, line 1: missing column(s) {', '.join(need)}; expected "
                         f"{','.join(CSV_COLUMNS)} (found {','.join(columns) or 'nothing'})")
    project = _Project(conn)
    out = ResolvedCodings()
    for line, values in rows:
        try:
            name = values.get("document", "")
            if not name:
                raise InputError("the document column is empty")
            doc = project.document(name)
            if has_span and values.get("start") and values.get("end"):
                where = targets(conn, doc, span=(int(values["start"]), int(values["end"])))
            else:
                where = segment_targets(doc, project.numbered(doc),
                                        [int(values.get("segment", ""))])
            coder = values.get("coder") or default_coder
            if not coder:
                raise InputError("the coder column is empty")
            coder = (coder_map or {}).get(coder, coder)
            code_id = values.get("code", "")
            project.code(code_id)
        except ValueError:
            problems.add(line, "segment, start and end must be whole numbers")
            continue
        except (InputError, NotFoundError) as exc:
            problems.add(line, str(exc))
            continue
        out.rows.append((doc["id"], code_id, coder, where[0].start, where[0].end,
                         values.get("memo") or None))
        out.documents[doc["id"]] = doc["name"]
        out.codes.add(code_id)
        out.coders[coder] = None
    problems.raise_if_any()
    return out


def write_codings(conn: sqlite3.Connection, path: Path,
                  resolved: ResolvedCodings) -> tuple[int, int]:
    """Insert the rows in one transaction; (added, already present)."""
    stamp = now()
    with atomic(conn):
        _still_there(conn, path, resolved)
        for coder in resolved.coders:
            register(conn, coder)
        added = conn.executemany(
            'INSERT INTO coding (document_id, code_id, coder, start, "end", memo, origin,'
            " created_at) VALUES (?, ?, ?, ?, ?, ?, 'imported', ?) ON CONFLICT DO NOTHING",
            [(*row, stamp) for row in resolved.rows]).rowcount
    return added, len(resolved.rows) - added


def _still_there(conn: sqlite3.Connection, path: Path, resolved: ResolvedCodings) -> None:
    """Refuse when a document or code the rows need went while the file was being read."""
    documents = {r[0] for r in conn.execute("SELECT id FROM document")}
    gone = [name for id_, name in resolved.documents.items() if id_ not in documents]
    if gone:
        raise InputError(f"{path}: document '{gone[0]}' was removed while the file was being "
                         "read; nothing imported, import it again")
    codes = {r[0] for r in conn.execute("SELECT id FROM code WHERE retired_at IS NULL")}
    gone = sorted(resolved.codes - codes)
    if gone:
        raise InputError(f"{path}: code '{gone[0]}' was removed or renamed while the file was "
                         "being read; nothing imported, check the codebook and import again")
