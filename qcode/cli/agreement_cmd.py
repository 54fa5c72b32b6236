"""`qcode merge`, `qcode agree`, `qcode disagreements`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import InputError
from .app import app, csv_raw, out, state
from .output import say, warn


class Unit(StrEnum):
    segment = "segment"
    span = "span"


class Level(StrEnum):
    nominal = "nominal"
    ordinal = "ordinal"
    interval = "interval"
    ratio = "ratio"


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"
    tex = "tex"


LABELS = {"percent": "%agr", "kappa": "κ", "alpha": "α", "pi": "π", "bp": "BP", "ac1": "AC1",
          "alpha_u": "α-u"}

Coders = Annotated[str | None, typer.Option(
    help="Coders to compare, comma-separated (default: everyone with codings).")]
Codes = Annotated[str | None, typer.Option(help="Only codes matching this pattern, e.g. "
                                           "'route.*'.")]
Docs = Annotated[str | None, typer.Option(help="Only documents matching this pattern.")]
Overlap = Annotated[float, typer.Option(
    help="A coder applied a code to a segment when a coding covers at least this share of "
    "the segment or of the coding (the larger share counts).")]


def _coders(value: str | None) -> list[str] | None:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


@app.command("merge")
def merge_cli(
    ctx: typer.Context,
    other: Annotated[Path, typer.Argument(help="Another copy of the project (folder or "
                                          "qcode.db) or a codings CSV.")],
    coder_map: Annotated[list[str] | None, typer.Option(
        help="Rename a coder on the way in: OLD=NEW (repeatable).")] = None,
) -> None:
    """Bring in another coder's codings, memos and decisions; documents are matched by
    their text, and merging twice adds nothing."""
    from ..merge import parse_coder_map

    st = state(ctx)
    with st.open() as project:
        report = project.merge(other, parse_coder_map(coder_map or []))
    for name in report.skipped_documents:
        warn(f"document '{name}' is not in this project; its codings were not merged "
             "(import it first)")
    say(st, f"merged {escape(str(other))}: {report.codings_added} codings added, "
            f"{report.codings_present} already present, {report.memos_added} memos, "
            f"{report.decisions_added} suggestion decisions")


@app.command("agree")
def agree_cli(
    ctx: typer.Context,
    coders: Coders = None,
    codes: Codes = None,
    docs: Docs = None,
    unit: Annotated[Unit, typer.Option(
        help="segment: each segment x code is a yes/no unit; span: Krippendorff's unitizing "
        "alpha on freely drawn character spans.")] = Unit.segment,
    overlap: Overlap = 0.5,
    metrics: Annotated[str | None, typer.Option(
        help="Comma-separated subset of percent,kappa,alpha,pi,bp,ac1.")] = None,
    threshold: Annotated[float, typer.Option(help="Flag codes whose alpha is below this.")]
    = 0.667,
    ratings: Annotated[Path | None, typer.Option(
        help="Compute the coefficients for a units x coders CSV instead (one row per unit, "
        "one column per coder, an optional first column 'unit'; empty cell = missing).")]
    = None,
    level: Annotated[Level, typer.Option(help="Level of measurement for --ratings.")]
    = Level.nominal,
    consensus: Annotated[str | None, typer.Option(
        help="Also write the segments all coders agree on as a new coder with this name.")]
    = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
) -> None:
    """Inter-coder agreement per code and overall: percent agreement, Cohen's kappa (two
    coders) or Fleiss' kappa (three or more), Krippendorff's alpha, Scott's pi,
    Brennan-Prediger and Gwet's AC1, each with a plain-language reading.

    Segment units: every segment of a document coded by at least two of the coders, once
    per code; missing when a coder never coded that document.
    """
    from ..agreement import agree_ratings

    st = state(ctx)
    if ratings:
        report = agree_ratings(ratings, level.value, threshold)
    else:
        with st.open() as project:
            report = project.agree(coders=_coders(coders), codes=codes, documents=docs,
                                   unit=unit.value, overlap=overlap, threshold=threshold)
            if consensus:
                added = project.consensus(consensus, coders=_coders(coders), codes=codes,
                                          documents=docs, overlap=overlap)
                say(st, f"consensus: {added} codings written for coder {escape(consensus)}")
    chosen = _metrics(metrics, report, fmt == ReportFormat.table)
    uses = [f"uses_{c}" for c in report.coders] if report.unit != "ratings" else []
    columns = ["code", "units", *uses, *chosen, "reading", "flags",
               *(f"{m}_reading" for m in chosen if m != "percent" and report.unit != "span")]
    if fmt != ReportFormat.table:
        from ..exporters import rows_to_text

        sys.stdout.write(rows_to_text(report.rows, columns, fmt.value, raw=csv_raw()))
        return
    unused = _table(report, chosen, uses)
    say(st, f"[dim]low = α below {threshold:.3f}; rare = applied fewer than 5 times, too few "
            "to judge[/]")
    if unused:
        say(st, f"[dim]{unused} codes nobody used are not shown (--format csv lists every "
                "code)[/]")
    if report.unit == "segment" and not metrics:
        say(st, "[dim]Scott's pi and Brennan-Prediger: --metrics percent,kappa,alpha,pi,bp,ac1 "
                "or --format csv[/]")
    for note in report.notes:
        say(st, f"[dim]{escape(note)}[/]")


def _metrics(metrics: str | None, report, table: bool) -> list[str]:
    if report.unit == "span":
        return ["alpha_u"] if table else ["alpha_u", "observed", "expected"]
    from ..agreement.report import METRICS

    default = ["percent", "kappa", "alpha", "ac1"] if table else list(METRICS)
    chosen = [m.strip() for m in metrics.split(",")] if metrics else default
    unknown = [m for m in chosen if m not in METRICS]
    if unknown:
        raise InputError(f"--metrics: unknown {', '.join(unknown)}; choose from "
                         f"{', '.join(METRICS)}")
    return chosen


def _table(report, chosen: list[str], uses: list[str]) -> int:
    """Print the report as a table; return how many unused codes were left out."""
    from rich import box

    per_code = report.unit != "span"  # segment units: every code has the same n
    first = report.rows[0]["units"] if report.rows else 0
    title = (f"{', '.join(report.coders)}: {first} units per code; κ = {report.kappa_name}"
             if per_code else f"unitizing agreement, {', '.join(report.coders)}")
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1),
                  show_edge=False, pad_edge=False)
    table.add_column("code", overflow="fold", min_width=23)
    if not per_code:
        table.add_column("n", justify="right")
    for column in uses:
        table.add_column(column.removeprefix("uses_"), justify="right")
    for metric in chosen:
        table.add_column(LABELS.get(metric, metric[:5]), justify="right")
    table.add_column("reading", overflow="fold", min_width=10)

    def cell(value) -> str:
        if value is None:
            return "-"
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    unused = 0
    for row in report.rows:
        if row["reading"].endswith("nobody used this code"):
            unused += 1
            continue
        short = row["reading"].split(";")[0].removeprefix("α ").split(" (")[0]
        short = short.removeprefix("undefined: ").split(" (")[0]
        marks = [word for word, present in (("low", "below" in row["flags"]),
                                            ("rare", "rare" in row["flags"])) if present]
        if marks:
            short += f" [yellow]{' '.join(marks)}[/]"
        counts = [] if per_code else [cell(row["units"])]
        table.add_row(escape(row["code"]), *counts, *(cell(row[c]) for c in uses),
                      *(cell(row[m]) for m in chosen), short,
                      end_section=row["code"].startswith("overall"))
    out.print(table)
    return unused


@app.command("disagreements")
def disagreements_cli(
    ctx: typer.Context,
    coders: Coders = None,
    code: Annotated[str | None, typer.Option(help="Only this code (a pattern such as "
                                             "'route.*' works too).")] = None,
    docs: Docs = None,
    overlap: Overlap = 0.5,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
) -> None:
    """List every segment x code where the coders differ, for the discussion meeting."""
    from ..exporters import rows_to_text

    with state(ctx).open() as project:
        rows = project.disagreements(coders=_coders(coders), codes=code, documents=docs,
                                     overlap=overlap)
    columns = ["document", "segment", "speaker", "code", "applied_by", "not_by", "text",
               "memos"]
    if fmt != ReportFormat.table:
        sys.stdout.write(rows_to_text(rows, columns, fmt.value, raw=csv_raw()))
        return
    if not rows:
        say(state(ctx), "no disagreements")
        return
    table = Table(show_lines=True)
    for column in ("doc #", "code", "yes", "no", "text"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(f"{escape(row['document'])} #{row['segment']} {escape(row['speaker'])}",
                      escape(row["code"]), escape(row["applied_by"]), escape(row["not_by"]),
                      escape(row["text"]) + (f"\n[italic]memo {escape(row['memos'])}[/]"
                                             if row["memos"] else ""))
    out.print(table)
    say(state(ctx), f"{len(rows)} disagreements")
