"""Writing a qcode project as a REFI-QDA project (.qdpx): a zip with `project.qde` (QDA-XML
valid against Project-mrt2019.xsd) and every document as `sources/<GUID>.txt` in UTF-8.

Coders are Users; codes keep their hierarchy, names, colours and, in the Description, their
definition, criteria, examples, patterns and qcode id; each coded span is one
PlainTextSelection (half-open code-point positions into the .txt, which is the stored text
byte for byte) with one Coding per code and coder; memos are Notes referenced from what they
are about; attributes and the language are Variables. GUIDs and file contents depend only on
the project, so exporting twice gives the same file.
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..exporters.files import write_with
from . import coders as coder_marks
from . import describe, guids

NS = "urn:QDA-XML:project:1.0"
ORIGIN = f"qcode {__version__}"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CODING_MEMO = "Coding memo"
MEMO = "Memo"


@dataclass
class ExportReport:
    path: Path
    documents: int = 0
    codes: int = 0
    codings: int = 0
    selections: int = 0
    memos: int = 0
    coders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def xml_text(value: str, report: ExportReport | None = None, where: str = "") -> str:
    """`value` without the control characters XML 1.0 cannot hold (replaced by U+FFFD)."""
    cleaned, count = _NOT_XML.subn("\ufffd", value)
    if count and report is not None:
        report.warnings.append(f"{where}: {count} control character(s) XML cannot hold were "
                               "replaced by \ufffd")
    return cleaned


def when(value: str | None) -> str | None:
    """`value` if xsd:dateTime accepts it (qcode stores ISO 8601 with seconds), else None."""
    return value if value and _DATETIME.match(value) else None


def hex_colour(colour: str | None) -> str | None:
    """A colour as #rrggbb for REFI-QDA, or None when it has no such form."""
    if not colour:
        return None
    if _HEX.match(colour):
        return colour
    from matplotlib.colors import to_hex  # knows every CSS colour name

    try:
        return to_hex(colour)
    except ValueError:
        return None


def code_description(row: sqlite3.Row | dict) -> str:
    import json

    colour = row["color"]
    return describe.write(describe.CodeFields(
        definition=row["definition"], include=row["include"], exclude=row["exclude"],
        examples=json.loads(row["examples"] or "[]"), patterns=json.loads(row["patterns"] or "{}"),
        code_id=row["id"], colour=colour if colour and not _HEX.match(colour) else None))


def code_elements(parent, rows: list, element_ns: str, notes: dict[str, list[str]] | None,
                  report: ExportReport | None = None) -> None:
    """Nested <Code> elements for `rows` (codes in codebook order) under `parent`."""
    from lxml import etree

    children: dict[str | None, list] = defaultdict(list)
    ids = {r["id"] for r in rows}
    for row in rows:
        children[row["parent"] if row["parent"] in ids else None].append(row)

    def add(into, parent_id: str | None) -> None:
        for row in children.get(parent_id, []):
            attrs = {"guid": guids.code(row["id"]),
                     "name": xml_text(row["name"], report, f"code {row['id']}"),
                     "isCodable": "true"}
            if colour := hex_colour(row["color"]):
                attrs["color"] = colour
            element = etree.SubElement(into, f"{{{element_ns}}}Code", attrs)
            etree.SubElement(element, f"{{{element_ns}}}Description").text = xml_text(
                code_description(row), report, f"code {row['id']}")
            for note in (notes or {}).get(row["id"], []):
                etree.SubElement(element, f"{{{element_ns}}}NoteRef", targetGUID=note)
            add(element, row["id"])

    add(parent, None)


def _snippet(text: str, limit: int = 60) -> str:
    squashed = " ".join(text.split())
    return squashed if len(squashed) <= limit else squashed[:limit - 1] + "…"


class _Notes:
    """The project's <Notes>, each referenced from what it is about."""

    def __init__(self, report: ExportReport):
        self.items: list[tuple[str, str, str, str | None, str | None]] = []
        self.report = report

    def add(self, name: str, text: str, author: str | None, created: str | None,
            *key: object) -> str:
        guid = guids.note(name, author, created, text, *key)
        self.items.append((guid, name, text, author, created))
        self.report.memos += 1
        return guid


def build(conn: sqlite3.Connection, project_name: str, report: ExportReport):
    """The QDA-XML tree of the project and the source files {archive name: bytes}."""
    from lxml import etree

    def sub(parent, tag: str, **attrs):
        return etree.SubElement(parent, f"{{{NS}}}{tag}",
                                {k: v for k, v in attrs.items() if v is not None})

    documents = conn.execute("SELECT * FROM document ORDER BY name").fetchall()
    codes = conn.execute("SELECT * FROM code WHERE retired_at IS NULL ORDER BY position"
                         ).fetchall()
    codings = conn.execute(
        'SELECT c.* FROM coding c JOIN code k ON k.id = c.code_id WHERE c.removed_at IS NULL'
        ' AND k.retired_at IS NULL ORDER BY c.document_id, c.start, c."end", k.position,'
        " c.coder").fetchall()
    memos = conn.execute("SELECT * FROM memo ORDER BY id").fetchall()
    segments = {r["id"]: r for r in conn.execute('SELECT id, document_id, start, "end"'
                                                 " FROM segment")}
    consensus = coder_marks.consensus_coders(conn)
    coder_names = sorted({r["coder"] for r in codings} | {r["author"] for r in memos}
                         | consensus)
    report.coders = coder_names
    notes = _Notes(report)
    dates = [d for d in [*(r["imported_at"] for r in documents),
                         *(r["created_at"] for r in codings)] if when(d)]
    attrs = {"name": xml_text(project_name, report, "project name"), "origin": ORIGIN}
    if dates:
        attrs |= {"creationDateTime": min(dates), "modifiedDateTime": max(dates)}
    if coder_names:
        attrs["creatingUserGUID"] = guids.user(coder_names[0])
    root = etree.Element(f"{{{NS}}}Project", attrs, nsmap={None: NS})

    memos_on: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    coding_rows = {r["id"]: r for r in codings}
    coding_ids = set(coding_rows)
    by_id = {r["id"]: r for r in documents}
    for memo in memos:
        target, target_id = memo["target"], memo["target_id"]
        if target == "coding" and int(target_id) not in coding_ids:
            report.warnings.append(f"memo {memo['id']} is on a removed coding; not exported")
            continue
        if target == "segment" and int(target_id) not in segments:
            report.warnings.append(f"memo {memo['id']} is on a segment that no longer exists; "
                                   "not exported")
            continue
        guid = notes.add(MEMO, memo["text"], memo["author"], memo["created_at"], target,
                         _stable_key(target, target_id, by_id, segments, coding_rows))
        memos_on[(target, None if target == "project" else str(target_id))].append(guid)
    if consensus:
        memos_on[("project", None)].append(
            notes.add(coder_marks.CONSENSUS_NOTE, coder_marks.note_text(consensus), None, None))

    if coder_names:
        users = sub(root, "Users")
        for name in coder_names:
            sub(users, "User", guid=guids.user(name), name=xml_text(name, report, "coder"))
    if codes:
        codes_element = sub(sub(root, "CodeBook"), "Codes")
        code_notes = {row["id"]: memos_on.get(("code", row["id"]), []) for row in codes}
        code_elements(codes_element, codes, NS, code_notes, report)
        report.codes = len(codes)
    attribute_rows = conn.execute("SELECT * FROM attribute ORDER BY name").fetchall()
    variables = sorted({r["name"] for r in attribute_rows} | ({"language"} if documents
                                                              else set()))
    if variables:
        variables_element = sub(root, "Variables")
        for name in variables:
            sub(variables_element, "Variable", guid=guids.variable(name),
                name=xml_text(name, report, "attribute"), typeOfVariable="Text")
    by_document: dict[int, list] = defaultdict(list)
    for row in codings:
        by_document[row["document_id"]].append(row)
    attributes: dict[int, dict[str, str]] = defaultdict(dict)
    for row in attribute_rows:
        attributes[row["document_id"]][row["name"]] = row["value"]
    files: dict[str, bytes] = {}
    if documents:
        sources = sub(root, "Sources")
    for doc in documents:
        source_guid = guids.source(doc["name"], doc["sha256"])
        files[f"sources/{source_guid}.txt"] = doc["text"].encode("utf-8")
        source = sub(sources, "TextSource", guid=source_guid,
                     name=xml_text(doc["name"], report, "document name"),
                     plainTextPath=f"internal://{source_guid}.txt",
                     creationDateTime=when(doc["imported_at"]))
        _selections(source, doc, by_document[doc["id"]], segments, memos_on, notes, sub,
                    report)
        for guid in memos_on.get(("document", str(doc["id"])), []):
            sub(source, "NoteRef", targetGUID=guid)
        values = {"language": doc["language"], **attributes[doc["id"]]}
        for name, value in sorted(values.items()):
            holder = sub(source, "VariableValue")
            sub(holder, "VariableRef", targetGUID=guids.variable(name))
            sub(holder, "TextValue").text = xml_text(value, report, f"attribute {name}")
        report.documents += 1
    if notes.items:
        notes_element = sub(root, "Notes")
        for guid, name, text, author, created in notes.items:
            note = sub(notes_element, "Note", guid=guid, name=name,
                       creatingUser=guids.user(author) if author else None,
                       creationDateTime=when(created))
            sub(note, "PlainTextContent").text = xml_text(text, report, "memo")
    for guid in memos_on.get(("project", None), []):
        sub(root, "NoteRef", targetGUID=guid)
    return root, files


def _stable_key(target: str, target_id: str | None, documents: dict, segments: dict,
                codings: dict) -> str:
    """What a memo is about, independent of row ids (which differ after a re-import)."""
    if target in ("project", "code"):
        return target_id or ""
    if target == "document":
        doc = documents[int(target_id)]
        return guids.source(doc["name"], doc["sha256"])
    row = (segments if target == "segment" else codings)[int(target_id)]
    doc = documents[row["document_id"]]
    selection = guids.selection(guids.source(doc["name"], doc["sha256"]), row["start"],
                                row["end"])
    return selection if target == "segment" else guids.coding(selection, row["code_id"],
                                                               row["coder"])


def _selections(source, doc, codings, segments, memos_on, notes, sub, report) -> None:
    spans: dict[tuple[int, int], list] = defaultdict(list)
    for row in codings:
        spans[(row["start"], row["end"])].append(row)
    segment_notes: dict[tuple[int, int], list[str]] = defaultdict(list)
    for (target, key), found in memos_on.items():
        segment = segments[int(key)] if target == "segment" else None
        if segment is not None and segment["document_id"] == doc["id"]:
            segment_notes[(segment["start"], segment["end"])] += found
            spans.setdefault((segment["start"], segment["end"]), [])
    source_guid = source.get("guid")
    for (start, end), rows in sorted(spans.items()):
        selection_guid = guids.selection(source_guid, start, end)
        first = rows[0] if rows else None
        selection = sub(source, "PlainTextSelection", guid=selection_guid,
                        name=xml_text(_snippet(doc["text"][start:end]), report, doc["name"]),
                        startPosition=str(start), endPosition=str(end),
                        creatingUser=guids.user(first["coder"]) if first else None,
                        creationDateTime=when(first["created_at"]) if first else None)
        for row in rows:
            coding = sub(selection, "Coding",
                         guid=guids.coding(selection_guid, row["code_id"], row["coder"]),
                         creatingUser=guids.user(row["coder"]),
                         creationDateTime=when(row["created_at"]))
            sub(coding, "CodeRef", targetGUID=guids.code(row["code_id"]))
            if row["memo"]:
                sub(coding, "NoteRef", targetGUID=notes.add(
                    CODING_MEMO, row["memo"], row["coder"], row["created_at"], "coding",
                    selection_guid, row["code_id"]))
            for guid in memos_on.get(("coding", str(row["id"])), []):
                sub(coding, "NoteRef", targetGUID=guid)
            report.codings += 1
        for guid in segment_notes.get((start, end), []):
            sub(selection, "NoteRef", targetGUID=guid)
        report.selections += 1


def serialise(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    """The archive, written to a temporary file and renamed; fixed member dates."""
    def writer(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

    write_with(path, writer)


def export_qdpx(conn: sqlite3.Connection, path: Path, project_name: str) -> ExportReport:
    """Write the whole project to `path` (a .qdpx file)."""
    report = ExportReport(path)
    root, files = build(conn, project_name, report)
    write_zip(path, {"project.qde": serialise(root), **files})
    return report
