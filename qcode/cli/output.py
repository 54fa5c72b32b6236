"""Rendering for the CLI: listings as table, CSV or JSON; messages; progress bars."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from rich.markup import escape

from ..exporters import rows_to_text
from .app import State, csv_raw, err, out
from .columns import columns_for, fit


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def listing(rows: list[dict], columns: list[str], fmt: ListFormat, title: str | None = None,
            empty: str = "nothing to list", hints: dict[str, dict] | None = None) -> None:
    """Print rows as a table that fits the terminal (for people) or CSV/JSON (scripts).
    `hints`: per column, Col fields (kind, priority, short, min, below)."""
    if fmt != ListFormat.table:
        sys.stdout.write(rows_to_text(rows, columns, fmt.value, raw=csv_raw()))
        return
    if not rows:
        err.print(f"[yellow]{escape(empty)}[/]")
        return
    table(rows, columns_for(rows, columns, hints), title)


def table(rows: list[dict], columns, title: str | None = None) -> None:
    """Print a fitted table (see cli.columns) and say on stderr what did not fit."""
    fitted = fit(rows, columns, width())
    if title:
        from .columns import wrap

        for line in wrap(title, width()):
            out.print(escape(line), soft_wrap=True)
    head, rule, *body = fitted.lines
    if out.is_terminal:
        out.print(f"[bold]{escape(head)}[/]", soft_wrap=True)
    else:
        out.print(escape(head), soft_wrap=True)
    out.print(rule, soft_wrap=True)
    if body:  # plain text: written at once (a print per line takes seconds at 17,000 rows)
        out.file.write("\n".join(body) + "\n")
    left_out(fitted)


def left_out(fitted) -> None:
    if fitted.dropped:
        err.print(f"[dim]not shown at {width()} columns: {escape(', '.join(fitted.dropped))}"
                  " (a wider terminal shows them; --format csv has every column)[/]")
    elif fitted.cut:
        err.print(f"[dim]shortened (…): {escape(', '.join(fitted.cut))}; --format csv has "
                  "the full text[/]")


def width() -> int:
    """The terminal's width; 80 when output is not a terminal (or $COLUMNS)."""
    return max(40, out.width)


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
