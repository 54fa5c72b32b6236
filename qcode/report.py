"""`qcode report DIR`: every table and figure of the project, with an index.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .exporters import frame_to_text, write_atomic
from .exporters.figures import write_heatmap
from .exporters.word import write_quotes_docx, write_table_docx
from .exporters.xlsx import write_xlsx


@dataclass
class Report:
    folder: Path
    files: list[str] = field(default_factory=list)
    empty: bool = False


def write_report(project, folder: Path, coder: str | None = None, raw: bool = False) -> Report:
    """Matrices (by document, speaker, coder and each attribute), co-occurrence, quotations,
    the codebook appendix and a heatmap, as CSV, Markdown, LaTeX and one Excel workbook."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file; give a folder for the report")
    if not folder.parent.is_dir():
        raise InputError(f"{folder.parent} does not exist; create it first")
    folder.mkdir(exist_ok=True)
    report = Report(folder)
    attributes = [r[0] for r in project.conn.execute(
        "SELECT DISTINCT name FROM attribute ORDER BY 1")]
    groupings = ["document", "speaker", "coder", *(f"attribute:{a}" for a in attributes)]
    tables: dict[str, object] = {}
    for by in groupings:
        tables[f"matrix by {by.replace('attribute:', '')}"] = project.matrix(by, coder=coder)
    tables["cooccurrence"] = project.cooccurrence(coder=coder)
    tables["codebook"] = project.codebook_table()
    quotes = project.quotes(coder=coder)
    report.empty = not len(quotes)
    sections = ["# qcode report", "",
                f"Project: `{project.path}`" + (f", coder {coder}" if coder else ""), "",
                "Counts are distinct coded segments unless stated; totals are sums of cells.",
                ""]

    def save(name: str, text: str) -> str:
        write_atomic(folder / name, text)
        report.files.append(name)
        return name

    for title, frame in tables.items():
        stem = title.replace(" ", "_")
        csv_name = save(f"{stem}.csv", frame_to_text(frame, "csv", raw=raw))
        md_name = save(f"{stem}.md", frame_to_text(frame, "md"))
        tex_name = save(f"{stem}.tex", frame_to_text(frame, "tex", caption=title,
                                                     label=f"tab:{stem}"))
        sections += [f"## {title}", "", frame_to_text(frame, "md"),
                     f"Files: [{csv_name}]({csv_name}), [{md_name}]({md_name}), "
                     f"[{tex_name}]({tex_name})", ""]
    write_xlsx(folder / "tables.xlsx", tables | {"quotes": quotes})
    report.files.append("tables.xlsx")
    write_heatmap(folder / "heatmap.png", tables["matrix by document"],
                  "Coded segments per code and document", "png")
    report.files.append("heatmap.png")
    save("quotes.md", quotes_markdown(quotes))
    write_quotes_docx(folder / "quotes.docx", quotes)
    report.files.append("quotes.docx")
    write_table_docx(folder / "codebook.docx", tables["codebook"], "Codebook")
    report.files.append("codebook.docx")
    sections += ["## Figures and documents", "", "![heatmap](heatmap.png)", "",
                 "- [tables.xlsx](tables.xlsx): every table, one sheet each, and the quotations",
                 "- [quotes.md](quotes.md) and [quotes.docx](quotes.docx): every coded passage",
                 "- [codebook.docx](codebook.docx): the codebook appendix", ""]
    save("index.md", "\n".join(sections))
    return report


def quotes_markdown(frame) -> str:
    lines = ["# Quotations", ""]
    if frame.empty:
        return "\n".join(lines + ["No coded passages.", ""])
    by = frame.attrs.get("by")
    attribute = by.removeprefix("attribute:") if by else None
    for code, rows in frame.groupby("code", sort=False):
        lines += [f"## {code}", ""]
        groups = rows.groupby(attribute, sort=True) if attribute else [(None, rows)]
        for value, part in groups:
            if attribute:
                lines += [f"### {attribute}: {value or '(none)'}", ""]
            for row in part.itertuples(index=False):
                speaker = f", {row.speaker}" if row.speaker else ""
                lines += [f"> {row.text}", "",
                          f"— {row.document}, segment {row.segment}{speaker} "
                          f"(coded by {row.coder})" + (f". Memo: {row.memo}" if row.memo else ""),
                          ""]
    return "\n".join(lines)

