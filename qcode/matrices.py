"""Code frequency matrices as pandas DataFrames."""

from __future__ import annotations

import sqlite3

from .codes import require_codebook
from .errors import InputError

TOTAL = "Total"


def code_by_document(conn: sqlite3.Connection, coder: str | None = None):
    """Codes (rows, codebook order) × documents (columns): the number of distinct segments
    that a live coding of the code overlaps, with row and column totals.

    A segment counts once per code however many coders or codings touch it.
    """
    import pandas as pd

    codes = [r["id"] for r in require_codebook(conn)]
    documents = [r[0] for r in conn.execute("SELECT name FROM document ORDER BY name")]
    if coder and not conn.execute("SELECT 1 FROM coding WHERE coder = ? LIMIT 1",
                                  (coder,)).fetchone():
        coders = [r[0] for r in conn.execute("SELECT DISTINCT coder FROM coding ORDER BY 1")]
        raise InputError(f"no codings by coder '{coder}'; coders in this project: "
                         f"{', '.join(coders) or 'none yet'}")
    rows = conn.execute(f"""
        SELECT c.code_id AS code, d.name AS document, count(DISTINCT s.id) AS n
        FROM coding c
        JOIN segment s ON s.document_id = c.document_id AND c.start < s."end" AND c."end" > s.start
        JOIN document d ON d.id = c.document_id
        WHERE c.removed_at IS NULL {"AND c.coder = ?" if coder else ""}
        GROUP BY c.code_id, d.name""", (coder,) if coder else ()).fetchall()
    frame = pd.DataFrame(0, index=pd.Index(codes, name="code"),
                         columns=pd.Index(documents, name="document"), dtype="int64")
    for row in rows:
        if row["code"] in frame.index:
            frame.loc[row["code"], row["document"]] = row["n"]
    frame[TOTAL] = frame.sum(axis=1)
    frame.loc[TOTAL] = frame.sum(axis=0)
    return frame
