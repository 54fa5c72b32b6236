"""Merging another coder's copy of the project (or a codings CSV) into this one.

Documents are matched by the sha256 of their text, so names may differ; a document whose
name exists here with a different text is refused, because offsets would no longer point at
the same words. Codings (live and removed, with their history and memos), memos on
documents, segments and codes (one per author and target: the later edit wins), every
coder's suggestion decisions, review coverage and coder kinds (a consensus coder stays one)
come across; merging the same copy twice adds nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .store import atomic, open_readonly


@dataclass
class MergeReport:
    documents: int = 0
    codings_added: int = 0
    codings_present: int = 0
    memos_added: int = 0
    decisions_added: int = 0
    skipped_documents: list[str] = field(default_factory=list)


def parse_coder_map(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise InputError(f"--coder-map {item}: write OLD=NEW, e.g. ana=ana_copy")
        mapping[old.strip()] = new.strip()
    return mapping


def _open_other(path: Path) -> sqlite3.Connection:
    path = path / "qcode.db" if path.is_dir() else path
    if not path.is_file():
        raise InputError(f"{path}: no such project or file to merge")
    return open_readonly(path)


def merge_project(conn: sqlite3.Connection, path: Path,
                  coder_map: dict[str, str] | None = None) -> MergeReport:
    coder_map = coder_map or {}
    other = _open_other(path)
    report = MergeReport()
    here = conn.execute("SELECT id, name, sha256 FROM document").fetchall()
    here_by_sha = {r["sha256"]: r["id"] for r in here}
    here_by_name = {r["name"]: r["sha256"] for r in here}
    documents: dict[int, int] = {}
    for row in other.execute("SELECT id, name, sha256 FROM document ORDER BY name"):
        if row["sha256"] in here_by_sha:
            documents[row["id"]] = here_by_sha[row["sha256"]]
        elif row["name"] in here_by_name:
            raise InputError(f"document '{row['name']}' has a different text in {path}; merge "
                             "refused (import the other version under another name first)")
        else:
            report.skipped_documents.append(row["name"])
    report.documents = len(documents)
    codes_here = {r[0] for r in conn.execute("SELECT id FROM code WHERE retired_at IS NULL")}
    used = {r[0] for r in other.execute("SELECT DISTINCT code_id FROM coding")}
    unknown = sorted(used - codes_here)
    if unknown:
        raise InputError(f"{path} uses codes this project does not have: {', '.join(unknown)}; "
                         "load the same codebook first")

    def coder(name: str) -> str:
        return coder_map.get(name, name)

    segment_here = {(r["document_id"], r["start"], r["end"]): r["id"] for r in conn.execute(
        'SELECT id, document_id, start, "end" FROM segment')}
    segment_other = {r["id"]: (documents.get(r["document_id"]), r["start"], r["end"])
                     for r in other.execute('SELECT id, document_id, start, "end" FROM segment')}
    with atomic(conn):
        for row in other.execute("SELECT * FROM coding ORDER BY id"):
            if row["document_id"] not in documents:
                continue
            values = (documents[row["document_id"]], row["code_id"], coder(row["coder"]),
                      row["start"], row["end"])
            if row["removed_at"] is None:
                added = conn.execute(
                    'INSERT INTO coding (document_id, code_id, coder, start, "end", memo, origin,'
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (*values, row["memo"], row["origin"], row["created_at"])).rowcount
                if not added and row["memo"]:
                    report.memos_added += conn.execute(
                        'UPDATE coding SET memo = ? WHERE document_id = ? AND code_id = ? AND'
                        ' coder = ? AND start = ? AND "end" = ? AND removed_at IS NULL'
                        " AND coalesce(memo, '') = ''", (row["memo"], *values)).rowcount
            elif conn.execute('SELECT 1 FROM coding WHERE document_id = ? AND code_id = ? AND'
                              ' coder = ? AND start = ? AND "end" = ? AND removed_at = ?',
                              (*values, row["removed_at"])).fetchone():
                added = 0
            else:
                added = conn.execute(
                    'INSERT INTO coding (document_id, code_id, coder, start, "end", memo, origin,'
                    " created_at, removed_at, removed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, row["memo"], row["origin"], row["created_at"], row["removed_at"],
                     coder(row["removed_by"] or row["coder"]))).rowcount
            if added:
                report.codings_added += 1
            else:
                report.codings_present += 1
        for row in other.execute("SELECT * FROM memo ORDER BY id"):
            target_id = _memo_target(row, documents, segment_other, segment_here)
            if target_id is False:
                continue
            _merge_memo(conn, row, target_id, coder(row["author"]), report)
        for row in other.execute("""SELECT x.coder, x.status, x.decided_at, g.* FROM decision x
                                    JOIN suggestion g ON g.id = x.suggestion_id"""):
            segment = segment_here.get(segment_other.get(row["segment_id"], (None, 0, 0)))
            if segment is None:
                continue
            existing = conn.execute("SELECT id FROM suggestion WHERE segment_id = ? AND"
                                    " code_id = ? AND method = ?",
                                    (segment, row["code_id"], row["method"])).fetchone()
            if existing:
                suggestion_id = existing["id"]
            else:
                suggestion_id = conn.execute(
                    "INSERT INTO suggestion (segment_id, code_id, method, score, evidence,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (segment, row["code_id"], row["method"], row["score"], row["evidence"],
                     row["created_at"])).lastrowid
            report.decisions_added += conn.execute(
                "INSERT INTO decision (suggestion_id, coder, status, decided_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (suggestion_id, coder(row["coder"]), row["status"], row["decided_at"])).rowcount
        for row in other.execute("SELECT * FROM reviewed"):
            segment = segment_here.get(segment_other.get(row["segment_id"], (None, 0, 0)))
            if segment is not None:
                conn.execute("INSERT OR IGNORE INTO reviewed VALUES (?, ?, ?)",
                             (coder(row["coder"]), segment, row["reviewed_at"]))
        for row in other.execute("SELECT * FROM coder"):
            _merge_coder(conn, row, coder(row["name"]))
    other.close()
    return report


def _merge_memo(conn: sqlite3.Connection, row: sqlite3.Row, target_id: str | None,
                author: str, report: MergeReport) -> None:
    """One memo per author and target: the other copy's memo comes in when this copy has
    none, or replaces this copy's when it was written later (an edit made there)."""
    here = conn.execute("SELECT id, text, created_at FROM memo WHERE target = ? AND"
                        " target_id IS ? AND author = ?",
                        (row["target"], target_id, author)).fetchone()
    if here is not None and (here["text"] == row["text"]
                             or here["created_at"] >= row["created_at"]):
        return
    if here is not None:
        conn.execute("DELETE FROM memo WHERE id = ?", (here["id"],))
    conn.execute("INSERT INTO memo (target, target_id, author, text, created_at)"
                 " VALUES (?, ?, ?, ?, ?)",
                 (row["target"], target_id, author, row["text"], row["created_at"]))
    report.memos_added += 1


def _merge_coder(conn: sqlite3.Connection, row: sqlite3.Row, name: str) -> None:
    """Coder kinds and removals come across; a consensus mark is never lost."""
    conn.execute("INSERT INTO coder (name, kind, created_at, removed_at, removed_by)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET kind ="
                 " CASE WHEN excluded.kind = 'consensus' THEN 'consensus' ELSE coder.kind END",
                 (name, row["kind"], row["created_at"], row["removed_at"], row["removed_by"]))


def _memo_target(row, documents, segment_other, segment_here):
    """This project's target id for another project's memo; False when it has none here."""
    if row["target"] == "document":
        mapped = documents.get(int(row["target_id"]))
        return False if mapped is None else str(mapped)
    if row["target"] == "segment":
        mapped = segment_here.get(segment_other.get(int(row["target_id"]), (None, 0, 0)))
        return False if mapped is None else str(mapped)
    if row["target"] == "coding":
        return False  # coding ids differ between projects; the coding's own memo comes along
    return row["target_id"]
