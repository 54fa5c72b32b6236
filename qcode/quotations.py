"""Quotation tables: every coded passage once, with its code, document, speaker, attributes,
the coders who coded it and their memos (a pandas DataFrame)."""

from __future__ import annotations

import fnmatch
import sqlite3

from .coders import not_consensus_sql
from .errors import InputError
from .matrices import code_tree, parse_by


def quotes(conn: sqlite3.Connection, *, codes: list[str] | None = None,
           include_children: bool = True, coder: str | None = None,
           documents: str | None = None, by: str | None = None,
           respondents_only: bool = False):
    """Every live coded passage once, with the code's name, document, segment, speaker,
    attributes, the coders who coded that span (`coder`: "ana, ben") and their memos
    ("ana: ...; ben: ..." when several coded it). `respondents_only` leaves out passages of
    speakers whose role is interviewer or other."""
    import pandas as pd

    from .codes import descendants, resolve

    wanted: list[str] | None = None
    if codes:
        wanted = []
        for code in codes:
            resolve(conn, code)
            wanted += descendants(conn, code) if include_children else [code]
    tree = code_tree(conn)
    order = {c.id: c.position for c in tree}
    names_of = {c.id: c.name for c in tree}
    skip, skipped = not_consensus_sql("c.coder", conn)  # used only when no coder is named
    picked = sorted(set(wanted)) if wanted is not None else []
    only = f" AND c.code_id IN ({','.join('?' * len(picked))})" if wanted is not None else ""
    rows = conn.execute(f"""
        SELECT c.id, c.code_id, c.coder, c.start, c."end", c.memo, d.id AS document_id,
               d.name AS document,
               (SELECT ordinal FROM segment s WHERE s.document_id = c.document_id
                 AND s.start <= c.start ORDER BY s.start DESC LIMIT 1) AS segment,
               (SELECT speaker FROM segment s WHERE s.document_id = c.document_id
                 AND s.start <= c.start ORDER BY s.start DESC LIMIT 1) AS label
        FROM coding c JOIN document d ON d.id = c.document_id
        WHERE c.removed_at IS NULL {"AND c.coder = ?" if coder else skip}{only}
        ORDER BY c.document_id, c.coder, c.id""", [*((coder,) if coder else skipped), *picked])
    text: tuple[int | None, str] = (None, "")  # one document's text in memory at a time
    attributes: dict[int, dict[str, str]] = {}
    for document_id, name, value in conn.execute("SELECT document_id, name, value FROM attribute"):
        attributes.setdefault(document_id, {})[name] = value
    names = sorted({n for a in attributes.values() for n in a})
    speakers = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
        "SELECT document_id, label, name, role FROM speaker")}
    passages: dict[tuple, dict] = {}  # one record per (code, document, span)
    for r in rows:  # a passage's coders in name order, each coder's codings in order
        speaker, role = speakers.get((r["document_id"], r["label"]), (r["label"], None))
        if respondents_only and role in ("interviewer", "other"):
            continue
        if documents and not fnmatch.fnmatchcase(r["document"], documents):
            continue
        key = (r["code_id"], r["document_id"], r["start"], r["end"])
        record = passages.get(key)
        if record is None:
            if text[0] != r["document_id"]:
                text = (r["document_id"], conn.execute("SELECT text FROM document WHERE id = ?",
                                                       (r["document_id"],)).fetchone()[0])
            record = passages[key] = {
                "code": r["code_id"], "name": names_of.get(r["code_id"], r["code_id"]),
                "document": r["document"], "segment": r["segment"],
                "speaker": speaker or "", "coders": [], "memos": [],
                "start": r["start"], "end": r["end"],
                "text": text[1][r["start"]:r["end"]]}
            for name in names:
                record[name] = attributes.get(r["document_id"], {}).get(name, "")
        record["coders"].append(r["coder"])
        if r["memo"]:
            record["memos"].append((r["coder"], r["memo"]))
    records = []
    for record in passages.values():
        memos = record.pop("memos")
        several = len(record["coders"]) > 1
        record["memo"] = "; ".join(f"{who}: {memo}" if several else memo for who, memo in memos)
        record["coder"] = ", ".join(record.pop("coders"))
        records.append(record)
    columns = ["code", "name", "document", "segment", "speaker", *names, "coder", "memo",
               "start", "end", "text"]
    frame = pd.DataFrame(records, columns=columns)
    sort = ["code", "document", "start", "end"]
    if by:
        kind, attribute = parse_by(by, conn)
        if kind != "attribute":
            raise InputError(f"--by {by}: quotations group by attribute:NAME")
        sort = ["code", attribute, "document", "start", "end"]
    frame["_order"] = frame["code"].map(order)
    frame = frame.sort_values(["_order", *sort[1:]], kind="stable").drop(columns="_order")
    frame.attrs["by"] = by
    return frame.reset_index(drop=True)
