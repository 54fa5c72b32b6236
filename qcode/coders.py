"""Coders: who has coded, what kind of coder each is, renaming and (recorded) removal.

A coder is `coder` (an independent human coder) or `consensus` (the agreed coding written
by `agree --consensus` or marked so by hand). Consensus coders are left out of agreement,
coder comparisons, matrices, quotations and code frequencies unless asked for by name,
because they repeat the coders they were drawn from. `qcode coders` also shows
`suggestion-accepts` for a coder whose every coding is an accepted suggestion (nothing coded
by hand), so a supervisor can see whose coding is really the model's.
"""

from __future__ import annotations

import sqlite3

from .errors import InputError, NotFoundError
from .store import OVERLAPPED, atomic, now

KINDS = ("coder", "consensus")


def register(conn: sqlite3.Connection, name: str, kind: str | None = None) -> None:
    """Make sure `name` is a known coder (active again if it was removed)."""
    conn.execute("INSERT INTO coder (name, created_at) VALUES (?, ?) ON CONFLICT (name)"
                 " DO UPDATE SET removed_at = NULL, removed_by = NULL"
                 " WHERE removed_at IS NOT NULL", (name, now()))
    if kind:
        conn.execute("UPDATE coder SET kind = ? WHERE name = ?", (kind, name))


def consensus_coders(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM coder WHERE kind = 'consensus' ORDER BY name")]


def the_consensus(conn: sqlite3.Connection) -> str:
    """The project's consensus coder, when there is exactly one."""
    names = consensus_coders(conn)
    if len(names) != 1:
        raise InputError("--consensus: " + ("no consensus coder yet; write one with `qcode "
                                            "agree --coders A,B --consensus NAME`" if not names
                                            else f"several consensus coders ({', '.join(names)})"
                                            "; name one with --coder"))
    return names[0]


def not_consensus_sql(column: str, conn: sqlite3.Connection,
                      explicit: str | None = None) -> tuple[str, list[str]]:
    """An SQL condition (and its parameters) leaving consensus coders out of `column`,
    unless a coder was named explicitly (then nothing is left out)."""
    if explicit:
        return "", []
    names = consensus_coders(conn)
    if not names:
        return "", []
    return f" AND {column} NOT IN ({','.join('?' * len(names))})", names


def coverage(conn: sqlite3.Connection, coder: str) -> set[int]:
    """The segment ids `coder` has read: moved past or decided on in `qcode review` (table
    `reviewed`), decided a suggestion on, or coded anything overlapping; in a document where
    the coder has no review record (codings from the command line, a CSV or a merged copy),
    every segment once they coded anything there. Agreement compares only segments read by
    every compared coder."""
    read = {r[0] for r in conn.execute("SELECT segment_id FROM reviewed WHERE coder = ?",
                                       (coder,))}
    read |= {r[0] for r in conn.execute(
        "SELECT g.segment_id FROM decision x JOIN suggestion g ON g.id = x.suggestion_id"
        " WHERE x.coder = ?", (coder,))}
    read |= {r[0] for r in conn.execute(f"""
        SELECT DISTINCT s.id FROM coding c JOIN segment s ON {OVERLAPPED}
        WHERE c.coder = ? AND c.removed_at IS NULL""", (coder,))}
    with_review = {r[0] for r in conn.execute(
        "SELECT DISTINCT s.document_id FROM reviewed r JOIN segment s ON s.id = r.segment_id"
        " WHERE r.coder = ?", (coder,))}
    coded = {r[0] for r in conn.execute(
        "SELECT DISTINCT document_id FROM coding WHERE coder = ? AND removed_at IS NULL",
        (coder,))}
    whole = sorted(coded - with_review)
    if whole:
        marks = ",".join("?" * len(whole))
        read |= {r[0] for r in conn.execute(
            f"SELECT id FROM segment WHERE document_id IN ({marks})", whole)}
    return read


def _activity(conn: sqlite3.Connection) -> dict[str, dict]:
    stats: dict[str, dict] = {}

    def bump(name: str, key: str, value, latest: str | None) -> None:
        row = stats.setdefault(name, {"codings": 0, "documents": 0, "reviewed": 0,
                                      "decisions": 0, "memos": 0, "manual": 0, "last": ""})
        row[key] = value
        if latest and latest > row["last"]:
            row["last"] = latest

    for r in conn.execute("""
            SELECT coder, count(*) AS n, count(DISTINCT document_id) AS docs,
                   sum(origin != 'suggestion') AS manual, max(created_at) AS last
            FROM coding WHERE removed_at IS NULL GROUP BY coder"""):
        bump(r["coder"], "codings", r["n"], r["last"])
        bump(r["coder"], "documents", r["docs"], None)
        bump(r["coder"], "manual", r["manual"], None)
    queries = {
        "reviewed": "SELECT coder, count(*), max(reviewed_at) FROM reviewed GROUP BY coder",
        "decisions": "SELECT coder, count(*), max(decided_at) FROM decision GROUP BY coder",
        "memos": "SELECT author, count(*), max(created_at) FROM memo GROUP BY author",
    }
    for key, sql in queries.items():
        for name, n, last in conn.execute(sql):
            bump(name, key, n, last)
    for name, last in conn.execute("SELECT coder, updated_at FROM review_state"):
        bump(name, "reviewed", stats.get(name, {}).get("reviewed", 0), last)
    return stats


def list_coders(conn: sqlite3.Connection, include_removed: bool = False) -> list[dict]:
    """Every coder with codings, documents, segments reviewed (in `qcode review`), segments
    read (what agreement counts, see `coverage`), decisions, memos, last activity and kind."""
    known = {r["name"]: r for r in conn.execute("SELECT * FROM coder")}
    stats = _activity(conn)
    out = []
    for name in sorted(set(known) | set(stats)):
        row = known.get(name)
        if row is not None and row["removed_at"] and not include_removed:
            continue
        info = stats.get(name, {"codings": 0, "documents": 0, "reviewed": 0, "decisions": 0,
                                "memos": 0, "manual": 0, "last": ""})
        kind = row["kind"] if row is not None else "coder"
        if kind == "coder" and info["codings"] and not info["manual"]:
            kind = "suggestion-accepts"
        if row is not None and row["removed_at"]:
            kind = f"removed {row['removed_at'][:10]} by {row['removed_by']}"
        out.append({"coder": name, "kind": kind, "codings": info["codings"],
                    "documents": info["documents"], "reviewed": info["reviewed"],
                    "read": len(coverage(conn, name)),
                    "decisions": info["decisions"], "memos": info["memos"],
                    "last_activity": info["last"]})
    return out


def _require(conn: sqlite3.Connection, name: str) -> None:
    names = {r["coder"] for r in list_coders(conn)}
    if name not in names:
        raise NotFoundError(f"no coder '{name}'; coders in this project: "
                            f"{', '.join(sorted(names)) or 'none yet'} (`qcode coders`)")


def rename(conn: sqlite3.Connection, old: str, new: str) -> int:
    """Give coder `old` the name `new` everywhere; return how many codings moved."""
    new = new.strip()
    _require(conn, old)
    if not new:
        raise InputError("the new coder name is empty")
    taken = {r["coder"] for r in list_coders(conn, include_removed=True)}
    if new in taken:
        raise InputError(f"coder '{new}' already exists; choose another name (two coders "
                         "cannot be folded into one, their codings would collide)")
    with atomic(conn):
        moved = conn.execute("UPDATE coding SET coder = ? WHERE coder = ?", (new, old)).rowcount
        for sql in ("UPDATE coding SET removed_by = ? WHERE removed_by = ?",
                    "UPDATE decision SET coder = ? WHERE coder = ?",
                    "UPDATE reviewed SET coder = ? WHERE coder = ?",
                    "UPDATE review_state SET coder = ? WHERE coder = ?",
                    "UPDATE memo SET author = ? WHERE author = ?"):
            conn.execute(sql, (new, old))
        if conn.execute("SELECT 1 FROM coder WHERE name = ?", (old,)).fetchone():
            conn.execute("UPDATE coder SET name = ? WHERE name = ?", (new, old))
        else:
            register(conn, new)
    return moved


def remove(conn: sqlite3.Connection, name: str, by: str) -> int:
    """Mark every live coding of `name` removed (by `by`, dated, as `uncode` does) and the
    coder as removed; decisions and memos stay, for the record. Return codings removed."""
    _require(conn, name)
    stamp = now()
    with atomic(conn):
        removed = conn.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE coder = ?"
                               " AND removed_at IS NULL", (stamp, by, name)).rowcount
        register(conn, name)
        conn.execute("UPDATE coder SET removed_at = ?, removed_by = ? WHERE name = ?",
                     (stamp, by, name))
        conn.execute("DELETE FROM review_state WHERE coder = ?", (name,))
    return removed


def mark(conn: sqlite3.Connection, name: str, kind: str) -> None:
    """Set a coder's kind: `consensus` or `coder`."""
    if kind not in KINDS:
        raise InputError(f"kind '{kind}': use {' or '.join(KINDS)}")
    _require(conn, name)
    with atomic(conn):
        register(conn, name, kind)


def removed_coders(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM coder WHERE removed_at IS NOT NULL")}
