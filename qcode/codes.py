"""The project's codes: loading a codebook into the store, renaming, looking codes up."""

from __future__ import annotations

import difflib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import InputError, NotFoundError
from .store import atomic, now

if TYPE_CHECKING:  # pydantic loads only for the commands that read a codebook file
    from .codebook import Code, Codebook


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # dropped with --force: the code stays, hidden, and its codings are marked removed
    retired: list[str] = field(default_factory=list)
    codings_removed: int = 0
    warnings: list[str] = field(default_factory=list)  # what a lenient reader (.qdc) assumed


# the columns a codebook sets, in the order of _row_values
_COLUMNS = ("name", "definition", "include", "exclude", "examples", "color", "patterns",
            "position")


# what json.dumps(value, ensure_ascii=False[, sort_keys=True]) writes, without building an
# encoder for every code
_JSON = json.JSONEncoder(ensure_ascii=False).encode
_JSON_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _row_values(code: Code, position: int) -> tuple:
    return (code.name, code.definition, code.include, code.exclude,
            _JSON(list(code.examples)), code.color, _JSON_SORTED(code.patterns), position)


def load_into(conn: sqlite3.Connection, book: Codebook, *, force: bool = False,
              actor: str = "codebook load") -> LoadReport:
    """Make the project's codes those of `book`, keeping every code that has codings.

    A code missing from the book is deleted when nothing was ever coded with it; when it
    has codings, loading is refused unless `force`, which retires the code and records its
    codings as removed (they stay in the project, marked, never silently lost).
    """
    report = LoadReport()
    with atomic(conn):
        existing = {r["id"]: r for r in conn.execute("SELECT * FROM code")}
        wanted = set(book.ids())
        for code in book.codes:
            old = next((o for o in code.renamed_from if o in existing and o not in wanted), None)
            if code.id not in existing and old:
                conn.execute("UPDATE code SET id = ? WHERE id = ?", (code.id, old))
                existing[code.id] = existing.pop(old)
                report.renamed.append((old, code.id))
        gone = [i for i, r in existing.items() if i not in wanted and r["retired_at"] is None]
        live = {i: n for i in gone if (n := _live_codings(conn, i))}
        if live and not force:
            listed = ", ".join(f"{i} ({n})" for i, n in sorted(live.items()))
            raise InputError(f"the codebook drops codes that have codings: {listed}; add them "
                             "back, rename with `renamed_from`, or load with --force to retire "
                             "them and mark their codings removed")
        conn.execute("UPDATE code SET parent = NULL")
        inserts, updates = [], []
        for position, code in enumerate(book.codes):
            values = (*_row_values(code, position), code.id)
            old = existing.get(code.id)
            if old is None:
                inserts.append(values)
                report.added.append(code.id)
                continue
            same = (tuple(old[k] for k in _COLUMNS) == values[:-1]
                    and old["parent"] == code.parent and old["retired_at"] is None)
            updates.append(values)
            (report.unchanged if same else report.updated).append(code.id)
        conn.executemany(f"INSERT INTO code ({', '.join(_COLUMNS)}, id) VALUES "
                         f"({', '.join('?' * (len(_COLUMNS) + 1))})", inserts)
        conn.executemany(f"UPDATE code SET {', '.join(f'{k} = ?' for k in _COLUMNS)},"
                         " retired_at = NULL WHERE id = ?", updates)
        conn.executemany("UPDATE code SET parent = ? WHERE id = ?",
                         [(c.parent, c.id) for c in book.codes if c.parent])
        for code_id in gone:
            if code_id in live:
                report.codings_removed += conn.execute(
                    "UPDATE coding SET removed_at = ?, removed_by = ? WHERE code_id = ?"
                    " AND removed_at IS NULL", (now(), actor, code_id)).rowcount
            if conn.execute("SELECT 1 FROM coding WHERE code_id = ? LIMIT 1",
                            (code_id,)).fetchone():
                conn.execute("UPDATE code SET retired_at = ?, position = position + 100000"
                             " WHERE id = ?", (now(), code_id))
                report.retired.append(code_id)
            else:
                conn.execute("UPDATE code SET parent = NULL WHERE parent = ?", (code_id,))
                conn.execute("DELETE FROM code WHERE id = ?", (code_id,))
                report.removed.append(code_id)
        for key, value in (("codebook_name", book.name), ("codebook_version", book.version),
                           ("codebook_sha256", book.sha256), ("codebook_loaded_at", now())):
            conn.execute("INSERT INTO setting VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                         " SET value = excluded.value", (key, value or ""))
    return report


def _live_codings(conn: sqlite3.Connection, code_id: str) -> int:
    return conn.execute("SELECT count(*) FROM coding WHERE code_id = ? AND removed_at IS NULL",
                        (code_id,)).fetchone()[0]


def all_codes(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Active codes in codebook order, each with its number of live codings (consensus
    coders' left out: they repeat the coders they were drawn from)."""
    return conn.execute("""
        SELECT c.*, (SELECT count(*) FROM coding g WHERE g.code_id = c.id
                     AND g.removed_at IS NULL AND g.coder NOT IN
                     (SELECT name FROM coder WHERE kind = 'consensus')) AS uses
        FROM code c WHERE c.retired_at IS NULL ORDER BY c.position""").fetchall()


def require_codebook(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    codes = all_codes(conn)
    if not codes:
        raise NotFoundError("the project has no codebook; load one with "
                            "`qcode codebook load FILE.yaml`")
    return codes


def resolve(conn: sqlite3.Connection, code_id: str) -> sqlite3.Row:
    """The active code `code_id`, or NotFoundError naming the closest ids."""
    row = conn.execute("SELECT * FROM code WHERE id = ? AND retired_at IS NULL",
                       (code_id,)).fetchone()
    if row is not None:
        return row
    codes = require_codebook(conn)
    ids = [r["id"] for r in codes]
    by_name = {r["name"].lower(): r["id"] for r in codes}
    close = difflib.get_close_matches(code_id, ids, n=3, cutoff=0.5)
    close += [by_name[n] for n in difflib.get_close_matches(code_id.lower(), by_name, n=2)
              if by_name[n] not in close]
    close += [i for i in ids if code_id.lower() in i.lower() and i not in close][:3]
    hint = f"did you mean {', '.join(close[:3])}?" if close else \
        "`qcode codebook show` lists the codes"
    raise NotFoundError(f"unknown code '{code_id}'; {hint}")


def descendants(conn: sqlite3.Connection, code_id: str) -> list[str]:
    """`code_id` and every code below it."""
    rows = conn.execute("""
        WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL
            SELECT c.id FROM code c JOIN tree t ON c.parent = t.id WHERE c.retired_at IS NULL)
        SELECT id FROM tree""", (code_id,)).fetchall()
    return [r[0] for r in rows]


def rename(conn: sqlite3.Connection, old: str, new: str) -> int:
    """Give code `old` the id `new`, keeping its codings; return how many codings moved."""
    resolve(conn, old)
    from .codebook import ID_RULE, valid_id

    if not valid_id(new):
        raise InputError(f"{new!r} is not a valid code id; {ID_RULE}")
    if conn.execute("SELECT 1 FROM code WHERE id = ?", (new,)).fetchone():
        raise InputError(f"code '{new}' already exists; choose another id")
    with atomic(conn):
        moved = conn.execute("SELECT count(*) FROM coding WHERE code_id = ?", (old,)).fetchone()[0]
        conn.execute("UPDATE code SET id = ? WHERE id = ?", (new, old))
    return moved
