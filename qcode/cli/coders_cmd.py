"""`qcode coders`: list coders; rename, remove (recorded) or mark them as consensus."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape

from .app import app, group, state
from .output import ListFormat, listing, say

coders_app = group("List the project's coders (`qcode coders` runs `qcode coders list`); "
                   "rename, remove or mark them.", default_command=True)
app.add_typer(coders_app, name="coders")

COLUMNS = ["coder", "kind", "codings", "documents", "reviewed", "read", "decisions", "memos",
           "last_activity"]


class Kind(StrEnum):
    coder = "coder"
    consensus = "consensus"


@coders_app.command("list")
def list_cli(
    ctx: typer.Context,
    removed: Annotated[bool, typer.Option("--removed", help="Also list removed coders.")]
    = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Coders with live codings, documents coded, segments reviewed in `qcode review`,
    segments read (what agreement compares: reviewed, decided or coded in; a document coded
    outside review counts whole), suggestion decisions, memos, last activity and kind
    (coder, consensus, suggestion-accepts)."""
    with state(ctx).open() as project:
        rows = project.coders(include_removed=removed)
    if fmt == ListFormat.table:  # minutes are enough on screen
        rows = [{**r, "last_activity": r["last_activity"][:16].replace("T", " ")}
                for r in rows]
    listing(rows, COLUMNS, fmt, empty="no coders yet")


@coders_app.command("rename")
def rename_cli(ctx: typer.Context, old: Annotated[str, typer.Argument()],
               new: Annotated[str, typer.Argument()]) -> None:
    """Rename a coder everywhere: codings, decisions, memos, review progress."""
    st = state(ctx)
    with st.open() as project:
        moved = project.rename_coder(old, new)
    say(st, f"renamed coder {escape(old)} to {escape(new)} ({moved} codings)")


@coders_app.command("remove")
def remove_cli(ctx: typer.Context, name: Annotated[str, typer.Argument()],
               coder: Annotated[str | None, typer.Option(help="Who removes (recorded).")]
               = None) -> None:
    """Remove a coder: every live coding is marked removed (dated, by you), as `uncode`
    does; nothing is erased, and `qcode coders --removed` still lists the coder."""
    st = state(ctx)
    with st.open() as project:
        removed = project.remove_coder(name, coder or st.coder)
    say(st, f"removed coder {escape(name)}: {removed} codings marked removed")


@coders_app.command("mark")
def mark_cli(ctx: typer.Context, name: Annotated[str, typer.Argument()],
             kind: Annotated[Kind, typer.Argument(help="consensus or coder.")]) -> None:
    """Mark a coder as consensus (left out of agreement, matrices and quotations unless
    named) or as an ordinary coder again."""
    st = state(ctx)
    with st.open() as project:
        project.mark_coder(name, kind.value)
    say(st, f"{escape(name)} is now a {kind.value} coder")
