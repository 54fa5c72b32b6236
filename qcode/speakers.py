"""Speakers of each document: the label as written, a display name and a role.

A segment keeps the label its transcript wrote (`Speaker 2`); the `speaker` table maps each
(document, label) to a display name (`Guard`) and a role (`interviewer`, `respondent`,
`other`). Renaming two labels to one name merges them in every listing and matrix; neither a
rename nor a role ever touches the document's text or a segment's offsets.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from .errors import InputError, NotFoundError
from .importers import Span
from .store import atomic
from .words import WordCount

ROLES = ("interviewer", "respondent", "other")
# Roles qcode can tell from the label alone; everything else waits for `speakers role`.
_INTERVIEWER = frozenset("""
interviewer entrevistador entrevistadora entrevistador(a) moderator moderador moderadora
moderador(a) facilitator facilitador facilitadora investigator investigador investigadora
investigador(a) researcher int iv inv q pregunta i e
""".split())
_RESPONDENT = frozenset("""
respondent interviewee participant participante entrevistado entrevistada entrevistado(a)
informante ip par a r respuesta b befragte befragter
""".split())
_NUMBERED_RESPONDENT = re.compile(r"(?:b|ip|participant|participante|p)\s?\d{1,2}",
                                  re.IGNORECASE)


def guess_roles(labels: Iterable[str]) -> dict[str, str | None]:
    """Roles the labels themselves give away (`Interviewer`, `E`, `B1`, `Entrevistado(a)`).

    `P` is the interviewer's *pregunta* when the document also has `R` (*respuesta*), and a
    participant otherwise (`E:`/`P:`, `I:`/`P:`)."""
    labels = list(labels)
    folded = {label.casefold() for label in labels}
    roles: dict[str, str | None] = {}
    for label in labels:
        key = label.casefold()
        if key == "p":
            roles[label] = "interviewer" if "r" in folded else "respondent"
        elif key in _INTERVIEWER:
            roles[label] = "interviewer"
        elif key in _RESPONDENT or _NUMBERED_RESPONDENT.fullmatch(key):
            roles[label] = "respondent"
        else:
            roles[label] = None
    return roles


def summary(text: str, spans: list[Span]) -> list[dict]:
    """Each speaker label with its number of turns and words, in order of appearance."""
    found: dict[str | None, dict] = {}
    for span in spans:
        row = found.setdefault(span.speaker, {"label": span.speaker, "turns": 0, "words": 0})
        row["turns"] += 1
        row["words"] += len(text[span.start:span.end].split())
    return list(found.values())


def register(conn: sqlite3.Connection, document_id: int, speakers: Iterable[str | None]
             ) -> None:
    """Add a speaker row for every label (segments' speakers, in order) of a newly stored
    document, with guessed roles."""
    labels = list(dict.fromkeys(s for s in speakers if s))
    roles = guess_roles(labels)
    conn.executemany("INSERT OR IGNORE INTO speaker (document_id, label, name, role)"
                     " VALUES (?, ?, ?, ?)",
                     [(document_id, label, label, roles[label]) for label in labels])


def list_speakers(conn: sqlite3.Connection, document: str | None = None) -> list[dict]:
    """Every (document, label): display name, role, turns and words."""
    doc_id = _document_id(conn, document) if document else None
    # labels from the segments too, for documents stored without speaker rows (other importers)
    rows = conn.execute(
        """SELECT d.id, d.name AS document, l.label, coalesce(p.name, l.label) AS name, p.role
           FROM (SELECT document_id, label FROM speaker UNION SELECT DISTINCT document_id,
                 speaker FROM segment WHERE speaker IS NOT NULL) l
           JOIN document d ON d.id = l.document_id
           LEFT JOIN speaker p ON p.document_id = l.document_id AND p.label = l.label
           WHERE ? IS NULL OR d.id = ? ORDER BY d.name, l.label""", (doc_id, doc_id)).fetchall()
    counts: dict[tuple[int, str], list[int]] = {}
    words: tuple[int | None, WordCount | None] = (None, None)  # one document at a time
    for document_id, speaker, start, end in conn.execute(
            'SELECT document_id, speaker, start, "end" FROM segment WHERE speaker IS NOT NULL'
            " AND (? IS NULL OR document_id = ?) ORDER BY document_id", (doc_id, doc_id)):
        if words[0] != document_id:
            words = (document_id, WordCount(conn.execute(
                "SELECT text FROM document WHERE id = ?", (document_id,)).fetchone()[0]))
        tally = counts.setdefault((document_id, speaker), [0, 0])
        tally[0] += 1
        tally[1] += words[1].between(start, end)
    return [{"document": r["document"], "label": r["label"], "name": r["name"],
             "role": r["role"] or "", "turns": counts.get((r["id"], r["label"]), [0, 0])[0],
             "words": counts.get((r["id"], r["label"]), [0, 0])[1]} for r in rows]


def rename(conn: sqlite3.Connection, old: str, new: str, document: str | None = None) -> int:
    """Give every speaker called (or labelled) `old` the display name `new`; return how many.

    Two labels renamed to one name are one speaker from then on (`Speaker 2` -> `Guard`)."""
    new = new.strip()
    if not new:
        raise InputError("the new speaker name is empty; give a name such as Guard")
    return _update(conn, "name", new, old, document)


def set_role(conn: sqlite3.Connection, name: str, role: str,
             document: str | None = None) -> int:
    """Set the role of every speaker called (or labelled) `name`; return how many."""
    if role not in ROLES:
        raise InputError(f"role '{role}': use one of {', '.join(ROLES)}")
    return _update(conn, "role", role, name, document)


def _update(conn: sqlite3.Connection, column: str, value: str, who: str,
            document: str | None) -> int:
    """Set `column` (name or role) of the speakers called or labelled `who`."""
    with atomic(conn):
        conn.execute("INSERT OR IGNORE INTO speaker (document_id, label, name) SELECT DISTINCT"
                     " document_id, speaker, speaker FROM segment WHERE speaker IS NOT NULL")
        changed = conn.execute(f"UPDATE speaker SET {column} = ? WHERE (name = ? OR label = ?)"
                               " AND (? IS NULL OR document_id = ?)",
                               (value, who, who, *_scope(conn, document))).rowcount
    if not changed:
        raise NotFoundError(_missing(conn, who, document))
    return changed


def _scope(conn: sqlite3.Connection, document: str | None) -> tuple[int | None, int | None]:
    doc_id = _document_id(conn, document) if document else None
    return doc_id, doc_id


def _document_id(conn: sqlite3.Connection, name: str) -> int:
    from .documents import get_document

    return get_document(conn, name)["id"]


def _missing(conn: sqlite3.Connection, name: str, document: str | None) -> str:
    doc_id = _scope(conn, document)
    known = [r[0] for r in conn.execute("SELECT DISTINCT name FROM speaker WHERE ? IS NULL"
                                        " OR document_id = ? ORDER BY 1", doc_id)]
    where = f" in '{document}'" if document else ""
    listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return f"no speaker '{name}'{where}; speakers: {listed or 'none yet'}"


def non_respondent_segments(conn: sqlite3.Connection, document_ids: list[int]) -> set[int]:
    """Segments spoken by an interviewer or an `other` speaker, for `--respondents-only`."""
    marks = ",".join("?" * len(document_ids)) or "NULL"
    return {r[0] for r in conn.execute(
        f"""SELECT s.id FROM segment s JOIN speaker p
            ON p.document_id = s.document_id AND p.label = s.speaker
            WHERE p.role IN ('interviewer', 'other') AND s.document_id IN ({marks})""",
        document_ids)}
