"""`qcode review`: code segment by segment in the terminal."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from ..errors import InputError
from .app import app, state
from .keys import Keys

HELP = "1-9 toggle a all r rest c code m memo s skip b back u undo ? def q quit"
SCREEN_LINES = 24  # fits a plain 80x24 terminal
PREVIOUS_LINES = 2


class Order(StrEnum):
    document = "document"
    informative = "informative"


@app.command("review")
def review_cli(
    ctx: typer.Context,
    documents: Annotated[list[str] | None, typer.Argument(help="Documents (default: all).")]
    = None,
    code: Annotated[str | None, typer.Option(help="Only segments suggested or coded with this "
                                             "code (or its children).")] = None,
    coder: Annotated[str | None, typer.Option(help="Who is coding.")] = None,
    pending_only: Annotated[bool, typer.Option(help="Only segments with pending "
                                               "suggestions.")] = False,
    order: Annotated[Order, typer.Option(help="document order, or informative: the model's "
                                         "least certain suggestions first.")] = Order.document,
    show_others: Annotated[bool, typer.Option(help="Also show other coders' codes (off by "
                                              "default: blind coding).")] = False,
    restart: Annotated[bool, typer.Option(help="Start from the first segment instead of "
                                          "where you stopped.")] = False,
) -> None:
    """Walk segment by segment: accept or reject suggestions, add codes, write memos.

    Every decision is saved at once; the next `qcode review` resumes where you stopped.
    Keys: 1-9 toggle a suggestion or code, a accept all, r reject the rest, c add a code
    (id or a few letters), m memo, s (or Enter) next, b back, u undo, ? definition, q quit.
    Piped input is read a line per key, and `c CODE`, `m TEXT`, `? N` take their argument
    on the same line.
    """
    from ..review import ReviewSession

    st = state(ctx)
    console = Console(highlight=False)
    keys = Keys()
    with st.open() as project:
        session = ReviewSession(project.conn, project.coder(coder or st.coder), documents or [],
                                code=code, pending_only=pending_only, order=order.value,
                                show_others=show_others, restart=restart)
        message = (f"resuming where {session.coder} stopped" if session.resumed else
                   f"reviewing as {session.coder}")
        while True:
            draw(console, session, message, keys.tty)
            key = keys.key()
            if key is None or key == "q":
                view = session.view()
                console.print(f"saved; stopped at {escape(view.document)} segment "
                              f"{view.segment} ({view.decided}/{view.total} segments decided)")
                return
            try:
                message = act(session, key, keys, console)
            except InputError as exc:
                message = f"[yellow]{escape(str(exc))}[/]"


def act(session, key: str, keys: Keys, console: Console) -> str:
    """Carry out one key; return the message for the next screen."""
    command, _, argument = key.partition(" ")
    if command.isdigit():
        return session.toggle(int(command))
    if command in ("s", ""):
        return "" if session.next() else "end of the list: b to go back, q to quit"
    if command == "b":
        return "" if session.back() else "this is the first segment"
    if command == "a":
        return session.accept_all()
    if command == "r":
        return session.reject_rest()
    if command == "u":
        return session.undo()
    if command == "c":
        return add_code(session, argument or keys.line("code (id or a few letters): ",
                                                       console.print) or "", keys, console)
    if command == "m":
        text = argument or keys.line("memo (edit; empty removes it): ", console.print,
                                     default=session.current_memo())
        return session.memo(text or "")
    if command == "?":
        which = argument or keys.line("definition of (number or code): ", console.print) or ""
        show_definition(console, session.definition(which.strip()))
        if keys.tty:
            console.print("[dim]press any key[/]")
            keys.key()
        return ""
    return (f"unknown key '{escape(key)}'; keys: 1-9 a r c m s b u ? q "
            "(? shows a code's definition)")


def add_code(session, query: str, keys: Keys, console: Console) -> str:
    matches = session.find_codes(query)
    if not matches:
        raise InputError(f"no code matches '{query}'; try a few letters of its id or name")
    if len(matches) == 1:
        return session.apply_code(matches[0][0])
    for number, (code_id, name) in enumerate(matches, start=1):
        console.print(f"  [bold]{number}[/] {escape(code_id)} [dim]{escape(name)}[/]")
    picked = keys.key() if keys.tty else keys.line("", console.print)
    if picked and picked.strip().isdigit() and 1 <= int(picked) <= len(matches):
        return session.apply_code(matches[int(picked) - 1][0])
    return "no code added"


def show_definition(console: Console, code) -> None:
    import json

    parts = [f"[bold]{escape(code['id'])}[/] {escape(code['name'])}"]
    for label, key in (("definition", "definition"), ("include", "include"),
                       ("exclude", "exclude")):
        if code[key]:
            parts.append(f"[bold]{label}:[/] {escape(code[key])}")
    examples = json.loads(code["examples"])
    if examples:
        parts.append("[bold]examples:[/] " + " / ".join(escape(e) for e in examples))
    console.print(Panel("\n".join(parts), title="definition", title_align="left"))


def draw(console: Console, session, message: str, clear: bool) -> None:
    view = session.view()
    if clear:
        console.clear()
    else:
        console.print(Rule(style="dim"))
    width = console.width
    attributes = " ".join(f"{k}={v}" for k, v in view.attributes.items())
    percent = 100 * view.decided // view.total
    header = Text.assemble(
        (view.document, "bold"), f"  segment {view.segment}/{view.segments_in_document}",
        f"  ·  {view.position}/{view.total} ({percent}% decided)  ·  ",
        (view.speaker or "-", "cyan"))
    lines = [header]
    if attributes:
        lines.append(Text(attributes, style="dim"))
    if view.previous:
        speaker, text = view.previous
        previous = Text(f"{speaker}: {text}" if speaker else text, style="dim")
        lines += _clip(console, previous, width, PREVIOUS_LINES)
    below = [_choice_line(choice, width) for choice in view.choices]
    if not view.choices:
        below.append(Text("no codes or suggestions here (c adds a code)", style="dim"))
    below += [Text(f"   {coder}: {code}", style="dim") for code, coder in view.others]
    below += [Text(f"   memo: {memo}", style="italic") for memo in view.memos]
    if message:
        below.append(Text.from_markup(message))
    below.append(Text(HELP, style="dim"))
    height = console.height if clear else SCREEN_LINES
    room = max(3, height - len(lines) - len(below) - 3)
    lines.append(Rule(style="dim"))
    lines += _clip(console, _highlighted(view), width, room)
    lines.append(Rule(style="dim"))
    console.print(Group(*lines, *below))


def _highlighted(view) -> Text:
    text = Text(view.text)
    for choice in view.choices:
        style = f"bold underline {choice.color}" if choice.color else "bold underline"
        for item in choice.evidence:
            if "start" in item:
                start, end = item["start"] - view.start, item["end"] - view.start
                if 0 <= start < end <= len(view.text):
                    text.stylize(style, start, end)
    return text


def _clip(console: Console, text: Text, width: int, limit: int) -> list[Text]:
    wrapped = text.wrap(console, width)
    if len(wrapped) <= limit:
        return list(wrapped)
    kept = list(wrapped[:limit])
    kept[-1] = kept[-1][: max(0, width - 2)]
    kept[-1].append(" …", style="dim")
    return kept


def _choice_line(choice, width: int) -> Text:
    mark = {"applied": "✓", "rejected": "✗", "removed": "-"}.get(choice.state, "·")
    line = Text(f" {choice.number} {mark} ", style="bold" if choice.applied else "")
    line.append(choice.code, style=f"bold {choice.color}" if choice.color else "bold")
    if choice.score is not None:
        line.append(f"  {choice.score:.2f} {choice.methods}", style="dim")
    words = ", ".join(dict.fromkeys(e["text"] for e in choice.evidence))
    if words:
        line.append(f"  {words}", style="italic")
    line.truncate(width, overflow="ellipsis")
    return line
