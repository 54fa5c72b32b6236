"""`qcode export matrix`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .app import app, group, state
from .output import say

export_app = group("Export tables for theses and reports.")
app.add_typer(export_app, name="export")


@export_app.command("matrix")
def matrix_cli(
    ctx: typer.Context,
    by: Annotated[str, typer.Option(help="Columns: document.")] = "document",
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, json or md "
                                            "(default: from --out, else csv).")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="File to write "
                                                  "(default: standard output).")] = None,
    coder: Annotated[str | None, typer.Option(help="Only this coder's codings.")] = None,
) -> None:
    """Codes × documents: how many segments each code was applied to, with totals."""
    from ..exporters import format_for, frame_to_text, write_atomic

    chosen = format_for(out_file, fmt)
    with state(ctx).open() as project:
        frame = project.matrix(by, coder)
    text = frame_to_text(frame, chosen)
    if out_file:
        write_atomic(out_file, text)
        say(state(ctx), f"wrote {escape(str(out_file))}: {len(frame) - 1} codes × "
                        f"{len(frame.columns) - 1} documents")
    else:
        sys.stdout.write(text)
