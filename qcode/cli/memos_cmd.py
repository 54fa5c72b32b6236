"""`qcode memos` (list and export memos) and `qcode memo` (write, replace, delete one)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .app import app, state
from .output import ListFormat, listing, say


class MemoFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


@app.command("memos")
def memos_cli(
    ctx: typer.Context,
    document: Annotated[str | None, typer.Argument(help="Only this document's memos.")] = None,
    code: Annotated[str | None, typer.Option(help="Only memos on this code and on codings "
                                             "with it.")] = None,
    coder: Annotated[str | None, typer.Option(help="Only this coder's memos.")] = None,
    fmt: Annotated[MemoFormat, typer.Option("--format", "-f")] = MemoFormat.table,
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="File to write "
                                                  "(format from its extension).")] = None,
) -> None:
    """List memos on documents, segments, codes and codings: target, document, segment,
    code, coding id, coder, text, date."""
    from ..exporters import format_for, rows_to_text, write_atomic
    from ..memos import COLUMNS

    with state(ctx).open() as project:
        rows = project.memos(document, code=code, coder=coder)
    if out_file:
        chosen = format_for(out_file, None if fmt == MemoFormat.table else fmt.value,
                            ("csv", "json", "md"))
        write_atomic(out_file, rows_to_text(rows, COLUMNS, chosen))
        say(state(ctx), f"wrote {len(rows)} memos to {escape(str(out_file))}")
    elif fmt == MemoFormat.md:
        sys.stdout.write(rows_to_text(rows, COLUMNS, "md"))
    else:
        shown = COLUMNS if fmt != MemoFormat.table else [
            "target", "document", "segment", "code", "coder", "text"]
        listing(rows, shown, ListFormat(fmt.value), empty="no memos yet; `qcode memo DOC "
                "SEGMENT TEXT` writes one (or `m` in `qcode review`)")


@app.command("memo")
def memo_cli(
    ctx: typer.Context,
    items: Annotated[list[str] | None, typer.Argument(
        help="DOC [SEGMENT] TEXT: a memo on a document or one of its segments; with --code "
        "or --coding just TEXT.", metavar="[DOC] [SEGMENT] TEXT")] = None,
    coding: Annotated[int | None, typer.Option(help="A memo on this coding (its id, from "
                                               "`qcode memos` or `codings export`).")] = None,
    code: Annotated[str | None, typer.Option(help="A memo on this code (analytic memo).")]
    = None,
    delete: Annotated[bool, typer.Option(help="Delete the memo instead.")] = False,
    coder: Annotated[str | None, typer.Option(help="Whose memo.")] = None,
) -> None:
    """Write a memo, replacing your earlier memo on the same target; --delete removes it."""
    from ..errors import InputError

    st = state(ctx)
    items = list(items or [])
    text = None if delete or not items else items.pop()
    document = items.pop(0) if items and code is None else None
    segment = items.pop(0) if items and coding is None else None
    if items:
        raise InputError(f"unexpected argument(s) {' '.join(items)}; quote the memo text")
    with st.open() as project:
        message = project.memo(text, document=document, segment=segment, coding=coding,
                               code=code, delete=delete, coder=coder or st.coder)
    say(st, escape(message))
