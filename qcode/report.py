"""`qcode report DIR`: every table and figure of the project, with an index.html and an
index.md that a supervisor can open as they are, and a report.tex that compiles."""

from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, QcodeError
from .exporters import frame_to_text, rows_to_text, write_atomic
from .exporters.figures import write_heatmap
from .exporters.word import write_codebook_docx, write_quotes_docx
from .exporters.xlsx import write_xlsx


@dataclass
class Report:
    folder: Path
    files: list[str] = field(default_factory=list)
    empty: bool = False


def project_memos(conn: sqlite3.Connection) -> list[dict]:
    """Every memo: the memo table's (on the project, a document, a segment, a code or a
    coding) and the memos kept on codings, each with where it belongs and who wrote it."""
    documents = {str(r[0]): r[1] for r in conn.execute("SELECT id, name FROM document")}
    segments = {str(r[0]): (r[1], r[2]) for r in conn.execute(
        "SELECT s.id, d.name, s.ordinal FROM segment s JOIN document d ON d.id = s.document_id")}
    codings = {str(r[0]): (r[1], r[2], r[3]) for r in conn.execute(
        "SELECT c.id, d.name, c.code_id, (SELECT ordinal FROM segment s WHERE s.document_id ="
        " c.document_id AND s.start <= c.start ORDER BY s.start DESC LIMIT 1)"
        " FROM coding c JOIN document d ON d.id = c.document_id")}
    rows = []
    for r in conn.execute("SELECT target, target_id, author, text, created_at FROM memo"
                          " ORDER BY created_at, id"):
        target, key = r["target"], str(r["target_id"])
        if target == "document":
            where = documents.get(key, key)
        elif target == "segment":
            name, ordinal = segments.get(key, (key, "?"))
            where = f"{name}, segment {ordinal}"
        elif target == "coding":
            name, code, ordinal = codings.get(key, (key, "?", "?"))
            where = f"{name}, segment {ordinal}, {code}"
        elif target == "code":
            where = f"code {key}"
        else:
            where = "project"
        rows.append({"on": target, "where": where, "author": r["author"], "memo": r["text"],
                     "written": r["created_at"]})
    for r in conn.execute(
            "SELECT c.coder, c.memo, c.code_id, c.created_at, d.name,"
            " (SELECT ordinal FROM segment s WHERE s.document_id = c.document_id"
            "  AND s.start <= c.start ORDER BY s.start DESC LIMIT 1) AS ordinal"
            " FROM coding c JOIN document d ON d.id = c.document_id"
            " WHERE c.removed_at IS NULL AND c.memo IS NOT NULL AND c.memo != ''"
            " ORDER BY d.name, c.start, c.coder"):
        rows.append({"on": "coding", "where": f"{r['name']}, segment {r['ordinal']}, "
                     f"{r['code_id']}", "author": r["coder"], "memo": r["memo"],
                     "written": r["created_at"]})
    return rows


def _agreement(project, coder: str | None):
    """The agreement report when two or more coders coded the same documents, else None.
    Coders with a handful of codings (under a fifth of the busiest coder's, as a coder who
    tried one segment) are left out and named in the report's notes."""
    if coder:
        return None
    from .coders import not_consensus_sql

    skip, skipped = not_consensus_sql("coder", project.conn)
    counts = dict(project.conn.execute(
        f"SELECT coder, count(*) FROM coding WHERE removed_at IS NULL{skip} GROUP BY coder",
        skipped))
    busiest = max(counts.values(), default=0)
    coders = sorted(c for c, n in counts.items() if n >= busiest / 5)
    if len(coders) < 2:
        return None
    try:
        result = project.agree(coders=coders)
    except QcodeError:  # no document coded by two of them
        return None
    few = sorted(set(counts) - set(coders))
    if few:
        result.notes.append("left out, with too few codings to compare: " + ", ".join(
            f"{c} ({counts[c]})" for c in few))
    return result


def write_report(project, folder: Path, coder: str | None = None, raw: bool = False) -> Report:
    """Matrices (by document, speaker, coder and each attribute), co-occurrence, agreement
    (two or more coders), quotations, memos, the codebook appendix and a heatmap: CSV,
    Markdown and LaTeX per table, one Excel workbook, Word documents, an index.html and
    index.md, and report.tex that \\input's every LaTeX table."""
    from .agreement.render import agreement_note, agreement_rows, rendered
    from .exporters.latex import codebook as codebook_tex
    from .exporters.latex import quotations, standalone

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
    codebook = project.codebook_table()
    quotes = project.quotes(coder=coder)
    memos = project_memos(project.conn)
    agreement = _agreement(project, coder)
    report.empty = not len(quotes)
    everyone = pooled(sorted({c for f in tables.values() for c in f.attrs.get("coders", [])}),
                      coder)
    md = ["# qcode report", "", f"Project: `{project.path}`; {everyone}.", "",
          "Each table says what its cells count (coded segments, codings, documents) and "
          "which coders it pools. Open `index.html` in a browser, or compile `report.tex`.", ""]
    page = [f"<h1>qcode report</h1><p>Project: <code>{html.escape(str(project.path))}</code>; "
            f"{html.escape(everyone)}.</p>",
            "<p>Each table says what its cells count and which coders it pools. Files: "
            "<a href='tables.xlsx'>tables.xlsx</a> (every table), <a href='quotes.docx'>"
            "quotes.docx</a>, <a href='codebook.docx'>codebook.docx</a>, <a href='report.tex'>"
            "report.tex</a>.</p>"]
    inputs: list[str] = []

    def save(name: str, text: str) -> str:
        write_atomic(folder / name, text)
        report.files.append(name)
        return name

    def section(title: str, caption: str, md_table: str, html_table: str, files: list[str],
                note: str = "") -> None:
        links = ", ".join(f"[{n}]({n})" for n in files)
        md.extend([f"## {title}", "", f"*{caption}*", "", md_table, *([note, ""] if note else []),
                   f"Files: {links}", ""])
        page.append(f"<h2>{html.escape(title)}</h2>{html_table}"
                    + (f"<p class='note'>{html.escape(note)}</p>" if note else "")
                    + "<p class='files'>Files: " + ", ".join(
                        f"<a href='{n}'>{n}</a>" for n in files) + "</p>")

    if agreement is not None:
        chosen = ["percent", "kappa", "alpha", "ac1"]
        rows, columns = agreement_rows(agreement, chosen)
        full = list(agreement.rows)
        names = [save("agreement.csv", rows_to_text(full, list(full[0]), "csv", raw=raw)),
                 save("agreement.md", rendered(agreement, chosen, "md")),
                 save("agreement.tex", rendered(agreement, chosen, "tex"))]
        inputs.append("agreement.tex")
        caption = f"Inter-coder agreement per code, comparing {', '.join(agreement.coders)}"
        section("Agreement", caption, rows_to_text(rows, columns, "md"),
                rows_to_text(rows, columns, "html", caption), names,
                " ".join([agreement_note(agreement, chosen), *agreement.notes]))
    for title, frame in tables.items():
        stem = title.replace(" ", "_")
        caption, note = describe_table(frame, title=True), describe_table(frame)
        names = [save(f"{stem}.csv", frame_to_text(frame, "csv", raw=raw)),
                 save(f"{stem}.md", frame_to_text(frame, "md")),
                 save(f"{stem}.tex", frame_to_text(frame, "tex", caption=caption,
                                                   label=f"tab:{stem}", note=note))]
        inputs.append(f"{stem}.tex")
        section(title, caption, frame_to_text(frame, "md"),
                frame_to_text(frame, "html", caption=caption), names, note)
    coders_used = ", ".join(codebook.attrs.get("coders", [])) or "nobody yet"
    codebook_names = [save("codebook.csv", frame_to_text(codebook, "csv", raw=raw)),
                      save("codebook.md", frame_to_text(codebook, "md")),
                      save("codebook.tex", codebook_tex(codebook, label="tab:codebook"))]
    write_codebook_docx(folder / "codebook.docx", codebook)
    report.files.append("codebook.docx")
    inputs.append("codebook.tex")
    md += ["## Codebook", "", f"*Every code with its use: codings by all coders "
           f"({coders_used}), distinct segments and documents.*", "",
           "Files: " + ", ".join(f"[{n}]({n})" for n in [*codebook_names, "codebook.docx"]), ""]
    page.append(f"<h2>Codebook</h2>{frame_to_text(codebook, 'html')}<p class='files'>Files: "
                + ", ".join(f"<a href='{n}'>{n}</a>" for n in
                            [*codebook_names, "codebook.docx"]) + "</p>")
    memo_columns = ["on", "where", "author", "memo", "written"]
    memo_md = rows_to_text(memos, memo_columns, "md") if memos else "No memos yet.\n"
    save("memos.md", "# Memos\n\n" + memo_md)
    save("memos.csv", rows_to_text(memos, memo_columns, "csv", raw=raw))
    authors = ", ".join(sorted({m["author"] for m in memos})) or "nobody yet"
    section("Memos", f"{len(memos)} memos by {authors}", memo_md,
            rows_to_text(memos, memo_columns, "html") if memos else "<p>No memos yet.</p>",
            ["memos.md", "memos.csv"])
    write_xlsx(folder / "tables.xlsx", {**({"agreement": _agreement_frame(agreement)}
                                            if agreement is not None else {}),
                                         **tables, "codebook": codebook, "quotes": quotes})
    report.files.append("tables.xlsx")
    write_heatmap(folder / "heatmap.png", tables["matrix by document"],
                  f"Coded segments per code and document ({everyone})", "png")
    report.files.append("heatmap.png")
    save("quotes.md", quotes_markdown(quotes))
    save("quotes.tex", quotations(quotes))
    inputs.append("quotes.tex")
    write_quotes_docx(folder / "quotes.docx", quotes)
    report.files.append("quotes.docx")
    md += ["## Figures and quotations", "", "![heatmap](heatmap.png)", "",
           "- [tables.xlsx](tables.xlsx): every table, one sheet each, and the quotations",
           "- [quotes.md](quotes.md), [quotes.docx](quotes.docx), [quotes.tex](quotes.tex): "
           "each coded passage once, with its coders", ""]
    page.append("<h2>Figures and quotations</h2><img src='heatmap.png' alt='heatmap' "
                "style='max-width:100%'><p class='files'><a href='quotes.docx'>quotes.docx"
                "</a>, <a href='quotes.md'>quotes.md</a>, <a href='quotes.tex'>quotes.tex</a>"
                "</p>")
    body = "".join(f"\\input{{{name}}}\n\\clearpage\n" for name in inputs)
    save("report.tex", standalone("\\section*{qcode report}\n" + body))
    save("index.md", "\n".join(md))
    save("index.html", "<!doctype html><html><head><meta charset='utf-8'><title>qcode "
         "report</title><style>body{font-family:sans-serif;max-width:70em;margin:2em auto;"
         "padding:0 1em}table{border-collapse:collapse;margin:1em 0;font-size:90%}"
         "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}"
         "td.num{text-align:right}caption{text-align:left;font-style:italic}"
         ".note,.files{font-size:85%;color:#444}</style></head><body>"
         + "\n".join(page) + "</body></html>\n")
    return report


def _agreement_frame(agreement):
    """The agreement rows for Excel: percent agreement in a percent format, the
    coefficients to three decimals, full precision underneath."""
    import pandas as pd

    frame = pd.DataFrame(agreement.rows).set_index("code")
    formats = {"percent": (1, "0.0%")}
    formats.update({m: (1, "0.000") for m in ("kappa", "alpha", "pi", "bp", "ac1")})
    frame.attrs["number_formats"] = formats
    return frame


def quote_groups(frame):
    """(code id, code name, attribute value or None, rows) in the frame's order."""
    by = frame.attrs.get("by")
    attribute = by.removeprefix("attribute:") if by else None
    for code, rows in frame.groupby("code", sort=False):
        name = rows["name"].iloc[0] if "name" in rows else code
        groups = rows.groupby(attribute, sort=True) if attribute else [(None, rows)]
        for number, (value, part) in enumerate(groups):
            yield code, name, (attribute, value) if attribute else None, number == 0, part


def quote_source(row) -> str:
    """'guardia_2016, segment 3, E (coded by ana, ben)'."""
    speaker = f", {row.speaker}" if row.speaker else ""
    return f"{row.document}, segment {row.segment}{speaker} (coded by {row.coder})"


def quotes_markdown(frame) -> str:
    """Each passage once under its code's name (the id beneath), its coders listed."""
    lines = ["# Quotations", ""]
    if frame.empty:
        return "\n".join(lines + ["No coded passages.", ""])
    for code, name, group, first, part in quote_groups(frame):
        if first:
            lines += [f"## {name}", "", f"<small>`{code}`</small>", ""]
        if group:
            lines += [f"### {group[0]}: {group[1] or '(none)'}", ""]
        for row in part.itertuples(index=False):
            quoted = "\n> ".join(str(row.text).splitlines() or [""])
            lines += [f"> {quoted}", "", f"— {quote_source(row)}"
                      + (f". Memo: {row.memo}" if row.memo else ""), ""]
    return "\n".join(lines)


UNITS = {"segments": "coded segments", "codings": "codings", "words": "coded words",
         "presence": "presence (1 = coded at least once)", "documents": "documents"}


def pooled(coders: list[str], coder: str | None = None) -> str:
    """Which coders a table counts: 'coder ana' or 'pooling coders ana, ben'."""
    if coder:
        return f"coder {coder}"
    if len(coders) == 1:
        return f"coder {coders[0]}"
    return f"pooling coders {', '.join(coders)}" if coders else "no codings yet"


def describe_table(frame, *, title: bool = False) -> str:
    """A caption naming the unit counted and the coders pooled (`title`), or the note
    that goes under the table: what the marks and totals mean."""
    attrs = frame.attrs
    who = pooled(attrs.get("coders", []), attrs.get("coder"))
    if "count" in attrs:
        by = str(attrs["by"]).removeprefix("attribute:")
        what = UNITS[attrs["count"]]
        if attrs.get("percent"):
            what = f"{what}, % of the {attrs['percent']} total"
        if title:
            return f"{what[0].upper()}{what[1:]} per code and {by} ({who})"
        notes = [f"Cells: {what}; {who}."]
        if attrs.get("aggregated"):
            notes.append("'(with children)': a parent with no codings of its own shows the "
                         "distinct units of its children; the Total row counts the children, "
                         "not the parent, so nothing is counted twice.")
        elif attrs.get("include_children"):
            notes.append("Each parent counts the distinct units of itself and its children; "
                         "the Total row adds only the top rows.")
        return " ".join(notes)
    if "unit" in attrs:
        kind = "Jaccard similarity of" if attrs.get("jaccard") else "Number of"
        if title:
            return f"Co-occurrence: {kind.lower()} {attrs['unit']}s coded with both codes ({who})"
        note = f"Cells: {attrs['unit']}s coded with both codes; the diagonal: with the code; {who}."
        if attrs.get("dropped"):
            note += f" {attrs['dropped']} codes nobody used are left out."
        return note
    return "" if not title else "Codebook"
