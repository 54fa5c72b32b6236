"""Memos: free notes on a document, a segment, a code (the codebook's analytic memos), a
coding, or the project; listing, writing, replacing and deleting them.

A coding's memo lives in the coding itself (`coding.memo`, so it travels with the coding in
CSV/JSON exchange and merges); every other memo is a row of table `memo` with its author.
Each author has at most one memo per target: writing again replaces it (its date is the
date of the last edit), and writing empty text deletes it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .codes import resolve
from .codings import parse_segments
from .documents import get_document, segments_of
from .errors import InputError, NotFoundError
from .store import atomic, now

COLUMNS = ["target", "document", "segment", "code", "coding", "coder", "text", "created_at"]


@dataclass(frozen=True)
class MemoTarget:
    target: str          # project, document, segment, code or coding
    target_id: str | None
    label: str           # for messages: "segment 3 of doc", "code route.visitors", ...


def target_for(conn: sqlite3.Connection, document: str | None = None,
               segment: str | int | None = None, coding: int | None = None,
               code: str | None = None, coder: str | None = None) -> MemoTarget:
    """What a memo is about, from the command's arguments: a code (`code` alone), a coding
    (`coding`, or DOC SEGMENT with `code`: `coder`'s coding of it there), a segment or a
    document."""
    if code is not None and document and segment is not None and coding is None:
        return _coding_on_segment(conn, document, segment, code, coder)
    if code is not None:
        if document or segment is not None or coding is not None:
            raise InputError("a code memo is about the code only; drop DOC/--coding (or give "
                             "DOC SEGMENT --code C for the memo of your coding there)")
        return MemoTarget("code", resolve(conn, code)["id"], f"code {code}")
    if coding is not None:
        row = conn.execute("SELECT c.id, d.name, c.code_id, c.coder FROM coding c JOIN document d"
                           " ON d.id = c.document_id WHERE c.id = ? AND c.removed_at IS NULL",
                           (coding,)).fetchone()
        if row is None:
            raise NotFoundError(f"no live coding {coding}; `qcode memos` and `qcode codings "
                                "export` list codings with their ids")
        if document and document != row["name"]:
            raise InputError(f"coding {coding} is in '{row['name']}', not '{document}'")
        return MemoTarget("coding", str(coding),
                          f"coding {coding} ({row['code_id']} by {row['coder']})")
    if not document:
        raise InputError("name a DOCUMENT (and a SEGMENT), --coding ID or --code CODE")
    doc = get_document(conn, document)
    if segment is None:
        return MemoTarget("document", str(doc["id"]), f"document {document}")
    numbers = parse_segments(str(segment))
    rows = {r["ordinal"]: r["id"] for r in segments_of(conn, doc["id"])}
    if len(numbers) != 1 or numbers[0] not in rows:
        raise NotFoundError(f"document '{document}' has no segment {segment} (it has "
                            f"1-{len(rows)}); a memo is about one segment")
    return MemoTarget("segment", str(rows[numbers[0]]), f"segment {numbers[0]} of {document}")


def _coding_on_segment(conn: sqlite3.Connection, document: str, segment: str | int,
                       code: str, coder: str | None) -> MemoTarget:
    where = target_for(conn, document, segment)
    resolve(conn, code)
    rows = conn.execute("""
        SELECT c.id, c.start, c."end", s.start = c.start AND s."end" = c."end" AS whole
        FROM coding c JOIN segment s ON s.id = ? AND s.document_id = c.document_id
        AND c.start < s."end" AND c."end" > s.start
        WHERE c.code_id = ? AND c.coder = ? AND c.removed_at IS NULL
        ORDER BY whole DESC, c.start""", (int(where.target_id or 0), code, coder)).fetchall()
    if not rows:
        raise NotFoundError(f"{coder} has not coded {where.label} with {code}; code it first, "
                            "or drop --code for a memo on the segment")
    if len(rows) > 1 and not rows[0]["whole"]:
        listed = ", ".join(f"{r['id']} ({r['start']}:{r['end']})" for r in rows)
        raise InputError(f"{coder} has several codings of {code} in {where.label}: {listed}; "
                         "choose one with --coding ID")
    return MemoTarget("coding", str(rows[0]["id"]), f"{coder}'s coding of {code} on "
                      f"{where.label}")


def get_memo(conn: sqlite3.Connection, target: str, target_id: str | None,
             author: str) -> str | None:
    """`author`'s memo on the target (a coding's memo whoever asks), or None."""
    if target == "coding":
        row = conn.execute("SELECT memo FROM coding WHERE id = ?", (target_id,)).fetchone()
        return (row[0] or None) if row else None
    row = conn.execute("SELECT text FROM memo WHERE target = ? AND target_id IS ? AND author = ?"
                       " ORDER BY id DESC LIMIT 1", (target, target_id, author)).fetchone()
    return row[0] if row else None


def put_memo(conn: sqlite3.Connection, target: str, target_id: str | None, author: str,
             text: str) -> str:
    """Write, replace or (empty text) delete `author`'s memo; return what happened:
    added, replaced, deleted or unchanged."""
    text = text.strip()
    before = get_memo(conn, target, target_id, author)
    if (before or "") == text:
        return "unchanged"
    with atomic(conn):
        if target == "coding":
            conn.execute("UPDATE coding SET memo = ? WHERE id = ?", (text or None, target_id))
        else:
            from .coders import register

            conn.execute("DELETE FROM memo WHERE target = ? AND target_id IS ? AND author = ?",
                         (target, target_id, author))
            if text:
                register(conn, author)
                conn.execute("INSERT INTO memo (target, target_id, author, text, created_at)"
                             " VALUES (?, ?, ?, ?, ?)", (target, target_id, author, text, now()))
    if not text:
        return "deleted"
    return "replaced" if before else "added"


def write_memo(conn: sqlite3.Connection, where: MemoTarget, author: str, text: str | None,
               delete: bool = False) -> str:
    """The command: add/replace (text) or delete (`delete`) a memo; return a message."""
    if delete:
        if text:
            raise InputError("--delete takes no memo text")
        if get_memo(conn, where.target, where.target_id, author) is None:
            whose = "" if where.target == "coding" else f"{author} has "
            raise NotFoundError(f"{whose}no memo on {where.label}; nothing deleted")
        put_memo(conn, where.target, where.target_id, author, "")
        return f"deleted the memo on {where.label}"
    if not text or not text.strip():
        raise InputError("the memo text is empty; to delete a memo use --delete")
    done = put_memo(conn, where.target, where.target_id, author, text)
    return f"memo {done} on {where.label}"


def list_memos(conn: sqlite3.Connection, document: str | None = None, code: str | None = None,
               coder: str | None = None) -> list[dict]:
    """Every memo (rows with COLUMNS), in document and segment order, then code memos, then
    project memos. `code` keeps that code's memos and the memos of codings with it."""
    doc_id = get_document(conn, document)["id"] if document else None
    if code:
        resolve(conn, code)
    names = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM document")}
    out: list[tuple[tuple, dict]] = []

    def keep(row_doc: int | None, row_code: str | None, author: str) -> bool:
        return ((doc_id is None or row_doc == doc_id) and (not code or row_code == code)
                and (not coder or author == coder))

    for r in conn.execute(  # a segment memo's segment, looked up by id (never all segments)
            "SELECT m.*, s.document_id AS segment_document, s.ordinal, s.start FROM memo m"
            " LEFT JOIN segment s ON m.target = 'segment'"
            " AND s.id = CAST(m.target_id AS INTEGER) ORDER BY m.id"):
        doc, segment, code_id, start = None, "", "", -1
        if r["target"] == "document":
            doc = int(r["target_id"])
        elif r["target"] == "segment" and r["segment_document"] is not None:
            doc, segment, start = r["segment_document"], r["ordinal"], r["start"]
        elif r["target"] == "code":
            code_id = r["target_id"]
        elif r["target"] == "coding":
            continue  # coding memos live in the coding (below)
        if not keep(doc, code_id or None, r["author"]) or (doc_id is not None and doc is None):
            continue
        order = (0 if doc is not None else 1 if code_id else 2, names.get(doc, ""), start,
                 code_id, r["author"])
        out.append((order, {"target": r["target"], "document": names.get(doc, ""),
                            "segment": segment, "code": code_id, "coding": "",
                            "coder": r["author"], "text": r["text"],
                            "created_at": r["created_at"]}))
    for r in conn.execute("""
            SELECT c.id, c.document_id, c.code_id, c.coder, c.start, c.memo, c.created_at,
                   (SELECT ordinal FROM segment s WHERE s.document_id = c.document_id
                    AND s.start <= c.start ORDER BY s.start DESC LIMIT 1) AS segment
            FROM coding c WHERE c.removed_at IS NULL AND coalesce(c.memo, '') != ''"""):
        if not keep(r["document_id"], r["code_id"], r["coder"]):
            continue
        out.append(((0, names[r["document_id"]], r["start"], r["code_id"], r["coder"]),
                    {"target": "coding", "document": names[r["document_id"]],
                     "segment": r["segment"] or "", "code": r["code_id"], "coding": r["id"],
                     "coder": r["coder"], "text": r["memo"], "created_at": r["created_at"]}))
    out.sort(key=lambda item: item[0])
    return [row for _, row in out]


def segment_memos(conn: sqlite3.Connection, document_id: int,
                  coder: str | None = None) -> dict[int, list[str]]:
    """Segment ordinal -> memos on it ('author: text'), segment and coding memos alike."""
    out: dict[int, list[str]] = {}
    params: tuple = (document_id, coder) if coder else (document_id,)
    for ordinal, author, text in conn.execute(f"""
            SELECT s.ordinal, m.author, m.text FROM memo m JOIN segment s
            ON m.target = 'segment' AND s.id = CAST(m.target_id AS INTEGER)
            WHERE s.document_id = ? {"AND m.author = ?" if coder else ""}
            ORDER BY s.ordinal, m.author""", params):
        out.setdefault(ordinal, []).append(f"{author}: {text}")
    for ordinal, author, code, text in conn.execute(f"""
            SELECT s.ordinal, c.coder, c.code_id, c.memo FROM coding c JOIN segment s
            ON s.document_id = c.document_id AND c.start < s."end" AND c."end" > s.start
            WHERE c.document_id = ? AND c.removed_at IS NULL AND coalesce(c.memo, '') != ''
            {"AND c.coder = ?" if coder else ""} ORDER BY s.ordinal, c.coder""", params):
        out.setdefault(ordinal, []).append(f"{author} on {code}: {text}")
    return out
