"""Word documents (python-docx): quotations with a heading per code, and the codebook."""

from __future__ import annotations

from pathlib import Path

from .files import write_with


def write_quotes_docx(path: Path, frame, title: str = "Quotations") -> None:
    """Headings per code (and per attribute value with `by`), each passage as a quote with
    its source underneath, ready to copy into a thesis."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
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
    write_with(path, lambda tmp: document.save(tmp))


def write_table_docx(path: Path, frame, title: str) -> None:
    """A DataFrame as one Word table under a title (used for the codebook appendix)."""
    import docx

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
        cells = table.add_row().cells
        for cell, column in zip(cells, columns, strict=True):
            cell.text = "" if row[column] is None else str(row[column])
    write_with(path, lambda tmp: document.save(tmp))
