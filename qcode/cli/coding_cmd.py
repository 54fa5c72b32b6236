"""`qcode code`, `qcode uncode`, `qcode codings import|export`, `qcode quotes`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..exporters import rows_to_text, write_atomic
from .app import Raw, app, csv_raw, group, out, state
from .output import ListFormat, listing, say, warn

codings_app = group("Import and export codings as CSV or JSON.")
app.add_typer(codings_app, name="codings")

_TARGET_HELP = ("SEGMENT then CODE...; SEGMENT is the number `qcode show` prints (3, 3-5 or "
                "3,7). With --span, all are codes.")


def _split(items: list[str], span: str | None):
    from ..codings import parse_segments, parse_span
    from ..errors import InputError

    if span:
        if not items:
            raise InputError("name at least one CODE to apply")
        return None, parse_span(span), items
    if len(items) < 2:
        raise InputError("give SEGMENT and at least one CODE, e.g. `qcode code DOC 3 "
                         "route.visitors`")
    return parse_segments(items[0]), None, items[1:]


@app.command("code")
def code_cli(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Document name.")],
    items: Annotated[list[str], typer.Argument(help=_TARGET_HELP, metavar="SEGMENT CODE...")],
    span: Annotated[str | None, typer.Option(help="Code characters START:END instead of a "
                                             "segment.")] = None,
    coder: Annotated[str | None, typer.Option(help="Who is coding.")] = None,
    memo: Annotated[str | None, typer.Option(help="A note kept with the coding.")] = None,
    exact: Annotated[bool, typer.Option(help="Keep --span exactly as given instead of "
                                        "widening it to whole words.")] = False,
) -> None:
    """Apply codes to a segment (or a character span, widened to whole words unless
    --exact) of a document."""
    st = state(ctx)
    segments, chars, code_ids = _split(items, span)
    with st.open() as project:
        results = project.code(document, segments, code_ids, span=chars,
                               coder=coder or st.coder, memo=memo, exact=exact)
    for where, code_id, created in results:
        say(st, f"{'coded' if created else '[dim]already coded'} {escape(where)} of "
                f"{escape(document)} with {escape(code_id)}{'' if created else '[/]'}")


@app.command("uncode")
def uncode_cli(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Document name.")],
    items: Annotated[list[str], typer.Argument(help=_TARGET_HELP, metavar="SEGMENT CODE...")],
    span: Annotated[str | None, typer.Option(help="Remove from characters START:END.")] = None,
    coder: Annotated[str | None, typer.Option(help="Whose coding to remove.")] = None,
    exact: Annotated[bool, typer.Option(help="Take --span exactly as given (not widened to "
                                        "whole words).")] = False,
) -> None:
    """Remove codes from a segment (with the span codings inside it) or a span; the removal
    is recorded, not erased."""
    st = state(ctx)
    segments, chars, code_ids = _split(items, span)
    with st.open() as project:
        removed = project.uncode(document, segments, code_ids, span=chars,
                                 coder=coder or st.coder, exact=exact)
    for what, code_id in removed:
        if " inside " in what:
            say(st, f"  {escape(code_id)}: {escape(what)}")
    say(st, f"removed {len(removed)} coding(s) from {escape(document)}")


@codings_app.command("import")
def codings_import_cli(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (, ; or tab separated) or JSON with "
                                         "columns document,code,coder and segment or "
                                         "start,end (memo optional), as `codings export` "
                                         "writes.")],
    coder: Annotated[str | None, typer.Option(help="Coder for rows without one.")] = None,
) -> None:
    """Import codings from CSV or JSON, all rows or none (every bad row is listed with its
    line); rows already present are skipped."""
    st = state(ctx)
    with st.open() as project:
        added, present = project.import_codings(file, coder or st.coder)
    say(st, f"{escape(str(file))}: {added} codings added, {present} already present")


@codings_app.command("export")
def codings_export_cli(
    ctx: typer.Context,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv or json "
                                            "(default: from --out, else csv).")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="File to write "
                                                  "(default: standard output).")] = None,
    coder: Annotated[str | None, typer.Option(help="Only this coder's codings.")] = None,
    raw: Raw = False,
) -> None:
    """Export live codings with the columns `codings import` reads."""
    from ..codings import CSV_COLUMNS
    from ..exporters import format_for

    chosen = format_for(out_file, fmt, ("csv", "json"))
    with state(ctx).open() as project:
        text = rows_to_text(project.codings(coder), CSV_COLUMNS, chosen, raw=csv_raw(raw))
    if out_file:
        write_atomic(out_file, text)
        say(state(ctx), f"wrote {escape(str(out_file))}")
    else:
        sys.stdout.write(text)


@app.command("quotes")
def quotes_cli(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Code id.")],
    include_children: Annotated[bool, typer.Option(help="Also passages coded with the "
                                                   "code's descendants.")] = False,
    coder: Annotated[str | None, typer.Option(help="Only this coder's codings (consensus "
                                              "coders are left out unless named).")] = None,
    consensus: Annotated[bool, typer.Option("--consensus", help="Only the consensus coder's "
                                            "codings.")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    respondents_only: Annotated[bool, typer.Option(
        help="Leave out passages spoken by interviewers (and `other` speakers).")] = False,
) -> None:
    """Print every passage coded with CODE, with document, segment, speaker and coder."""
    from ..coders import the_consensus

    with state(ctx).open() as project:
        if consensus:
            coder = the_consensus(project.conn)
        frame = project.quotes(code, include_children=include_children, coder=coder,
                               respondents_only=respondents_only)
    rows = frame.to_dict("records")
    if fmt != ListFormat.table:
        listing(rows, ["document", "segment", "speaker", "code", "coder", "start", "end",
                       "text", "memo"], fmt)
    elif rows:
        _print_quotes(rows)
    if rows:
        say(state(ctx), f"{len(rows)} passage(s)")
        return
    hidden = 0
    if not include_children:
        with state(ctx).open() as project:
            hidden = len(project.quotes(code, include_children=True, coder=coder))
    if hidden:
        warn(f"no passages coded with {code} itself, but {hidden} coded with its children; "
             f"add --include-children to see them")
    else:
        say(state(ctx), f"no passages coded with {escape(code)} yet")


def _print_quotes(rows: list[dict]) -> None:
    """Each passage under a one-line source, wrapped to the terminal, no box drawing."""
    from .columns import wrap
    from .output import width

    for row in rows:
        title = (f"{row['document']} #{row['segment']} {row['speaker']} - {row['code']} "
                 f"({row['coder']})")
        for line in wrap(title, width()):
            out.print(f"[bold]{escape(line)}[/]", soft_wrap=True)
        for line in wrap(str(row["text"]), width() - 4):
            out.print("    " + escape(line), soft_wrap=True)
        if row["memo"]:
            for line in wrap(f"memo: {row['memo']}", width() - 4):
                out.print(f"    [dim]{escape(line)}[/]", soft_wrap=True)
        out.print()
