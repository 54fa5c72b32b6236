"""Documents in a project: importing transcripts, attributes, listing and showing them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, NotFoundError, QcodeError
from .importers import (
    SUPPORTED,
    ParsedDocument,
    SegmentMode,
    Span,
    collect_paths,
    read_document,
)
from .importers.decoding import read_text_file
from .importers.turns import split
from .speakers import register as register_speakers
from .store import atomic, now
from .words import count_words

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


# A large import is written in batches: the files of a batch are read and checked first, then
# stored in one transaction. Memory holds one batch, never the whole corpus, and an import
# stopped half-way (an error, Ctrl-C, kill -9) keeps the batches already committed; running
# the same command again skips the documents that are in. An import that fits in one batch
# (up to BATCH_FILES files and BATCH_CHARS characters) is all or nothing, as before.
BATCH_FILES = 250
BATCH_CHARS = 64 * 2**20


@dataclass
class _Parsed:
    doc: ParsedDocument
    sha: str
    spans: list = field(default_factory=list)  # Spans, for the anonymisation check
    rows: list[tuple] = field(default_factory=list)  # what is stored (see segment_rows)
    used: str = ""
    unchanged: bool = False
    warning: str | None = None  # no speaker labels recognised: split into paragraphs
    findings: list | None = None  # likely identifiers, when a reading worker looked already
    words: int = 0


def import_files(conn: sqlite3.Connection, paths: list[Path], *, default_language: str,
                 language: str | None = None, mode: SegmentMode = "turn",
                 attributes: dict[str, dict[str, str]] | None = None,
                 name: str | None = None, encoding: str | None = None,
                 progress: Progress | None = None, allow_pii: bool = False,
                 layout: str | None = None, speakers: list[str] | None = None,
                 jobs: int | None = None) -> ImportReport:
    """Read, segment and store transcripts, one transaction per batch (see BATCH_FILES).

    A document's language is `language` if given, else the `language` attribute (CSV
    column or front matter), else `default_language`. Names are checked for clashes before
    anything is written. When a later batch fails, the error says how many documents the
    earlier batches stored; the same import run again carries on after them. REFI-QDA
    projects (.qdpx) go to `qcode.refi`, in one transaction. New documents holding likely
    identifiers are refused (qcode.pii, per batch) unless `allow_pii`, which is then recorded.
    `layout` forces a transcript layout and `speakers` names the only labels to take for
    speakers (see `importers.layouts`). `jobs` > 1 reads and checks files in that many
    worker processes while this one stores them; None (the default) uses one per core for
    a large import (see `_read_all`).
    """
    if projects := [p for p in paths if p.suffix.lower() == ".qdpx"]:
        if name:
            raise InputError("--as names one document; a .qdpx holds a whole project")
        return _with_refi(conn, paths, projects, default_language=default_language,
                          language=language, mode=mode, attributes=attributes,
                          progress=progress, allow_pii=allow_pii)
    files = collect_paths(paths) if paths else []
    if name and len(files) != 1:
        raise InputError("--as NAME names one document; give exactly one file with it")
    attributes = attributes or {}
    names = _names(files, name)
    report = ImportReport()
    batch: list[_Parsed] = []
    chars = 0
    committed = 0
    outer = conn.in_transaction  # inside a caller's transaction nothing commits early
    options = (name, encoding, language, default_language, mode, attributes, layout, speakers)
    try:
        for parsed in _read_all(conn, files, options, progress, jobs):
            batch.append(parsed)
            chars += len(parsed.doc.text)
            if len(batch) >= BATCH_FILES or chars >= BATCH_CHARS:
                _write_batch(conn, batch, attributes, report, progress, len(files), allow_pii)
                committed += 0 if outer else sum(1 for f in report.files[-len(batch):]
                                                 if f.status == "imported")
                batch, chars = [], 0
        with atomic(conn):  # the last batch and the attributes of documents already in
            _store_batch(conn, batch, attributes, report, progress, len(files), allow_pii)
            _other_attributes(conn, attributes, names, report)
    except QcodeError as exc:
        if committed:
            exc.args = (f"{exc} ({committed} documents read before it are stored; fix this "
                        "and run the same import again: documents already in are skipped)",)
        raise
    return report


def _names(files: list[Path], name: str | None) -> dict[str, Path]:
    """Document names (file stems, or --as NAME) by file; two files with one name refused
    before anything is read."""
    names: dict[str, Path] = {}
    for path in files:
        doc_name = document_name(name or path.stem, path)
        if doc_name in names:
            raise InputError(f"{path}: would be named '{doc_name}' like {names[doc_name]}; "
                             "rename one file or import it alone with --as NAME")
        names[doc_name] = path
    return names


# Files from which `qcode import` without --jobs reads in one worker per core: below this,
# starting the workers costs about what they save.
JOBS_WORTH_FROM = 100


def _read_all(conn: sqlite3.Connection, files: list[Path], options: tuple,
              progress: Progress | None, jobs: int | None = 1) -> Iterator[_Parsed]:
    """The files parsed, in order: in this process, or with `jobs` > 1 in worker processes
    that also run the anonymisation check (the parent only stores). `jobs` None: one
    worker per core from JOBS_WORTH_FROM files (`workers.auto_jobs`)."""
    from .workers import auto_jobs

    jobs = auto_jobs(jobs, len(files), JOBS_WORTH_FROM)
    if jobs > 1 and len(files) >= 2 * jobs and not conn.in_transaction:
        from .import_workers import read_in_workers

        yield from read_in_workers(conn, files, options, progress, jobs)
        return
    for number, path in enumerate(files, start=1):
        if progress:
            progress(number, len(files), f"reading {path.name}")
        yield _parse(conn, path, *options)


def _parse(conn: sqlite3.Connection, path: Path, name: str | None, encoding: str | None,
           language: str | None, default_language: str, mode: SegmentMode,
           attributes: dict[str, dict[str, str]], layout: str | None,
           speakers: list[str] | None) -> _Parsed:
    """Read one file; segment it unless the project already holds the same text."""
    doc = read_document(path, encoding)
    doc.name = document_name(name or doc.name, path)
    listed = attributes.get(doc.name, {})
    doc.language = check_language(language or listed.get("language") or doc.language
                                  or default_language, None if language else str(path))
    parsed = _Parsed(doc, hashlib.sha256(doc.text.encode("utf-8")).hexdigest())
    row = conn.execute("SELECT sha256 FROM document WHERE name = ?", (doc.name,)).fetchone()
    if row and row["sha256"] == parsed.sha:
        parsed.unchanged = True  # already imported (a re-run, or a resumed import)
    else:
        parsed.words = count_words(doc.text)
        done = split(doc.text, mode, doc.language, doc.turns, layout, speakers)
        doc.layout = doc.layout or done.layout or "paragraphs"
        parsed.spans, parsed.used = done.spans, done.mode
        parsed.rows = segment_rows(done.spans)
        if mode == "turn" and done.mode != "turn":
            parsed.warning = unsplit_warning(path, len(done.spans))
    return parsed


def _write_batch(conn: sqlite3.Connection, batch: list[_Parsed],
                 attributes: dict[str, dict[str, str]], report: ImportReport,
                 progress: Progress | None, total: int, allow_pii: bool) -> None:
    """Store a batch of read documents in one transaction (joining an open one)."""
    with atomic(conn):
        _store_batch(conn, batch, attributes, report, progress, total, allow_pii)


def _store_batch(conn: sqlite3.Connection, batch: list[_Parsed],
                 attributes: dict[str, dict[str, str]], report: ImportReport,
                 progress: Progress | None, total: int, allow_pii: bool) -> None:
    from .pii.importing import check_import, record_allowed  # anonymisation check (qcode.pii)

    findings = check_import(conn, [(p.doc, p.spans, p.findings, p.sha) for p in batch
                                   if not p.unchanged], allow_pii)
    done = len(report.files)
    for number, parsed in enumerate(batch, start=done + 1):
        doc = parsed.doc
        if parsed.warning:
            report.warnings.append(parsed.warning)
        if progress:
            progress(number, total, f"storing {doc.name}")
        if parsed.unchanged:  # in the project already (documents are never deleted)
            report.files.append(ImportedFile(doc.source, doc.name, "unchanged",
                                             encoding=doc.encoding))
        else:
            report.files.append(store_document(conn, doc, parsed.rows, parsed.used,
                                               parsed.sha, parsed.words))
            if findings.get(doc.name) and report.files[-1].status == "imported":
                record_allowed(conn, doc.name, findings[doc.name])
                report.warnings.append(f"{doc.name} imported with --allow-pii: "
                                       f"{findings[doc.name]} likely identifiers left in it")
        merged = {**doc.attributes, **attributes.get(doc.name, {})}
        doc_attributes = {k: v for k, v in merged.items() if k != "language"}
        report.attributes_set += _set_attributes(conn, doc.name, doc_attributes)


def _other_attributes(conn: sqlite3.Connection, attributes: dict[str, dict[str, str]],
                      names: dict[str, Path], report: ImportReport) -> None:
    """Attributes from the CSV for documents imported earlier (not among these files)."""
    for doc_name, values in attributes.items():
        if doc_name in names:
            continue
        if _document_id(conn, doc_name) is None:
            report.warnings.append(f"attributes for '{doc_name}' ignored: no such document")
        else:
            values = {k: v for k, v in values.items() if k != "language"}
            report.attributes_set += _set_attributes(conn, doc_name, values)


def _with_refi(conn: sqlite3.Connection, paths: list[Path], projects: list[Path], *,
               default_language: str, language: str | None, mode: SegmentMode,
               attributes: dict | None, progress: Progress | None,
               allow_pii: bool = False) -> ImportReport:
    from .refi import import_qdpx

    with atomic(conn):
        others = [p for p in paths if p not in projects]
        report = import_files(conn, others, default_language=default_language, language=language,
                              mode=mode, attributes=attributes, progress=progress,
                              allow_pii=allow_pii) if others or attributes else ImportReport()
        for path in projects:
            loaded = import_qdpx(conn, path, default_language=default_language,
                                 language=language, mode=mode, allow_pii=allow_pii)
            report.files += loaded.files
            report.warnings += loaded.warnings
            report.attributes_set += loaded.attributes_set
            report.notes.append(loaded.summary(path))
    return report


def segment_rows(spans: list[Span]) -> list[tuple]:
    """(start, end, speaker, time_start, time_end) of each span, as a segment row stores them.
    Reading workers send these back rather than Spans: plain tuples pickle several times
    faster, and the parent stores them as they are."""
    return [tuple(span) for span in spans]  # a Span is a NamedTuple of these, in this order


def store_document(conn: sqlite3.Connection, doc: ParsedDocument, rows: list[tuple], used: str,
                   sha: str | None = None, words: int | None = None) -> ImportedFile:
    """Store one parsed document and its segments (`segment_rows`), unless it is in already
    or a duplicate of another's text; a changed text under an existing name is refused."""
    sha = sha or hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
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
        " imported_at, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc.name, doc.text, sha, doc.language, str(doc.source), doc.format, doc.encoding, now(),
         len(doc.text.split()) if words is None else words))
    conn.executemany(
        'INSERT INTO segment (document_id, ordinal, start, "end", speaker, time_start, time_end)'
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(cursor.lastrowid, n, *row) for n, row in enumerate(rows, start=1)])
    register_speakers(conn, cursor.lastrowid, (row[2] for row in rows))
    return ImportedFile(doc.source, doc.name, "imported", len(rows), used, doc.encoding,
                        layout=doc.layout)


def unsplit_warning(path: Path, pieces: int) -> str:
    return (f"{path}: no speaker labels recognised, split into {pieces} paragraphs; if it has "
            "speakers, name them with --speakers \"A,B\" or force one with --layout NAME")


def _document_id(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM document WHERE name = ?", (name,)).fetchone()
    return row["id"] if row else None


def _set_attributes(conn: sqlite3.Connection, name: str, values: dict[str, str]) -> int:
    doc_id = _document_id(conn, name) if values else None
    if doc_id is None:
        return 0
    conn.executemany("INSERT INTO attribute (document_id, name, value) VALUES (?, ?, ?)"
                     " ON CONFLICT (document_id, name) DO UPDATE SET value = excluded.value",
                     [(doc_id, key, value) for key, value in values.items()])
    return len(values)


def get_document(conn: sqlite3.Connection, name: str) -> sqlite3.Row:
    """The document called `name`, or the one document whose name starts with it
    (`guardia` finds guardia_lurigancho_2016); an ambiguous prefix names the candidates."""
    name = unicodedata.normalize("NFC", name)
    row = conn.execute("SELECT * FROM document WHERE name = ?", (name,)).fetchone()
    if row is None and name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found = conn.execute("SELECT * FROM document WHERE name LIKE ? ESCAPE '\\' "
                             "ORDER BY name LIMIT 6", (escaped + "%",)).fetchall()
        found = [r for r in found if r["name"].startswith(name)]  # LIKE ignores ASCII case
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(r["name"] for r in found[:5]) + (", …" if len(found) > 5 else "")
            raise InputError(f"document '{name}' is ambiguous: {names} begin with it; give "
                             "more of the name")
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
    """Every document with its counts and attributes (two queries, whatever the size)."""
    rows = conn.execute("""
        SELECT d.id, d.name, d.language, d.format, d.words,
               (SELECT count(*) FROM segment s WHERE s.document_id = d.id) AS segments,
               (SELECT group_concat(label, ', ') FROM (SELECT label FROM speaker p
                 WHERE p.document_id = d.id ORDER BY label)) AS speakers,
               (SELECT count(*) FROM coding c WHERE c.document_id = d.id
                 AND c.removed_at IS NULL) AS codings,
               (SELECT findings FROM pii_allowed_document p WHERE p.document_id = d.id) AS pii
        FROM document d ORDER BY d.name""").fetchall()
    uncounted = [r[0] for r in conn.execute(  # imported before word counts were kept
        "SELECT id FROM document INDEXED BY document_listing WHERE words IS NULL")]
    words = {i: len(conn.execute("SELECT text FROM document WHERE id = ?", (i,)).fetchone()[0]
                     .split()) for i in uncounted}
    attributes: dict[int, dict[str, str]] = {}
    for row in conn.execute("SELECT document_id, name, value FROM attribute ORDER BY name"):
        attributes.setdefault(row[0], {})[row[1]] = row[2]
    return [{"name": r["name"], "language": r["language"], "format": r["format"],
             "words": r["words"] if r["words"] is not None else words[r["id"]],
             "segments": r["segments"], "speakers": r["speakers"] or "",
             "codings": r["codings"], "attributes": attributes.get(r["id"], {}),
             "pii": "" if r["pii"] is None else f"allowed ({r['pii']} found)"} for r in rows]


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
