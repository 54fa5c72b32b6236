"""Word documents (python-docx): quotations with a heading per code, and the codebook."""

from __future__ import annotations

from pathlib import Path

from .files import write_with


def write_quotes_docx(path: Path, frame, title: str = "Quotations") -> None:
    """A heading per code (its name; the id in small type beneath), and per attribute value
    with `by`; each passage once, as a quote with its source and coders underneath."""
    import docx
    from docx.shared import Pt

    from ..report import quote_groups, quote_source

    document = docx.Document()
    document.add_heading(title, level=0)
    if frame.empty:
        document.add_paragraph("No coded passages.")
    for code, name, group, first, part in quote_groups(frame):
        if first:
            document.add_heading(str(name), level=1)
            ident = document.add_paragraph().add_run(str(code))
            ident.font.size = Pt(8)
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
