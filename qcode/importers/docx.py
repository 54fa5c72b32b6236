"""Word .docx transcripts: paragraphs and tables in document order.

The archive is opened through `qcode.archive` (member count, inflated sizes and compression
ratio checked before anything is inflated) and the main document part is stream-parsed with
lxml's `iterparse`: each body paragraph or table is turned into text and then dropped, so
memory follows the extracted text, not the XML. Text is read the way python-docx reads it
(`w:t`, tabs, line breaks), plus tracked insertions and fields, which Word shows too.
"""

from __future__ import annotations

import io
from pathlib import Path, PurePosixPath

from ..archive import iterparse_xml, open_member, open_zip, parse_xml, read_member, xml_errors
from ..errors import InputError
from .decoding import check_text, normalise
from .model import ParsedDocument
from .text import split_front_matter

# A two-column table whose first cell is this short is read as `speaker: text`.
_SPEAKER_CELL_MAX = 40
# The text a .docx may yield: the same ceiling as a plain-text transcript's size.
MAX_TEXT_CHARS = 50 * 1024 * 1024
_WHAT = ".docx file"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"


def read_docx(path: Path, raw: bytes) -> ParsedDocument:
    with open_zip(path, _WHAT, data=io.BytesIO(raw)) as archive:
        part = _main_part(archive, path)
        with open_member(archive, part, path, _WHAT) as stream, xml_errors(f"{path}: {part}"):
            blocks = list(_blocks(stream, f"{path}: {part}", path))
    text = normalise("\n\n".join(blocks))
    attributes, language, text = split_front_matter(text, path)
    check_text(text, path)
    return ParsedDocument(name=path.stem, text=text, format="docx", encoding=None,
                          attributes=attributes, language=language, source=path)


def _main_part(archive, path: Path) -> str:
    """The main document part named by the package relationships (word/document.xml)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        root = parse_xml(read_member(archive, "_rels/.rels", path, _WHAT), f"{path}: _rels/.rels")
        for rel in root.iter(_RELS):
            if rel.get("Type", "").endswith(_OFFICE_DOCUMENT):
                target = PurePosixPath(rel.get("Target", "").lstrip("/")).as_posix()
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise InputError(f"{path}: not a valid .docx file (it has no word/document.xml); open and "
                     "re-save it in Word or LibreOffice")


class _Names:
    """Qualified tag names in the document's WordprocessingML namespace."""

    def __init__(self, namespace: str):
        def q(local: str) -> str:
            return f"{{{namespace}}}{local}"

        self.body, self.p, self.tbl, self.tr, self.tc = (q(n) for n in
                                                        ("body", "p", "tbl", "tr", "tc"))
        self.t, self.tab, self.ptab, self.br, self.cr = (q(n) for n in
                                                         ("t", "tab", "ptab", "br", "cr"))
        self.hyphen, self.txbx = q("noBreakHyphen"), q("txbxContent")
        self.tcPr, self.gridSpan, self.vMerge = q("tcPr"), q("gridSpan"), q("vMerge")
        self.type, self.val = q("type"), q("val")
        self.text_tags = (self.t, self.tab, self.ptab, self.br, self.cr, self.hyphen)


def _blocks(stream, source: str, path: Path):
    """Body paragraphs (non-empty) and table lines, in document order."""
    events = iterparse_xml(stream, source, events=("start", "end"), tag=("{*}p", "{*}tbl"))
    names: _Names | None = None
    depth = 0  # how many tables we are inside
    total = 0
    for event, element in events:
        if names is None:
            names = _Names(element.tag[1:].split("}")[0] if element.tag.startswith("{") else "")
        tag = element.tag
        if tag == names.tbl:
            depth += 1 if event == "start" else -1
            if event == "end" and depth == 0:
                lines = _table_lines(element, names)
                yield from lines
                total += sum(len(line) for line in lines)
                _drop(element)
        elif tag == names.p and event == "end" and depth == 0 and not _in_textbox(element,
                                                                                   names):
            text = _paragraph_text(element, names)
            if text.strip():
                yield text
                total += len(text)
            _drop(element)
        if total > MAX_TEXT_CHARS:
            raise InputError(f"{path}: the document's text is over {MAX_TEXT_CHARS // 2**20} "
                             "million characters, qcode's limit per transcript; split it into "
                             "several files")
    if names is None:
        return


def _in_textbox(element, names: _Names) -> bool:
    parent = element.getparent()
    while parent is not None and parent.tag != names.body:
        if parent.tag == names.txbx:
            return True
        parent = parent.getparent()
    return False


def _drop(element) -> None:
    """Free a processed element and the already processed siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _paragraph_text(paragraph, names: _Names) -> str:
    nested = paragraph.find(f".//{names.txbx}") is not None
    parts: list[str] = []
    for node in paragraph.iter(*names.text_tags):
        if nested and _owner(node, names) is not paragraph:
            continue  # text-box paragraphs are not part of this paragraph's text
        tag = node.tag
        if tag == names.t:
            parts.append(node.text or "")
        elif tag in (names.tab, names.ptab):
            parts.append("\t")
        elif tag == names.cr or (tag == names.br and node.get(names.type, "textWrapping")
                                 == "textWrapping"):
            parts.append("\n")
        elif tag == names.hyphen:
            parts.append("-")
    return "".join(parts)


def _owner(node, names: _Names):
    parent = node.getparent()
    while parent is not None and parent.tag != names.p:
        parent = parent.getparent()
    return parent


def _table_lines(table, names: _Names) -> list[str]:
    """One line per row: `speaker: text` for a two-column row with a short first cell, the
    cells joined by ` | ` otherwise. Horizontally merged cells count once; a vertically
    merged cell repeats the text above it (as Word shows it)."""
    lines = []
    above: dict[int, str] = {}
    for row in table.iterchildren(names.tr):
        cells: list[str] = []
        column = 0
        for cell in row.iterchildren(names.tc):
            span, merge = _cell_layout(cell, names)
            if merge == "continue":
                value = above.get(column, "")
            else:
                value = " ".join(t for p in cell.iterchildren(names.p)
                                 if (t := _paragraph_text(p, names).strip()))
            for offset in range(span):
                above[column + offset] = value
            column += span
            if not cells or value != cells[-1]:  # merged cells repeat their text
                cells.append(value)
        cells = [c for c in cells if c]
        if len(cells) == 2 and len(cells[0]) <= _SPEAKER_CELL_MAX:
            lines.append(f"{cells[0].rstrip(':')}: {cells[1]}")
        elif cells:
            lines.append(" | ".join(cells))
    return lines


def _cell_layout(cell, names: _Names) -> tuple[int, str | None]:
    properties = cell.find(names.tcPr)
    if properties is None:
        return 1, None
    span = properties.find(names.gridSpan)
    merge = properties.find(names.vMerge)
    try:
        width = max(1, int(span.get(names.val, "1"))) if span is not None else 1
    except ValueError:
        width = 1
    return min(width, 64), (merge.get(names.val, "continue") if merge is not None else None)
