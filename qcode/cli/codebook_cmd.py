"""`qcode codebook validate|load|show|rename`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.tree import Tree

from .app import app, err, group, out, state
from .output import ListFormat, listing, say, warn

codebook_app = group("Validate, load, show and rename the codebook's codes.")
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("validate")
def validate_cli(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Codebook YAML file.")],
) -> None:
    """Check a codebook file and report every problem with its line number."""
    from ..codebook import validate_codebook

    problems, warnings = validate_codebook(file)  # a missing file raises InputError
    for problem in problems:
        err.print(f"[red]{escape(problem)}[/]")
    for message in warnings:
        warn(message)
    if problems:
        err.print(f"[bold red]{len(problems)} problem(s)[/] in {escape(str(file))}")
        raise typer.Exit(1)
    say(state(ctx), f"[green]ok[/]: {escape(str(file))} is a valid codebook"
        + (f" ({len(warnings)} warning(s))" if warnings else ""))


@codebook_app.command("load")
def load_cli(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Codebook YAML file.")],
    force: Annotated[bool, typer.Option(help="Retire codes the file drops even if they have "
                                        "codings (their codings are marked removed).")] = False,
) -> None:
    """Load (or reload) a codebook into the project; codings are never silently lost."""
    st = state(ctx)
    with st.open() as project:
        report = project.load_codebook(file, force=force)
    print_load_report(st, file, report)


def print_load_report(st, file: Path, report) -> None:
    """What a codebook load (YAML or .qdc) changed, one line, after its warnings."""
    for message in report.warnings:
        warn(message)
    for old, new in report.renamed:
        say(st, f"renamed {old} -> {new}")
    parts = [f"{len(report.added)} added", f"{len(report.updated)} updated",
             f"{len(report.unchanged)} unchanged"]
    if report.removed:
        parts.append(f"{len(report.removed)} removed ({', '.join(report.removed)})")
    if report.retired:
        parts.append(f"{len(report.retired)} retired ({', '.join(report.retired)}) with "
                     f"{report.codings_removed} codings marked removed")
    say(st, f"codebook {escape(str(file))}: " + ", ".join(parts))


@codebook_app.command("show")
def show_cli(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    definitions: Annotated[bool, typer.Option(help="Print definitions under each code.")] = True,
) -> None:
    """Print the code tree with definitions and how often each code is used."""
    with state(ctx).open() as project:
        codes = project.codes(required=True)
    if fmt != ListFormat.table:
        listing(codes, ["id", "parent", "name", "uses", "definition", "include", "exclude",
                        "examples", "color"], fmt)
        return
    if not out.is_terminal:  # plain text in a pipe: indentation, no tree lines
        from .columns import wrap
        from .output import width

        depth: dict[str, int] = {}
        for code in codes:
            depth[code["id"]] = depth.get(code["parent"], -1) + 1
            indent = "  " * depth[code["id"]]
            for line in wrap(f"{code['id']}  {code['name']} ({code['uses']} codings)",
                             width() - len(indent)):
                out.print(escape(indent + line), soft_wrap=True)
            if definitions and code["definition"]:
                for line in wrap(code["definition"], width() - len(indent) - 4):
                    out.print(escape(indent + "    " + line), soft_wrap=True)
        return
    root = Tree("[bold]codebook[/]")
    nodes = {}
    for code in codes:
        label = (f"[bold]{escape(code['id'])}[/] {escape(code['name'])} "
                 f"[cyan]({code['uses']} codings)[/]")
        if definitions and code["definition"]:
            label += f"\n[dim]{escape(code['definition'])}[/]"
        nodes[code["id"]] = nodes.get(code["parent"], root).add(label)
    out.print(root)


@codebook_app.command("rename")
def rename_cli(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Current code id.")],
    new: Annotated[str, typer.Argument(help="New code id.")],
) -> None:
    """Change a code's id, keeping its codings (add `renamed_from` to the YAML file too)."""
    st = state(ctx)
    with st.open() as project:
        moved = project.rename_code(old, new)
    say(st, f"renamed {escape(old)} -> {escape(new)} ({moved} codings kept); add "
            f"`renamed_from: {escape(old)}` to the code in your YAML file")
