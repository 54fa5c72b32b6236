"""Rendering for the CLI: listings as table, CSV or JSON; messages; progress bars."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from rich.markup import escape
from rich.table import Table

from ..exporters import rows_to_text
from .app import State, csv_raw, err, out


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def listing(rows: list[dict], columns: list[str], fmt: ListFormat, title: str | None = None,
            empty: str = "nothing to list") -> None:
    """Print rows as a rich table (for people) or CSV/JSON (for scripts)."""
    if fmt != ListFormat.table:
        sys.stdout.write(rows_to_text(rows, columns, fmt.value, raw=csv_raw()))
        return
    if not rows:
        err.print(f"[yellow]{escape(empty)}[/]")
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold",
                         justify="right" if isinstance(rows[0].get(column), int) else "left")
    for row in rows:
        table.add_row(*(escape(str(row.get(c, ""))) for c in columns))
    out.print(table)


def say(st: State, message: str) -> None:
    """A progress or summary line (rich markup allowed); silent with --quiet."""
    if not st.quiet:
        err.print(message)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/] {escape(message)}")


@contextmanager
def progress_bar(st: State, description: str) -> Iterator:
    """A callback `(done, total, label)` that drives a progress bar on a terminal only."""
    if st.quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[label]}"), TextColumn("{task.fields[rate]}"),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(description, total=None, label="", rate="")

        def update(done: int, total: int, label: str) -> None:
            elapsed = bar.tasks[task].elapsed or 0
            rate = f"{done / elapsed:.1f}/s" if elapsed > 0.5 else ""
            bar.update(task, completed=done, total=total, label=escape(label), rate=rate)

        yield update
