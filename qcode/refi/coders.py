"""Which coders are the agreed (consensus) coding, in the project and in REFI-QDA files.

qcode marks a consensus coder in the `consensus_coders` setting (a JSON list), or in the
`coder` table's `kind` column where the project has one. REFI-QDA has no such notion: an
export says it in a project Note named `CONSENSUS_NOTE` that other tools show as a project
memo; an import also takes a user named like "consensus" or "consenso" as one.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3

CONSENSUS_NOTE = "qcode: consensus coders"
_CONSENSUS_NAME = re.compile(r"\bconsens", re.IGNORECASE)


def _has_coder_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'coder'"
                        ).fetchone() is not None


def consensus_coders(conn: sqlite3.Connection) -> set[str]:
    """The project's consensus coders."""
    names: set[str] = set()
    row = conn.execute("SELECT value FROM setting WHERE key = 'consensus_coders'").fetchone()
    if row:
        names |= set(json.loads(row[0]))
    if _has_coder_table(conn):
        with contextlib.suppress(sqlite3.OperationalError):  # a coder table of another shape
            names |= {r[0] for r in conn.execute(
                "SELECT name FROM coder WHERE kind = 'consensus'")}
    return names


def mark_consensus(conn: sqlite3.Connection, names: set[str]) -> None:
    """Record `names` as consensus coders (inside the caller's transaction)."""
    if not names:
        return
    merged = sorted(consensus_coders(conn) | names)
    conn.execute("INSERT INTO setting VALUES ('consensus_coders', ?) ON CONFLICT (key)"
                 " DO UPDATE SET value = excluded.value", (json.dumps(merged, ensure_ascii=False),))


def note_text(names: set[str]) -> str:
    return ("Coders whose codings are the agreed (consensus) coding:\n"
            + "\n".join(sorted(names)))


def from_note(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n")[1:] if line.strip()}


def looks_like_consensus(user_name: str) -> bool:
    return bool(_CONSENSUS_NAME.search(user_name))
