"""Documents in a project: importing transcripts, attributes, listing and showing them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, NotFoundError
from .importers import (
    SUPPORTED,
    ParsedDocument,
    SegmentMode,
    collect_paths,
    read_document,
)
from .importers.decoding import read_text_file
from .importers.turns import split
from .speakers import register as register_speakers
from .store import atomic, now

Progress = Callable[[int, int, str], None]
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass
class ImportedFile:
    path: Path
    name: str
    status: str  # "imported", "unchanged" or "duplicate"
    segments: int = 0
    segmentation: str = ""
    encoding: str | None = None
    same_as: str | None = None
    layout: str | None = None


@dataclass
class ImportReport:
    files: list[ImportedFile] = field(default_factory=list)
    attributes_set: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def imported(self) -> list[ImportedFile]:
        return [f for f in self.files if f.status == "imported"]


def check_language(language: str) -> str:
    if not LANGUAGE.match(language):
        raise InputError(f"--lang {language}: use a two-letter language code such as es or en")
    return language


def read_attributes_csv(path: Path) -> dict[str, dict[str, str]]:
    """`document` column plus one column per attribute -> {document: {name: value}}."""
    rows = csv.DictReader(io.StringIO(read_text_file(path, "attributes file")))
    columns = [c.strip() for c in rows.fieldnames or []]
    if "document" not in columns:
        raise InputError(f"{path}, line 1: needs a 'document' column (found: "
                         f"{', '.join(columns) or 'nothing'}), plus one column per attribute")
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        line = rows.line_num
        values = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        name = _document_name(values.pop("document"))
        if not name:
            raise InputError(f"{path}, line {line}: the document column is empty")
        if name in out:
            raise InputError(f"{path}, line {line}: document '{name}' is listed twice")
        out[name] = {k: v for k, v in values.items() if k and v}
    return out


def _document_name(value: str) -> str:
    """CSV cells may name a document with or without its file extension."""
    path = Path(value.strip())
    return path.stem if path.suffix.lower() in SUPPORTED else value.strip()


def import_files(conn: sqlite3.Connection, paths: list[Path], *, default_language: str,
                 language: str | None = None, mode: SegmentMode = "turn",
                 attributes: dict[str, dict[str, str]] | None = None,
                 name: str | None = None, encoding: str | None = None,
                 progress: Progress | None = None, layout: str | None = None,
                 speakers: list[str] | None = None) -> ImportReport:
    """Read, segment and store transcripts: all of them in one transaction, or none.

    A document's language is `language` if given, else the `language` attribute (CSV
    column or front matter), else `default_language`. `layout` forces a transcript layout
    and `speakers` names the only labels to take for speakers (see `importers.layouts`).
    """
    files = collect_paths(paths) if paths else []
    if name and len(files) != 1:
        raise InputError("--as NAME names one document; give exactly one file with it")
    attributes = attributes or {}
    report = ImportReport()
    parsed: list[tuple[ParsedDocument, list, str]] = []
    names: dict[str, Path] = {}
    for number, path in enumerate(files, start=1):
        if progress:
            progress(number, len(files), f"reading {path.name}")
        doc = read_document(path, encoding)
        doc.name = name or doc.name
        if doc.name in names:
            raise InputError(f"{path}: would be named '{doc.name}' like {names[doc.name]}; "
                             "rename one file or import it alone with --as NAME")
        names[doc.name] = path
        listed = attributes.get(doc.name, {})
        doc.language = check_language(language or listed.get("language") or doc.language
                                      or default_language)
        done = split(doc.text, mode, doc.language, doc.turns, layout, speakers)
        doc.layout = doc.layout or done.layout or "paragraphs"
        if mode == "turn" and done.mode != "turn":
            report.warnings.append(unsplit_warning(path, len(done.spans)))
        parsed.append((doc, done.spans, done.mode))

    with atomic(conn):
        for number, (doc, spans, used) in enumerate(parsed, start=1):
            if progress:
                progress(number, len(parsed), f"storing {doc.name}")
            report.files.append(_store(conn, doc, spans, used))
            merged = {**doc.attributes, **attributes.get(doc.name, {})}
            doc_attributes = {k: v for k, v in merged.items() if k != "language"}
            report.attributes_set += _set_attributes(conn, doc.name, doc_attributes)
        for doc_name, values in attributes.items():
            if doc_name in names:
                continue
            if _document_id(conn, doc_name) is None:
                report.warnings.append(f"attributes for '{doc_name}' ignored: no such document")
            else:
                values = {k: v for k, v in values.items() if k != "language"}
                report.attributes_set += _set_attributes(conn, doc_name, values)
    return report


def _store(conn: sqlite3.Connection, doc: ParsedDocument, spans: list, used: str) -> ImportedFile:
    sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    row = conn.execute("SELECT sha256 FROM document WHERE name = ?", (doc.name,)).fetchone()
    if row and row["sha256"] == sha:
        return ImportedFile(doc.source, doc.name, "unchanged", encoding=doc.encoding)
    if row:
        raise InputError(f"{doc.source}: document '{doc.name}' already exists with different "
                         f"text; import it with --as NEW_NAME to keep both versions")
    twin = conn.execute("SELECT name FROM document WHERE sha256 = ?", (sha,)).fetchone()
    if twin:
        return ImportedFile(doc.source, doc.name, "duplicate", encoding=doc.encoding,
                            same_as=twin["name"])
    cursor = conn.execute(
        "INSERT INTO document (name, text, sha256, language, source, format, encoding,"
        " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (doc.name, doc.text, sha, doc.language, str(doc.source), doc.format, doc.encoding, now()))
    conn.executemany(
        'INSERT INTO segment (document_id, ordinal, start, "end", speaker, time_start, time_end)'
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(cursor.lastrowid, n, s.start, s.end, s.speaker, s.time_start, s.time_end)
         for n, s in enumerate(spans, start=1)])
    register_speakers(conn, cursor.lastrowid, spans)
    return ImportedFile(doc.source, doc.name, "imported", len(spans), used, doc.encoding,
                        layout=doc.layout)


def unsplit_warning(path: Path, pieces: int) -> str:
    return (f"{path}: no speaker labels recognised, split into {pieces} paragraphs; if it has "
            "speakers, name them with --speakers \"A,B\" or force one with --layout NAME")


def _document_id(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM document WHERE name = ?", (name,)).fetchone()
    return row["id"] if row else None


def _set_attributes(conn: sqlite3.Connection, name: str, values: dict[str, str]) -> int:
    doc_id = _document_id(conn, name)
    if doc_id is None:
        return 0
    conn.executemany("INSERT INTO attribute (document_id, name, value) VALUES (?, ?, ?)"
                     " ON CONFLICT (document_id, name) DO UPDATE SET value = excluded.value",
                     [(doc_id, key, value) for key, value in values.items()])
    return len(values)


def get_document(conn: sqlite3.Connection, name: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM document WHERE name = ?", (name,)).fetchone()
    if row is None:
        import difflib

        names = [r[0] for r in conn.execute("SELECT name FROM document ORDER BY name")]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "`qcode docs` lists documents"
        raise NotFoundError(f"no document '{name}'; {hint}")
    return row


def attributes_of(conn: sqlite3.Connection, document_id: int) -> dict[str, str]:
    return {r["name"]: r["value"] for r in conn.execute(
        "SELECT name, value FROM attribute WHERE document_id = ? ORDER BY name", (document_id,))}


def list_documents(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute("""
        SELECT d.id, d.name, d.language, d.format, d.text,
               (SELECT count(*) FROM segment s WHERE s.document_id = d.id) AS segments,
               (SELECT group_concat(speaker, ', ') FROM (SELECT DISTINCT speaker FROM segment s
                 WHERE s.document_id = d.id AND speaker IS NOT NULL ORDER BY speaker)) AS speakers,
               (SELECT count(*) FROM coding c WHERE c.document_id = d.id
                 AND c.removed_at IS NULL) AS codings
        FROM document d ORDER BY d.name""").fetchall()
    return [{"name": r["name"], "language": r["language"], "format": r["format"],
             "words": len(r["text"].split()), "segments": r["segments"],
             "speakers": r["speakers"] or "", "codings": r["codings"],
             "attributes": attributes_of(conn, r["id"])} for r in rows]


def segments_of(conn: sqlite3.Connection, document_id: int) -> list[sqlite3.Row]:
    return conn.execute('SELECT id, ordinal, start, "end", speaker, time_start, time_end'
                        " FROM segment WHERE document_id = ? ORDER BY ordinal",
                        (document_id,)).fetchall()


def show_document(conn: sqlite3.Connection, name: str, coder: str | None = None) -> dict:
    """The document's numbered segments with their text and the codes applied to each."""
    doc = get_document(conn, name)
    coder_clause = "AND coder = ?" if coder else ""
    codings = conn.execute(
        f'SELECT code_id, coder, start, "end" FROM coding WHERE document_id = ?'
        f" AND removed_at IS NULL {coder_clause} ORDER BY start, code_id",
        (doc["id"], coder) if coder else (doc["id"],)).fetchall()
    names = dict(conn.execute("SELECT label, name FROM speaker WHERE document_id = ?",
                              (doc["id"],)).fetchall())
    segments = []
    for seg in segments_of(conn, doc["id"]):
        applied = sorted({(c["code_id"], c["coder"]) for c in codings
                          if c["start"] < seg["end"] and c["end"] > seg["start"]})
        speaker = names.get(seg["speaker"], seg["speaker"]) or ""
        segments.append({"segment": seg["ordinal"], "speaker": speaker,
                         "start": seg["start"], "end": seg["end"],
                         "time": seg["time_start"],
                         "text": doc["text"][seg["start"]:seg["end"]],
                         "codes": [f"{code} ({who})" for code, who in applied]})
    return {"name": doc["name"], "language": doc["language"], "format": doc["format"],
            "attributes": attributes_of(conn, doc["id"]), "segments": segments}
