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
    """A heading per code (its name; the id in small type beneath), and per attribute value
    with `by`; each passage once, as a quote with its source and coders underneath, ready to
    copy into a thesis. Time is linear in the passages; `progress(done, total, label)` is
    called every few hundred passages."""
    import docx
    from docx.shared import Pt

    from ..report import quote_groups, quote_source

    document = _Appender(docx.Document())
    total, done = len(frame), 0
    document.add_heading(title, level=0)
    if frame.empty:
        document.add_paragraph("No coded passages.")
    for code, name, group, first, part in quote_groups(frame):
        if first:
            document.add_heading(str(name), level=1)
            document.add_paragraph().add_run(str(code)).font.size = Pt(8)
        if group:
            document.add_heading(f"{group[0]}: {group[1] or '(none)'}", level=2)
        for row in part.itertuples(index=False):
            quote = document.add_paragraph(style="Quote")
            quote.add_run(f"“{row.text}”")
            source = document.add_paragraph()
            source.add_run(f"— {quote_source(row)}").font.size = Pt(9)
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
            value = row[column]
            if isinstance(value, list | tuple):  # criteria and examples: one paragraph each
                cell.text = f"• {value[0]}" if value else ""
                for item in value[1:]:
                    cell.add_paragraph(f"• {item}")
            else:
                cell.text = "" if value is None else str(value)
    write_with(path, lambda tmp: document.save(tmp))


def write_codebook_docx(path: Path, frame, title: str = "Codebook") -> None:
    """The codebook appendix for Word: per code a heading (name, then the id), the
    definition, include and exclude criteria and every example as bullet lists, and its use
    in named units."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.add_heading(title, level=1)
    coders = ", ".join(frame.attrs.get("coders", [])) or "nobody yet"
    note = document.add_paragraph().add_run(
        f"Used: codings by every coder ({coders}); segments and documents count each once.")
    note.font.size = Pt(9)
    for code, record in frame.iterrows():
        document.add_heading(str(record["name"]), level=2)
        document.add_paragraph().add_run(str(code)).font.size = Pt(8)
        if record["definition"]:
            document.add_paragraph(str(record["definition"]))
        for label, key in (("Include", "include"), ("Exclude", "exclude"),
                           ("Examples", "examples")):
            if record[key]:
                document.add_paragraph().add_run(label).bold = True
                for item in record[key]:
                    text = f"“{item}”" if key == "examples" else str(item)
                    document.add_paragraph(text, style="List Bullet")
        document.add_paragraph(f"Used: {record['codings']} codings, {record['segments']} "
                               f"segments, {record['documents']} documents")
    write_with(path, lambda tmp: document.save(tmp))
