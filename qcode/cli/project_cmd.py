"""`qcode init` and `qcode config`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .app import app, out, state
from .output import say

SETTINGS = ("coder", "language", "model")


@app.command("init")
def init_cli(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder for the project (created if needed).")]
    = Path("."),
    lang: Annotated[str, typer.Option("--lang", help="Default language of the transcripts "
                                      "(es, en, ...).")] = "es",
    from_qdpx: Annotated[Path | None, typer.Option(
        "--from", help="Fill the project from a REFI-QDA project (.qdpx) exported by NVivo, "
        "ATLAS.ti, MAXQDA, QualCoder, Taguette or qcode.")] = None,
    allow_pii: Annotated[bool, typer.Option(
        "--allow-pii", help="With --from: take sources even though the anonymisation check "
        "finds likely identifiers in them (recorded, shown by `qcode docs`).")] = False,
) -> None:
    """Create a project: one SQLite file, qcode.db, in DIRECTORY."""
    from ..project import Project

    st = state(ctx)
    with Project.init(directory, language=lang, coder=st.coder, from_qdpx=from_qdpx,
                      allow_pii=allow_pii) as project:
        say(st, f"created [bold]{escape(str(project.path))}[/] (language {lang})")
        if project.report is not None:
            from .documents_cmd import print_report

            print_report(st, project.report)
            return
        say(st, "next: `qcode import FILES...` and `qcode codebook load FILE.yaml`")


@app.command("config")
def config_cli(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="Setting: coder, language or model.")]
    = None,
    value: Annotated[str | None, typer.Argument(help="New value; omit to print it.")] = None,
) -> None:
    """Show or change project settings: `coder`, `language`, `model` (a spaCy pipeline)."""
    from ..errors import InputError

    with state(ctx).open() as project:
        if key is None:
            for name, current in project.settings().items():
                out.print(f"{escape(name)} = {escape(current)}")
            return
        if key not in SETTINGS:
            raise InputError(f"unknown setting '{key}'; settings you can change: "
                             f"{', '.join(SETTINGS)}")
        if value is None:
            out.print(project.setting(key) or "")
        else:
            project.set_setting(key, value)
            say(state(ctx), f"{key} = {escape(value)}")
