"""`qcode export matrix|cooccurrence|quotes|heatmap|codebook` and `qcode report`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .app import Raw, app, csv_raw, group, state
from .output import progress_bar, say, warn

export_app = group("Export tables, quotations and figures for theses and reports. The "
                   "format follows --out's extension (--format overrides); without --out, "
                   "text formats go to standard output.")
app.add_typer(export_app, name="export")

TABLE_FORMATS = ("csv", "xlsx", "tex", "md", "json", "html")

Out = Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: "
                                          "standard output for text formats).")]
Format = Annotated[str | None, typer.Option("--format", "-f", help="csv, xlsx, tex, md, json "
                                            "or html (default: from --out, else csv).")]
Coder = Annotated[str | None, typer.Option(help="Only this coder's codings.")]
Codes = Annotated[str | None, typer.Option(help="Only codes matching this pattern, e.g. "
                                           "'route.*'.")]
Docs = Annotated[str | None, typer.Option(help="Only documents matching this pattern.")]
Caption = Annotated[str | None, typer.Option(help="LaTeX: \\caption (puts the table in a "
                                             "float).")]
Label = Annotated[str | None, typer.Option(help="LaTeX: \\label, e.g. tab:matrix.")]
Landscape = Annotated[bool, typer.Option(help="LaTeX: lay the table on landscape pages "
                                         "(needs \\usepackage{pdflscape}).")]
Standalone = Annotated[bool, typer.Option(help="LaTeX: a whole document that compiles as it "
                                          "is (default: a fragment to \\input).")]


def _write_table(ctx: typer.Context, frame, out: Path | None, fmt: str | None, title: str,
                 caption: str | None = None, label: str | None = None,
                 raw: bool = False, **tex) -> None:
    from ..exporters import format_for, frame_to_text, write_atomic
    from ..exporters.xlsx import write_xlsx

    chosen = format_for(out, fmt, TABLE_FORMATS)
    body = frame.drop(index="Total", columns="Total", errors="ignore")
    if body.shape[0] == 0:
        warn(f"the {title} is empty: the project has no codes yet "
             "(`qcode codebook load FILE.yaml`)")
    elif body.shape[1] == 0:
        warn(f"the {title} is empty: the project has no documents yet (`qcode import FILES`)")
    elif not body.select_dtypes("number").to_numpy().any():
        warn(f"the {title} is all zeros: no codings yet, or none that the options select "
             "(suggestions count once accepted: `qcode review`)")
    if chosen == "xlsx":
        write_xlsx(out, {title: frame})
    else:
        from ..report import describe_table

        if chosen == "tex":
            tex.setdefault("note", describe_table(frame) or None)
        text = frame_to_text(frame, chosen, caption or (
            describe_table(frame, title=True) if chosen == "tex" else None), label,
            csv_raw(raw), **(tex if chosen == "tex" else {}))
        if out is None:
            sys.stdout.write(text)
            return
        write_atomic(out, text)
    say(state(ctx), f"wrote {escape(str(out))}: {title}, {len(frame)} rows × "
                    f"{len(frame.columns)} columns")


def _matrix(project, by, count, coder, codes, docs, include_children, level, percent, labels,
            respondents_only=False):
    return project.matrix(by, count=count, coder=coder, codes=codes, documents=docs,
                          include_children=include_children, level=level, percent=percent,
                          labels=labels, respondents_only=respondents_only)


By = Annotated[str, typer.Option(help="Columns: document, speaker, role (the speakers' "
                                 "roles), coder or attribute:NAME (e.g. attribute:role).")]
RespondentsOnly = Annotated[bool, typer.Option(
    help="Leave out the turns of interviewers (and `other` speakers); see `qcode speakers "
    "role`.")]
Count = Annotated[str, typer.Option(help="segments (distinct coded segments), codings, "
                                    "presence (0/1), words (words coded) or documents.")]
Children = Annotated[bool | None, typer.Option(
    "--include-children/--no-include-children",
    help="Every parent's row counts its descendants' units too (each unit once). Default: "
    "only parents with no codings of their own do, marked '(with children)'.")]
Level = Annotated[int | None, typer.Option(help="Show codes down to this depth of the tree "
                                           "(1 = top), each counting its descendants.")]
Percent = Annotated[str | None, typer.Option(help="Percentages of the row, column or total "
                                             "instead of counts.")]
Labels = Annotated[str, typer.Option(help="Row labels: id, name, indent (names indented by "
                                     "depth) or path (Parent > Child).")]


@export_app.command("matrix")
def matrix_cli(ctx: typer.Context, by: By = "document", count: Count = "segments",
               coder: Coder = None, codes: Codes = None, docs: Docs = None,
               include_children: Children = None, level: Level = None,
               percent: Percent = None, labels: Labels = "id", fmt: Format = None,
               out: Out = None, caption: Caption = None, label: Label = None,
               landscape: Landscape = False, standalone: Standalone = False,
               raw: Raw = False, respondents_only: RespondentsOnly = False) -> None:
    """Codes (rows, codebook order) × documents, speakers, coders or attribute values, with
    row and column totals."""
    with state(ctx).open() as project:
        frame = _matrix(project, by, count, coder, codes, docs, include_children, level,
                        percent, labels, respondents_only)
    _write_table(ctx, frame, out, fmt, f"matrix by {by}", caption, label, raw,
                 landscape=landscape, standalone=standalone)


@export_app.command("cooccurrence")
def cooccurrence_cli(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option(help="Count co-occurrence in the same segment or the "
                                      "same document.")] = "segment",
    jaccard: Annotated[bool, typer.Option(help="Jaccard similarity |A∩B| / |A∪B| instead of "
                                          "counts.")] = False,
    keep_all: Annotated[bool, typer.Option("--all", help="Keep codes nobody used (all-zero "
                                           "rows and columns).")] = False,
    coder: Coder = None, codes: Codes = None, docs: Docs = None, fmt: Format = None,
    out: Out = None, caption: Caption = None, label: Label = None,
    landscape: Landscape = False, standalone: Standalone = False, raw: Raw = False,
    respondents_only: RespondentsOnly = False,
) -> None:
    """Code × code: how many segments (or documents) carry both codes. Codes nobody used
    are left out (--all keeps them)."""
    with state(ctx).open() as project:
        frame = project.cooccurrence(unit=unit, coder=coder, codes=codes, documents=docs,
                                     jaccard=jaccard, keep_empty=keep_all,
                                     respondents_only=respondents_only)
    if frame.attrs.get("dropped"):
        say(state(ctx), f"[dim]{frame.attrs['dropped']} codes nobody used are left out "
                        "(--all keeps them)[/]")
    _write_table(ctx, frame, out, fmt, "co-occurrence", caption, label, raw,
                 landscape=landscape, standalone=standalone)


@export_app.command("quotes")
def quotes_cli(
    ctx: typer.Context,
    code: Annotated[list[str] | None, typer.Option(help="Codes to quote (repeatable; their "
                                                   "children included). Default: all.")] = None,
    by: Annotated[str | None, typer.Option(help="Group under each code by attribute:NAME.")]
    = None,
    coder: Coder = None, docs: Docs = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="md, csv, xlsx, docx, "
                                            "json, html or tex (default: from --out, else "
                                            "md).")] = None,
    out: Out = None, standalone: Standalone = False, raw: Raw = False,
    respondents_only: RespondentsOnly = False,
) -> None:
    """Every coded passage once, with document, segment, speaker, attributes, the coders
    who coded it and their memos; as Word (a heading per code name, ready to quote from),
    Markdown, LaTeX, CSV or Excel."""
    from ..exporters import format_for, frame_to_text, write_atomic
    from ..exporters.word import write_quotes_docx
    from ..exporters.xlsx import write_xlsx
    from ..report import quotes_markdown

    with state(ctx).open() as project:
        frame = project.quotes(code or None, coder=coder, documents=docs, by=by,
                               respondents_only=respondents_only)
        leaks = project.pii_passage_warnings(frame)  # anonymisation check (qcode.pii)
    for message in leaks:
        warn(message)
    chosen = format_for(out, fmt, ("md", "csv", "xlsx", "docx", "json", "html", "tex"))
    if frame.empty:
        warn("no coded passages: the quotation table is empty")
    if chosen == "docx":
        with progress_bar(state(ctx), "writing quotations") as update:
            write_quotes_docx(out, frame, progress=update)
    elif chosen == "xlsx":
        write_xlsx(out, {"quotes": frame.set_index("code")})
    else:
        if chosen == "md":
            text = quotes_markdown(frame)
        elif chosen == "tex":
            from ..exporters.latex import quotations, wrap

            text = wrap(quotations(frame), standalone_doc=standalone)
        else:
            text = frame_to_text(frame.set_index("code"), chosen, raw=csv_raw(raw))
        if out is None:
            sys.stdout.write(text)
            return
        write_atomic(out, text)
    say(state(ctx), f"wrote {escape(str(out))}: {len(frame)} passages")


@export_app.command("heatmap")
def heatmap_cli(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="FILE.png, .svg or .pdf.")],
    by: By = "document", count: Count = "segments", coder: Coder = None, codes: Codes = None,
    docs: Docs = None, include_children: Children = None, level: Level = None,
    percent: Percent = None, labels: Labels = "id", fmt: Format = None,
    respondents_only: RespondentsOnly = False,
) -> None:
    """A labelled heatmap of the matrix, with a colour bar and counts in the cells."""
    from ..exporters import format_for
    from ..exporters.figures import write_heatmap

    chosen = format_for(out, fmt, ("png", "svg", "pdf"))
    with state(ctx).open() as project:
        frame = _matrix(project, by, count, coder, codes, docs, include_children, level,
                        percent, labels, respondents_only)
    what = f"% of {percent} ({count})" if percent else count
    columns = f"attribute {by.removeprefix('attribute:')}" if by.startswith("attribute:") else by
    write_heatmap(out, frame, f"Codes × {columns}: {what}", chosen)  # attribute role ≠ role
    say(state(ctx), f"wrote {escape(str(out))}: {len(frame) - 1} codes × "
                    f"{len(frame.columns) - 1} columns")


@export_app.command("codebook")
def codebook_cli(
    ctx: typer.Context,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="md, tex, docx, csv, xlsx, "
                                            "json or html (default: from --out, else md).")]
    = None,
    out: Out = None, caption: Caption = None, label: Label = None,
    standalone: Standalone = False, raw: Raw = False,
) -> None:
    """The codebook as an appendix: code, name, definition, include and exclude criteria,
    every example, and how often it is used (codings, segments, documents)."""
    from ..exporters import format_for, write_atomic
    from ..exporters.word import write_codebook_docx

    with state(ctx).open() as project:
        frame = project.codebook_table()
    chosen = format_for(out, fmt, ("md", "tex", "docx", "csv", "xlsx", "json", "html"))
    if chosen in ("docx", "tex"):
        if chosen == "docx":
            write_codebook_docx(out, frame)
        else:
            from ..exporters.latex import codebook, wrap

            text = wrap(codebook(frame, caption=caption or "Codebook", label=label),
                        standalone_doc=standalone)
            if out is None:
                sys.stdout.write(text)
                return
            write_atomic(out, text)
        say(state(ctx), f"wrote {escape(str(out))}: {len(frame)} codes")
        return
    _write_table(ctx, frame, out, chosen, "codebook", caption, label, raw)


@app.command("report")
def report_cli(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Folder to write into (created if needed).")],
    coder: Coder = None, raw: Raw = False,
) -> None:
    """Write every matrix, the co-occurrence table, quotations, the codebook and a heatmap
    into FOLDER, with an index.md that links them."""
    from ..report import write_report

    st = state(ctx)
    with st.open() as project:
        report = write_report(project, folder, coder, raw=csv_raw(raw))
        leaks = project.pii_passage_warnings(project.quotes(coder=coder))  # qcode.pii check
    for message in leaks:
        warn(message)
    if report.empty:
        warn("the project has no codings yet: the tables are empty")
    say(st, f"wrote {len(report.files)} files to {escape(str(folder))}; start with "
            f"{escape(str(folder / 'index.html'))} (or index.md)")
