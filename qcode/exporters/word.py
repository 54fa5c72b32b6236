"""Word documents (python-docx): quotations with a heading per code, and the codebook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .files import write_with

Progress = Callable[[int, int, str], None]
_PROGRESS_EVERY = 500


class _Appender:
    """Appends paragraphs to a python-docx Document in constant time each (the same
    `add_paragraph` / `add_heading` / `save` as python-docx's Document).

    `Document.add_paragraph` looks for the body's final `w:sectPr` among all its children
    and resolves the style by name every time, so a document of n paragraphs took O(n²)
    (23,250 passages: 138 s). Here the section properties element is found once, each new
    paragraph is inserted just before it, and style ids are resolved once."""

    def __init__(self, document):
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        class _Paragraph(Paragraph):
            def add_run(self, text: str | None = None, style=None):
                """python-docx's add_run, with plain text (no tab or line break) put into
                one `w:t` at once instead of character by character."""
                if not text or any(ch in text for ch in "\t\n\r"):
                    return super().add_run(text, style)
                from docx.text.run import Run

                r = self._p.add_r()
                r.add_t(text)
                run = Run(r, self)
                if style:
                    run.style = style
                return run

        self._new, self._wrap = OxmlElement, _Paragraph
        self.document = document
        self._body = document._body  # the BlockItemContainer python-docx uses itself
        element = document.element.body
        self._anchor = element.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")
        self._element = element
        self._styles: dict[str, str] = {}

    def _style_id(self, name: str) -> str:
        if name not in self._styles:
            self._styles[name] = self.document.styles[name].style_id
        return self._styles[name]

    def add_paragraph(self, text: str = "", style: str | None = None):
        p = self._new("w:p")
        if self._anchor is not None:
            self._anchor.addprevious(p)
        else:
            self._element.append(p)
        if style:
            p.style = self._style_id(style)
        paragraph = self._wrap(p, self._body)
        if text:
            paragraph.add_run(text)
        return paragraph

    def add_heading(self, text: str, level: int = 1):
        return self.add_paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def save(self, target) -> None:
        self.document.save(target)


def write_quotes_docx(path: Path, frame, title: str = "Quotations",
                      progress: Progress | None = None) -> None:
    """Headings per code (and per attribute value with `by`), each passage as a quote with
    its source underneath, ready to copy into a thesis. Time is linear in the passages;
    `progress(done, total, label)` is called every few hundred passages."""
    import docx
    from docx.shared import Pt

    document = _Appender(docx.Document())
    total, done = len(frame), 0
    document.add_heading(title, level=0)
    by = frame.attrs.get("by")
    attribute = by.removeprefix("attribute:") if by else None
    if frame.empty:
        document.add_paragraph("No coded passages.")
    for code, passages in frame.groupby("code", sort=False):
        document.add_heading(str(code), level=1)
        groups = passages.groupby(attribute, sort=True) if attribute else [(None, passages)]
        for value, rows in groups:
            if attribute:
                document.add_heading(f"{attribute}: {value or '(none)'}", level=2)
            for row in rows.itertuples(index=False):
                quote = document.add_paragraph(style="Quote")
                quote.add_run(f"“{row.text}”")
                source = document.add_paragraph()
                run = source.add_run(f"— {row.document}, segment {row.segment}"
                                     f"{', ' + row.speaker if row.speaker else ''} "
                                     f"(coded by {row.coder})")
                run.font.size = Pt(9)
                if row.memo:
                    memo = document.add_paragraph().add_run(f"Memo: {row.memo}")
                    memo.italic = True
                    memo.font.size = Pt(9)
                done += 1
                if progress and done % _PROGRESS_EVERY == 0:
                    progress(done, total, "passages")
    if progress:
        progress(total, total, "writing the file")
    write_with(path, lambda tmp: document.save(tmp))


def write_table_docx(path: Path, frame, title: str) -> None:
    """A DataFrame as one Word table under a title (used for the codebook appendix)."""
    import docx
    from docx.table import _Cell

    from .tables import frame_rows

    rows, columns = frame_rows(frame)
    document = docx.Document()
    document.add_heading(title, level=1)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.text = str(column)
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        # `_Row.cells` rebuilds the whole table's cell grid on every call (quadratic);
        # the new row's own cells are enough
        cells = [_Cell(tc, table) for tc in table.add_row()._tr.tc_lst]
        for cell, column in zip(cells, columns, strict=True):
            cell.text = "" if row[column] is None else str(row[column])
    write_with(path, lambda tmp: document.save(tmp))
