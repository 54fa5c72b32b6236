"""Looking at stored suggestions, deciding them, and the most-informative-first order."""

from __future__ import annotations

import json
import sqlite3
from typing import Literal

from ..coders import register
from ..codings import Target, add
from ..documents import get_document
from ..errors import InputError, NotFoundError
from ..store import atomic, now

Status = Literal["pending", "accepted", "rejected"]
COLUMNS = ["id", "document", "segment", "code", "score", "method", "evidence", "coder",
           "status"]


def listing(conn: sqlite3.Connection, documents: list[str] | None = None,
            status: Status | None = None, coder: str | None = None) -> list[dict]:
    """Stored suggestions in document order, as seen by `coder`.

    Decisions are per coder: with `coder`, each suggestion appears once, with that coder's
    decision (pending until they decide; other coders' decisions are never shown), and
    pending ones the coder has already coded are left out (nothing left to decide). Without
    `coder` (the supervisor's view), each suggestion appears once per coder who decided it,
    and once as pending with an empty coder if nobody has.
    """
    clauses, params = [], []
    if documents:
        ids = [get_document(conn, name)["id"] for name in documents]
        clauses.append(f"s.document_id IN ({','.join('?' * len(ids))})")
        params += ids
    if coder:
        join = "LEFT JOIN decision x ON x.suggestion_id = g.id AND x.coder = ?"
        who = "? AS coder"
        head = [coder, coder]
        clauses.append("""NOT (x.status IS NULL AND EXISTS (SELECT 1 FROM coding c
            WHERE c.document_id = s.document_id AND c.code_id = g.code_id AND c.coder = ?
            AND c.removed_at IS NULL AND c.start < s."end" AND c."end" > s.start))""")
        params.append(coder)
    else:
        join = "LEFT JOIN decision x ON x.suggestion_id = g.id"
        who = "coalesce(x.coder, '') AS coder"
        head = []
    if status:
        clauses.append("coalesce(x.status, 'pending') = ?")
        params.append(status)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(f"""
        SELECT g.id, d.name AS document, s.ordinal AS segment, g.code_id AS code, g.score,
               g.method, g.evidence, {who}, coalesce(x.status, 'pending') AS status,
               x.decided_at
        FROM suggestion g JOIN segment s ON s.id = g.segment_id
        JOIN document d ON d.id = s.document_id JOIN code k ON k.id = g.code_id
        {join} {where} ORDER BY d.name, s.ordinal, k.position, g.method, x.coder""",
                        [*head, *params]).fetchall()
    return [{**dict(r), "score": round(r["score"], 3),
             "evidence": ", ".join(e["text"] for e in json.loads(r["evidence"]))} for r in rows]


def set_decision(conn: sqlite3.Connection, ids: list[int], coder: str, status: str) -> None:
    """Record `coder`'s decision on these suggestions; `pending` withdraws it."""
    if status == "pending":
        conn.executemany("DELETE FROM decision WHERE suggestion_id = ? AND coder = ?",
                         [(i, coder) for i in ids])
        return
    register(conn, coder)
    stamp = now()
    conn.executemany("INSERT INTO decision (suggestion_id, coder, status, decided_at)"
                     " VALUES (?, ?, ?, ?) ON CONFLICT (suggestion_id, coder) DO UPDATE SET"
                     " status = excluded.status, decided_at = excluded.decided_at",
                     [(i, coder, status, stamp) for i in ids])


def review_order(conn: sqlite3.Connection, documents: list[str] | None = None,
                 threshold: float = 0.5, coder: str | None = None) -> list[dict]:
    """Pending suggestions, most informative first.

    First the model's suggestions, closest to the decision threshold first (the ones the
    model is least sure of teach it most when decided); then rule hits that the model did
    not also make, strongest first; ties in document order.
    """
    pending = listing(conn, documents, "pending", coder)
    by_model = {(r["document"], r["segment"], r["code"]) for r in pending if r["method"] == "model"}

    def key(row: dict) -> tuple:
        if row["method"] == "model":
            return (0, abs(row["score"] - threshold), row["document"], row["segment"])
        if (row["document"], row["segment"], row["code"]) in by_model:
            return (2, -row["score"], row["document"], row["segment"])
        return (1, -row["score"], row["document"], row["segment"])

    return sorted(pending, key=key)


def decide(conn: sqlite3.Connection, ids: list[int], accept: bool, coder: str) -> list[dict]:
    """Accept (code the segment for `coder`, origin `suggestion`) or reject suggestions, as
    `coder`'s own decision (other coders still see them pending)."""
    if not ids:
        raise InputError("name the suggestions to decide by id (see `qcode suggestions`)")
    decided = []
    with atomic(conn):
        for suggestion_id in ids:
            row = conn.execute("""
                SELECT g.id, g.code_id, s.start, s."end", s.ordinal, d.name
                FROM suggestion g JOIN segment s ON s.id = g.segment_id
                JOIN document d ON d.id = s.document_id WHERE g.id = ?""",
                               (suggestion_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no suggestion {suggestion_id}; `qcode suggestions` "
                                    "lists them with their ids")
            status = "accepted" if accept else "rejected"
            set_decision(conn, [suggestion_id], coder, status)
            if accept:
                add(conn, row["name"], [Target(row["start"], row["end"], row["ordinal"])],
                    [row["code_id"]], coder, origin="suggestion")
            decided.append({"id": suggestion_id, "document": row["name"],
                            "segment": row["ordinal"], "code": row["code_id"], "status": status})
    return decided
