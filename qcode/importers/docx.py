"""Word .docx transcripts (python-docx): paragraphs and tables in document order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import InputError
from .decoding import check_text, normalise
from .model import ParsedDocument
from .text import split_front_matter

# A two-column table whose first cell is this short is read as `speaker: text`.
_SPEAKER_CELL_MAX = 40


def read_docx(path: Path, raw: bytes) -> ParsedDocument:
    import docx  # python-docx; imported here so that `qcode --help` stays fast
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{path}: not a valid .docx file ({exc}); open and re-save it in "
                         "Word or LibreOffice") from None
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_lines(item))
        elif item.text.strip():
            blocks.append(item.text)
    text = normalise("\n\n".join(blocks))
    attributes, language, text = split_front_matter(text, path)
    check_text(text, path)
    return ParsedDocument(name=path.stem, text=text, format="docx", encoding=None,
                          attributes=attributes, language=language, source=path)


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            value = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if not cells or value != cells[-1]:  # merged cells repeat their text
                cells.append(value)
        cells = [c for c in cells if c]
        if len(cells) == 2 and len(cells[0]) <= _SPEAKER_CELL_MAX:
            lines.append(f"{cells[0].rstrip(':')}: {cells[1]}")
        elif cells:
            lines.append(" | ".join(cells))
    return lines
