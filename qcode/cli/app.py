"""The Typer application, its global options and the one place errors become messages."""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from ..errors import QcodeError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class QcodeGroup(TyperGroup):
    """Turns a QcodeError raised anywhere below into one red line and exit code 1."""

    def invoke(self, ctx):
        try:
            result = super().invoke(ctx)
            if ctx.parent is None:
                sys.stdout.flush()  # a full disk behind stdout shows here, not at exit
            return result
        except QcodeError as exc:
            fail(str(exc))
        except sqlite3.OperationalError as exc:  # outside a write transaction (store.atomic)
            message = str(exc)
            if "locked" not in message and "readonly" not in message and "full" not in message:
                raise
            fail(f"the project could not be read or written ({message}); nothing was changed; "
                 "run the command again when no other qcode process is writing")
        except BrokenPipeError:  # `qcode ... | head`: the reader left; not an error
            _silence_stdout()
            raise typer.Exit(0) from None
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS):
                raise
            _silence_stdout()
            fail(f"could not write the output: {exc.strerror} (errno {exc.errno}); free some "
                 "space or write to another place with --out")


def fail(message: str) -> NoReturn:
    """One red line on stderr and exit code 1."""
    err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(1)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (tests capture stdout)


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
                       add_completion=False, rich_markup_mode="markdown")


app = group("Code qualitative interviews: import transcripts, apply a codebook, "
            "measure agreement, export matrices.")


@dataclass
class State:
    project: Path | None = None
    coder: str | None = None
    quiet: bool = False
    raw: bool = False  # CSV values written as they are, formulas included

    def open(self):
        """The project these options point at (see `Project.discover`)."""
        from ..project import Project

        return Project.discover(self.project)


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
    raw: Annotated[bool, typer.Option(
        "--raw", help="CSV output of any command: write values starting with = + - @ as they "
        "are (by default they get a leading ' so spreadsheets do not run them).")] = False,
) -> None:
    ctx.obj = State(project, coder, quiet, raw)
    _global_raw[0] = raw
    from .. import store

    store.on_wait(lambda message: err.print(f"[yellow]{escape(message)}[/]"))


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


_global_raw = [False]  # `qcode --raw` of the running invocation (set by main_options)


def csv_raw(raw: bool = False) -> bool:
    """Whether CSV output is raw: this command's --raw or the global `qcode --raw`."""
    return raw or _global_raw[0]


Raw = Annotated[bool, typer.Option("--raw", help="CSV: write values starting with = + - @ "
                                   "tab or CR as they are, instead of with a leading ' that "
                                   "keeps spreadsheets from running them as formulas.")]
