"""REFI-QDA exchange: `qcode export qdpx`, `qcode codebook export|import` (.qdc).
Importing a .qdpx is `qcode import FILE.qdpx` or `qcode init --from FILE.qdpx`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .app import state
from .codebook_cmd import codebook_app, print_load_report
from .export_cmd import export_app
from .output import say, warn


@export_app.command("qdpx")
def qdpx_cli(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(help="The .qdpx file to write.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Same as FILE.")] = None,
) -> None:
    """The whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA,
    QualCoder or Taguette: coders, codebook, documents, codings, memos, attributes."""
    from ..errors import InputError

    target = file or out
    if target is None:
        raise InputError("name the file to write, e.g. `qcode export qdpx study.qdpx`")
    if target.suffix.lower() != ".qdpx":
        raise InputError(f"{target}: a REFI-QDA project file ends in .qdpx")
    st = state(ctx)
    with st.open() as project:
        report = project.export_qdpx(target)
    for message in report.warnings:
        warn(message)
    say(st, f"wrote {escape(str(target))}: {report.documents} documents, {report.codes} codes, "
            f"{report.codings} codings in {report.selections} selections, {report.memos} notes, "
            f"coders {escape(', '.join(report.coders) or 'none')}")


@codebook_app.command("export")
def codebook_export_cli(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="qdc (REFI-QDA codebook).")]
    = "qdc",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: "
                                             "standard output).")] = None,
) -> None:
    """Write the codebook as a REFI-QDA codebook (.qdc) that NVivo, ATLAS.ti and MAXQDA
    import; definitions, criteria, examples and patterns travel in each Description."""
    from ..errors import InputError
    from ..exporters.files import write_with

    if fmt.lower() != "qdc":
        raise InputError(f"--format {fmt}: `codebook export` writes qdc; for md, tex or docx "
                         "use `qcode export codebook --out FILE`")
    with state(ctx).open() as project:
        data = project.codebook_qdc()
    if out is None:
        sys.stdout.buffer.write(data)
        return
    write_with(out, lambda tmp: tmp.write_bytes(data))
    say(state(ctx), f"wrote {escape(str(out))}")


@codebook_app.command("import")
def codebook_import_cli(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="REFI-QDA codebook (.qdc).")],
    force: Annotated[bool, typer.Option(help="Retire codes the file drops even if they have "
                                        "codings (their codings are marked removed).")] = False,
) -> None:
    """Make a REFI-QDA codebook (.qdc) the project's codebook, like `codebook load`."""
    st = state(ctx)
    with st.open() as project:
        report = project.import_qdc(file, force=force)
    print_load_report(st, file, report)
