"""Which coders are the agreed (consensus) coding, in the project and in REFI-QDA files.

qcode marks a consensus coder in the `coder` table's `kind` column (qcode.coders).
REFI-QDA has no such notion: an export says it in a project Note named `CONSENSUS_NOTE`
that other tools show as a project memo; an import also takes a user named like "consensus"
or "consenso" as one.
"""

from __future__ import annotations

import re
import sqlite3

from .. import coders

CONSENSUS_NOTE = "qcode: consensus coders"
_CONSENSUS_NAME = re.compile(r"\bconsens", re.IGNORECASE)


def consensus_coders(conn: sqlite3.Connection) -> set[str]:
    """The project's consensus coders (the `coder` table's kind)."""
    return set(coders.consensus_coders(conn))


def mark_consensus(conn: sqlite3.Connection, names: set[str]) -> None:
    """Record `names` as consensus coders (inside the caller's transaction)."""
    for name in sorted(names):
        coders.register(conn, name, "consensus")


def note_text(names: set[str]) -> str:
    return ("Coders whose codings are the agreed (consensus) coding:\n"
            + "\n".join(sorted(names)))


def from_note(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n")[1:] if line.strip()}


def looks_like_consensus(user_name: str) -> bool:
    return bool(_CONSENSUS_NAME.search(user_name))
