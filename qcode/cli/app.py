"""The Typer application, its global options and the one place errors become messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from ..errors import QcodeError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


QUIET = ("-q", "--quiet")


def hoist_quiet(args: list[str]) -> list[str]:
    """`qcode export matrix -q` means `qcode -q export matrix`: the global -q/--quiet is
    moved to the front from anywhere before a `--`."""
    end = args.index("--") if "--" in args else len(args)
    found = [a for a in args[:end] if a in QUIET]
    if not found:
        return args
    return ["--quiet", *(a for a in args[:end] if a not in QUIET), *args[end:]]


class QcodeGroup(TyperGroup):
    """Turns a QcodeError raised anywhere below into one red line and exit code 1; at the
    top, accepts -q/--quiet after the subcommand too."""

    def parse_args(self, ctx, args):
        if ctx.parent is None:
            args = hoist_quiet(list(args))
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QcodeError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(1) from None


class DefaultCommandGroup(QcodeGroup):
    """A group whose first command runs when no subcommand is named: `qcode suggest DOC`
    means `qcode suggest run DOC`, while `qcode suggest train` still reaches `train`."""

    def parse_args(self, ctx, args):
        default = next(iter(self.commands), None)
        if default and (not args or (args[0] not in self.commands
                                     and args[0] not in ("--help", "-h"))):
            args = [default, *args]
        return super().parse_args(ctx, args)


def group(help_text: str, default_command: bool = False) -> typer.Typer:
    return typer.Typer(cls=DefaultCommandGroup if default_command else QcodeGroup,
                       help=help_text, no_args_is_help=not default_command,
                       add_completion=False, rich_markup_mode=None)


app = group("Code qualitative interviews: import transcripts, apply a codebook, "
            "measure agreement, export matrices.")


@dataclass
class State:
    project: Path | None = None
    coder: str | None = None
    quiet: bool = False

    def open(self):
        """The project these options point at (see `Project.discover`)."""
        from ..project import Project

        return Project.discover(self.project)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("qcode")
        except PackageNotFoundError:  # running from a checkout that is not installed
            number = "unknown"
        print(f"qcode {number}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    project: Annotated[Path | None, typer.Option(
        "--project", "-p", help="Project folder or qcode.db (else $QCODE_PROJECT, else the "
        "nearest qcode.db in this folder or above).")] = None,
    coder: Annotated[str | None, typer.Option(
        help="Who is coding (else $QCODE_CODER, else the project's `coder` setting).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q",
                                        help="Print only errors and data.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", "-V", is_eager=True, callback=_version,
        help="Print qcode's version and exit.")] = False,
) -> None:
    ctx.obj = State(project, coder, quiet)


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj
