"""`qcode speakers [list|rename|role]`: display names and roles of speaker labels."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape

from .app import app, group, state
from .output import ListFormat, listing, say

speakers_app = group("List the speakers of each document, merge labels under one name and "
                     "give speakers a role. `qcode speakers [DOC]` runs `qcode speakers list`.",
                     default_command=True)
app.add_typer(speakers_app, name="speakers")

DocOption = Annotated[str | None, typer.Option(
    "--doc", help="Only in this document (default: every document).")]


class Role(StrEnum):
    interviewer = "interviewer"
    respondent = "respondent"
    other = "other"


@speakers_app.command("list")
def list_cli(
    ctx: typer.Context,
    document: Annotated[str | None, typer.Argument(help="A document (default: all).")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Each document's speaker labels: display name, role, turns and words."""
    with state(ctx).open() as project:
        rows = project.speakers(document)
    listing(rows, ["document", "label", "name", "role", "turns", "words"], fmt,
            empty="no speakers yet; `qcode import FILES` finds them in the transcripts")


@speakers_app.command("rename")
def rename_cli(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="A speaker's label or current name.")],
    new: Annotated[str, typer.Argument(help="The display name (an existing name merges).")],
    document: DocOption = None,
) -> None:
    """Show a speaker under another name; two labels renamed alike become one speaker.

    The text and the segments' offsets never change; `qcode speakers` shows the label."""
    st = state(ctx)
    with st.open() as project:
        changed = project.rename_speaker(old, new, document)
    say(st, f"renamed {escape(old)} to [bold]{escape(new)}[/] ({_labels(changed)})")


@speakers_app.command("role")
def role_cli(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A speaker's name or label.")],
    role: Annotated[Role, typer.Argument(help="interviewer, respondent or other.")],
    document: DocOption = None,
) -> None:
    """Set a speaker's role, so `--respondents-only` and `--by role` can use it."""
    st = state(ctx)
    with st.open() as project:
        changed = project.set_speaker_role(name, role.value, document)
    say(st, f"{escape(name)} is {role.value} ({_labels(changed)})")


def _labels(count: int) -> str:
    return f"{count} label{'s' if count != 1 else ''} in all"
