"""Storing a read REFI-QDA project in a qcode project, in the caller's transaction.

Codes are matched by id (the qcode id a qcode export carries, else one made from the names
along the code's path), documents by name and text, so importing the same file twice adds
nothing. Sources are segmented like any imported transcript; codings keep their exact
character spans whatever the segments are.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..coders import register
from ..documents import ImportedFile, segment_rows, store_document
from ..errors import InputError
from ..importers import ParsedDocument, SegmentMode, segment
from ..store import atomic, now
from . import coders as coder_marks
from .read import FALLBACK_CODER, Bundle, Note, Selection

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass
class LoadReport:
    files: list[ImportedFile] = field(default_factory=list)
    codes_added: int = 0
    codings_added: int = 0
    codings_present: int = 0
    memos_added: int = 0
    attributes_set: int = 0
    coders: list[str] = field(default_factory=list)
    consensus: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self, path: Path) -> str:
        consensus = f" (consensus: {', '.join(self.consensus)})" if self.consensus else ""
        return (f"{path}: {len(self.files)} sources, {self.codes_added} codes added, "
                f"{self.codings_added} codings added ({self.codings_present} already there), "
                f"{self.memos_added} memos, {self.attributes_set} attribute values, "
                f"coders {', '.join(self.coders) or 'none'}{consensus}")


def load(conn: sqlite3.Connection, bundle: Bundle, *, default_language: str,
         language: str | None = None, mode: SegmentMode = "turn",
         allow_pii: bool = False) -> LoadReport:
    """Store the bundle: sources are segmented like `qcode import` and go through the same
    anonymisation check (refused unless `allow_pii`, then recorded)."""
    from ..pii.importing import check_import, record_allowed

    report = LoadReport(warnings=list(bundle.warnings))
    with atomic(conn):
        prepared = [_prepare(bundle, source, default_language, language, mode)
                    for source in bundle.sources]
        findings = check_import(conn, [(parsed, spans, None, None)
                                       for parsed, spans, _ in prepared], allow_pii)
        if not conn.execute("SELECT 1 FROM document UNION ALL SELECT 1 FROM code LIMIT 1"
                            ).fetchone():  # a new project takes the other tool's name
            conn.execute("INSERT INTO setting VALUES ('name', ?) ON CONFLICT DO NOTHING",
                         (bundle.name,))
        report.codes_added = _codes(conn, bundle, report)
        coders: set[str] = set()
        for source, ready in zip(bundle.sources, prepared, strict=True):
            doc_id, imported = _document(conn, bundle, source, *ready)
            report.files.append(imported)
            if findings.get(source.name) and imported.status == "imported":
                record_allowed(conn, source.name, findings[source.name])
                report.warnings.append(f"{source.name} imported with --allow-pii: "
                                       f"{findings[source.name]} likely identifiers left in it")
            _attributes(conn, doc_id, source.attributes)
            report.attributes_set += len(source.attributes)
            segments = {(r["start"], r["end"]): r["id"] for r in conn.execute(
                'SELECT id, start, "end" FROM segment WHERE document_id = ?', (doc_id,))}
            for selection in source.selections:
                coders |= _selection(conn, bundle, doc_id, selection, segments, report)
            for guid in source.notes:
                _memo(conn, bundle, "document", str(doc_id), guid, report)
            if source.description and source.description.strip():
                _add_memo(conn, "document", str(doc_id), source.author or FALLBACK_CODER,
                          source.description.strip(), source.created, report)
        for code in bundle.codes:
            for guid in code.notes:
                _memo(conn, bundle, "code", code.id, guid, report)
        for guid in bundle.project_notes:
            _memo(conn, bundle, "project", None, guid, report)
        consensus = bundle.consensus & (coders | set(bundle.users.values()))
        coder_marks.mark_consensus(conn, consensus)
    report.coders = sorted(coders)
    report.consensus = sorted(consensus)
    if FALLBACK_CODER in coders:
        report.warnings.append(f"{bundle.path}: some codings name no known user; they are "
                               f"coded by '{FALLBACK_CODER}'")
    return report


def _codes(conn: sqlite3.Connection, bundle: Bundle, report: LoadReport) -> int:
    existing = {r[0] for r in conn.execute("SELECT id FROM code")}
    position = conn.execute("SELECT coalesce(max(position), -1) FROM code").fetchone()[0]
    added = 0
    parents_with_codings = set()
    for source in bundle.sources:
        for selection in source.selections:
            parents_with_codings |= {c.code for c in selection.codings}
    has_children = {c.parent for c in bundle.codes if c.parent}
    both = [c.id for c in bundle.codes if c.id in has_children and c.id in parents_with_codings]
    if both:
        listed = ", ".join(both[:5]) + (f" and {len(both) - 5} more" if len(both) > 5 else "")
        report.warnings.append(f"{bundle.path}: {len(both)} code(s) with sub-codes also have "
                               f"codings of their own ({listed}); they stay on those codes")
    new = []
    for code in bundle.codes:
        if code.id in existing:
            continue
        position += 1
        fields = code.fields
        conn.execute(
            "INSERT INTO code (id, parent, position, name, definition, include, exclude,"
            " examples, color, patterns) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code.id, position, code.name, fields.definition, fields.include,
             fields.exclude, json.dumps(fields.examples, ensure_ascii=False), code.color,
             json.dumps(fields.patterns, ensure_ascii=False, sort_keys=True)))
        existing.add(code.id)
        added += 1
        new.append(code)
    conn.executemany("UPDATE code SET parent = ? WHERE id = ?",  # parents may come later
                     [(c.parent, c.id) for c in new if c.parent])
    if added and not conn.execute("SELECT 1 FROM setting WHERE key = 'codebook_name'"
                                  ).fetchone():
        conn.execute("INSERT INTO setting VALUES ('codebook_name', ?)", (bundle.name,))
    return added


def _prepare(bundle: Bundle, source, default_language: str, language: str | None,
             mode: SegmentMode) -> tuple[ParsedDocument, list, str]:
    """The source as a document, segmented like `qcode import` does."""
    attributes = source.attributes
    listed = attributes.pop("language", None)
    if listed and not _LANGUAGE.match(listed):
        attributes["language"] = listed
        listed = None
    doc_language = language or listed or default_language
    parsed = ParsedDocument(name=source.name, text=source.text, format="qdpx", encoding="utf-8",
                            source=Path(f"{bundle.path}:{source.member}"),
                            language=doc_language)
    spans, used = segment(source.text, mode, doc_language, None)
    return parsed, spans, used


def _document(conn: sqlite3.Connection, bundle: Bundle, source, parsed: ParsedDocument,
              spans: list, used: str) -> tuple[int, ImportedFile]:
    sha = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    row = conn.execute("SELECT sha256 FROM document WHERE name = ?", (source.name,)).fetchone()
    if row and row["sha256"] != sha:
        raise InputError(f"{bundle.path}: source '{source.name}' has a different text from the "
                         f"project's document '{source.name}'; rename one of them first (qcode "
                         "keeps one text per name)")
    imported = store_document(conn, parsed, segment_rows(spans), used)
    twin = imported.same_as or source.name
    doc_id = conn.execute("SELECT id FROM document WHERE name = ?", (twin,)).fetchone()[0]
    return doc_id, imported


def _attributes(conn: sqlite3.Connection, doc_id: int, values: dict[str, str]) -> None:
    conn.executemany("INSERT INTO attribute (document_id, name, value) VALUES (?, ?, ?)"
                     " ON CONFLICT (document_id, name) DO UPDATE SET value = excluded.value",
                     [(doc_id, key, value) for key, value in values.items()])


def _selection(conn: sqlite3.Connection, bundle: Bundle, doc_id: int, selection: Selection,
               segments: dict, report: LoadReport) -> set[str]:
    coders = set()
    for coding in selection.codings:
        notes = [bundle.notes[g] for g in coding.notes if g in bundle.notes]
        own = next((n for n in notes if n.name != "Memo"), None)
        cursor = conn.execute(
            'INSERT INTO coding (document_id, code_id, coder, start, "end", memo, origin,'
            " created_at) VALUES (?, ?, ?, ?, ?, ?, 'imported', ?) ON CONFLICT DO NOTHING",
            (doc_id, coding.code, coding.coder, selection.start, selection.end,
             own.memo_text if own else None, coding.created or now()))
        coders.add(coding.coder)
        register(conn, coding.coder)
        if cursor.rowcount:
            report.codings_added += 1
            report.memos_added += own is not None
        else:
            report.codings_present += 1
        coding_id = conn.execute(
            'SELECT id FROM coding WHERE document_id = ? AND code_id = ? AND coder = ? AND'
            ' start = ? AND "end" = ? AND removed_at IS NULL',
            (doc_id, coding.code, coding.coder, selection.start, selection.end)).fetchone()[0]
        for note in notes:
            if note is not own:
                _add_note(conn, "coding", str(coding_id), note, coding.coder, report)
    segment_id = segments.get((selection.start, selection.end))
    target, target_id = ("segment", str(segment_id)) if segment_id else ("document", str(doc_id))
    prefix = "" if segment_id else _quote(conn, doc_id, selection)
    author = selection.author or FALLBACK_CODER
    for guid in selection.notes:
        if note := bundle.notes.get(guid):
            _add_note(conn, target, target_id, note, author, report, prefix)
    if selection.description and selection.description.strip():
        _add_memo(conn, target, target_id, author, prefix + selection.description.strip(),
                  None, report)
    return coders


def _quote(conn: sqlite3.Connection, doc_id: int, selection: Selection) -> str:
    text = conn.execute("SELECT substr(text, ?, ?) FROM document WHERE id = ?",
                        (selection.start + 1, min(selection.end - selection.start, 60),
                         doc_id)).fetchone()[0]
    return f"[{selection.start}:{selection.end}] «{' '.join(text.split())}» "


def _memo(conn, bundle: Bundle, target: str, target_id: str | None, guid: str,
          report: LoadReport) -> None:
    if note := bundle.notes.get(guid):
        _add_note(conn, target, target_id, note, FALLBACK_CODER, report)


def _add_note(conn, target: str, target_id: str | None, note: Note, author: str,
              report: LoadReport, prefix: str = "") -> None:
    _add_memo(conn, target, target_id, note.author or author, prefix + note.memo_text,
              note.created, report)


def _add_memo(conn, target: str, target_id: str | None, author: str, text: str,
              created: str | None, report: LoadReport) -> None:
    if not text.strip() or conn.execute(
            "SELECT 1 FROM memo WHERE target = ? AND target_id IS ? AND author = ? AND text = ?",
            (target, target_id, author, text)).fetchone():
        return
    conn.execute("INSERT INTO memo (target, target_id, author, text, created_at)"
                 " VALUES (?, ?, ?, ?, ?)", (target, target_id, author, text, created or now()))
    report.memos_added += 1
