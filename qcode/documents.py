"""Documents in a project: importing transcripts, attributes, listing and showing them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
import unicodedata
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
    notes: list[str] = field(default_factory=list)  # what a .qdpx import brought, one line each

    @property
    def imported(self) -> list[ImportedFile]:
        return [f for f in self.files if f.status == "imported"]


def check_language(language: str, where: str | None = None) -> str:
    """`language` if it is a language code; `where` names its source in the message."""
    if not isinstance(language, str) or not LANGUAGE.fullmatch(language):
        if where:
            raise InputError(f"{where}: language {language!r} is not a language code; use a "
                             "two-letter code such as es or en")
        raise InputError(f"--lang {language}: use a two-letter language code such as es or en")
    return language


def document_name(name: str, source: object) -> str:
    """A document name as stored: NFC-normalised (so `Café` typed either way is one name),
    trimmed, one line, no control characters."""
    clean = unicodedata.normalize("NFC", name).strip()
    if not clean:
        raise InputError(f"{source}: the document name is empty; give one with --as NAME")
    if any(ch in clean for ch in "\n\r\x0b\x0c\x85\u2028\u2029"):
        raise InputError(f"{source}: the document name {clean!r} contains a line break; "
                         "rename the file or give a name with --as NAME")
    if not clean.isprintable():
        raise InputError(f"{source}: the document name {clean!r} contains control "
                         "characters; rename the file or give a name with --as NAME")
    return clean


def read_attributes_csv(path: Path) -> dict[str, dict[str, str]]:
    """`document` column plus one column per attribute -> {document: {name: value}}.

    Refused, never ignored: a repeated or unnamed column, a row with more fields than the
    header, a document listed twice, a `language` that is not a language code."""
    reader = csv.reader(io.StringIO(read_text_file(path, "attributes file"), newline=""),
                        strict=True)
    try:
        header = [unicodedata.normalize("NFC", c.strip()) for c in next(reader, [])]
        if "document" not in header:
            raise InputError(f"{path}, line 1: needs a 'document' column (found: "
                             f"{', '.join(header) or 'nothing'}), plus one column per attribute")
        seen: set[str] = set()
        for number, column in enumerate(header, start=1):
            if not column:
                raise InputError(f"{path}, line 1: column {number} has no name; name it or "
                                 "delete it")
            if column in seen:
                raise InputError(f"{path}, line 1: column '{column}' appears twice; keep one")
            seen.add(column)
        out: dict[str, dict[str, str]] = {}
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) > len(header):
                raise InputError(f"{path}, line {line}: {len(fields)} fields but the header "
                                 f"has {len(header)} columns; quote values that contain commas")
            values = dict(zip(header, (f.strip() for f in fields), strict=False))
            name = _document_name(values.pop("document", ""))
            if not name:
                raise InputError(f"{path}, line {line}: the document column is empty")
            name = document_name(name, f"{path}, line {line}")
            if name in out:
                raise InputError(f"{path}, line {line}: document '{name}' is listed twice")
            if values.get("language"):
                check_language(values["language"], f"{path}, line {line}")
            out[name] = {k: v for k, v in values.items() if v}
    except csv.Error as exc:
        raise InputError(f"{path}, line {reader.line_num}: {exc}; check the quoting") from None
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
    column or front matter), else `default_language`. REFI-QDA projects (.qdpx) go to
    `qcode.refi`, in the same transaction. `layout` forces a transcript layout and
    `speakers` names the only labels to take for speakers (see `importers.layouts`).
    """
    if projects := [p for p in paths if p.suffix.lower() == ".qdpx"]:
        if name:
            raise InputError("--as names one document; a .qdpx holds a whole project")
        return _with_refi(conn, paths, projects, default_language=default_language,
                          language=language, mode=mode, attributes=attributes,
                          progress=progress)
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
        doc.name = document_name(name or doc.name, path)
        if doc.name in names:
            raise InputError(f"{path}: would be named '{doc.name}' like {names[doc.name]}; "
                             "rename one file or import it alone with --as NAME")
        names[doc.name] = path
        listed = attributes.get(doc.name, {})
        doc.language = check_language(language or listed.get("language") or doc.language
                                      or default_language, None if language else str(path))
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


def _with_refi(conn: sqlite3.Connection, paths: list[Path], projects: list[Path], *,
               default_language: str, language: str | None, mode: SegmentMode,
               attributes: dict | None, progress: Progress | None) -> ImportReport:
    from .refi import import_qdpx

    with atomic(conn):
        others = [p for p in paths if p not in projects]
        report = import_files(conn, others, default_language=default_language, language=language,
                              mode=mode, attributes=attributes, progress=progress) \
            if others or attributes else ImportReport()
        for path in projects:
            loaded = import_qdpx(conn, path, default_language=default_language,
                                 language=language, mode=mode)
            report.files += loaded.files
            report.warnings += loaded.warnings
            report.attributes_set += loaded.attributes_set
            report.notes.append(loaded.summary(path))
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
    name = unicodedata.normalize("NFC", name)
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
    """The document's numbered segments with their text, the codes applied to each and the
    memos on them. A coding that covers only part of a segment (a `--span` coding) is
    marked `part START:END`; one spanning several segments is listed on each."""
    from .memos import segment_memos

    doc = get_document(conn, name)
    coder_clause = "AND coder = ?" if coder else ""
    codings = conn.execute(
        f'SELECT code_id, coder, start, "end" FROM coding WHERE document_id = ?'
        f" AND removed_at IS NULL {coder_clause} ORDER BY start, code_id",
        (doc["id"], coder) if coder else (doc["id"],)).fetchall()
    memos = segment_memos(conn, doc["id"], coder)
    names = dict(conn.execute("SELECT label, name FROM speaker WHERE document_id = ?",
                              (doc["id"],)).fetchall())
    segments = []
    for seg in segments_of(conn, doc["id"]):
        applied = sorted({(c["code_id"], c["coder"],
                           "" if c["start"] <= seg["start"] and c["end"] >= seg["end"]
                           else f", part {c['start']}:{c['end']}")
                          for c in codings if c["start"] < seg["end"] and c["end"] > seg["start"]})
        speaker = names.get(seg["speaker"], seg["speaker"]) or ""
        segments.append({"segment": seg["ordinal"], "speaker": speaker,
                         "start": seg["start"], "end": seg["end"],
                         "time": seg["time_start"],
                         "text": doc["text"][seg["start"]:seg["end"]],
                         "codes": [f"{code} ({who}{part})" for code, who, part in applied],
                         "memos": memos.get(seg["ordinal"], [])})
    document_memos = [f"{r[0]}: {r[1]}" for r in conn.execute(
        "SELECT author, text FROM memo WHERE target = 'document' AND target_id = ?"
        + (" AND author = ?" if coder else "") + " ORDER BY author",
        (str(doc["id"]), coder) if coder else (str(doc["id"]),))]
    return {"name": doc["name"], "language": doc["language"], "format": doc["format"],
            "attributes": attributes_of(conn, doc["id"]), "memos": document_memos,
            "segments": segments}
