"""`qcode review`: code segment by segment in the terminal."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.rule import Rule
from rich.text import Text

from ..errors import InputError
from .app import app, state
from .keys import Keys

HELP = "1-9 toggle a all r rest c code m memo s next b back u undo ? def q quit"
PAGING = "space/+ more  - back up"
SCREEN_LINES = 24  # fits a plain 80x24 terminal
PREVIOUS_LINES = 2
MAX_CHOICES = 9
TEXT_AT_LEAST = 6  # lines of the segment the screen keeps for the text, whatever else shows


class Screen:
    """What the drawing remembers between keys: how far the coder has paged into the
    current segment, and a panel (definition, code matches) shown in the text's place."""

    def __init__(self):
        self.key: tuple | None = None
        self.offset = 0
        self.text_lines = 0
        self.room = 0
        self.overlay: list[Text] | None = None

    def follow(self, view) -> None:
        key = (view.document, view.segment)
        if key != self.key:
            self.key, self.offset = key, 0

    def page(self, forward: bool) -> str:
        step = max(1, self.room - 1)
        if forward:
            if self.offset + self.room >= self.text_lines:
                return "end of this segment: Enter or s for the next"
            self.offset = min(self.offset + step, max(0, self.text_lines - self.room))
        else:
            if self.offset == 0:
                return "top of this segment"
            self.offset = max(0, self.offset - step)
        return ""


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
        screen = Screen()
        while True:
            draw(console, session, message, keys.tty, screen)
            key = keys.key()
            if key is None or key == "q":
                view = session.view()
                console.print(f"saved; stopped at {escape(view.document)} segment "
                              f"{view.segment} ({view.decided}/{view.total} segments decided)")
                return
            try:
                message = act(session, key, keys, console, screen)
            except InputError as exc:
                message = f"[yellow]{escape(str(exc))}[/]"


def act(session, key: str, keys: Keys, console: Console, screen: Screen | None = None) -> str:
    """Carry out one key; return the message for the next screen."""
    screen = screen or Screen()
    command, _, argument = key.partition(" ")
    if key in (" ", "+", "pgdn", ">"):
        return screen.page(forward=True)
    if key in ("-", "pgup", "<"):
        return screen.page(forward=False)
    if command == "#":
        number = argument or keys.line("choice number: ", console.print) or ""
        command = number.strip()
        if not command.isdigit():
            return "no choice number given"
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
                                                       console.print) or "", keys, console,
                        screen)
    if command == "m":
        text = argument or keys.line("memo (edit; empty removes it): ", console.print,
                                     default=session.current_memo())
        return session.memo(text or "")
    if command == "?":
        which = argument or keys.line("definition of (number or code): ", console.print) or ""
        screen.overlay = definition_lines(session.definition(which.strip()))
        draw(console, session, "[dim]the definition is shown in place of the text"
                               + ("; any key returns[/]" if keys.tty else "[/]"),
             keys.tty, screen)
        screen.overlay = None
        if keys.tty:
            keys.key()
        return ""
    return (f"unknown key '{escape(key)}'; keys: 1-9 a r c m s b u ? q "
            "(? shows a code's definition; space or + pages through a long segment)")


def add_code(session, query: str, keys: Keys, console: Console,
             screen: Screen | None = None) -> str:
    screen = screen or Screen()
    matches = session.find_codes(query, limit=1000)
    if not matches:
        raise InputError(f"no code matches '{query}'; try a few letters of its id or name")
    if len(matches) == 1:
        return session.apply_code(matches[0][0])
    shown = matches[:MAX_CHOICES]
    lines = [Text.assemble((f"  {number} ", "bold"), code_id, (f"  {name}", "dim"))
             for number, (code_id, name) in enumerate(shown, start=1)]
    if len(matches) > len(shown):
        lines.append(Text(f"  +{len(matches) - len(shown)} more: type more letters of the "
                          "code to narrow the list", style="dim"))
    screen.overlay = lines
    draw(console, session, f"codes matching '{escape(query)}': press a number (other keys "
                           "cancel)", keys.tty, screen)
    screen.overlay = None
    picked = keys.key() if keys.tty else keys.line("", console.print)
    if picked and picked.strip().isdigit() and 1 <= int(picked) <= len(shown):
        return session.apply_code(shown[int(picked) - 1][0])
    return "no code added"


def definition_lines(code) -> list[Text]:
    import json

    lines = [Text.assemble((code["id"], "bold"), f"  {code['name']}")]
    for label, key in (("definition", "definition"), ("include", "include"),
                       ("exclude", "exclude")):
        if code[key]:
            lines.append(Text.assemble((f"{label}: ", "bold"), code[key].replace("\n", " • ")))
    examples = json.loads(code["examples"])
    if examples:
        lines.append(Text.assemble(("examples: ", "bold"), " / ".join(examples)))
    return lines


def show_definition(console: Console, code) -> None:
    """The definition printed on its own (outside the review screen)."""
    for line in definition_lines(code):
        console.print(line)


def draw(console: Console, session, message: str, clear: bool,
         screen: Screen | None = None) -> None:
    """One screen that fits the terminal (24 lines when piped): the header always on top,
    the segment's text paged when it is long, choices past nine counted as "+N more",
    long memos cut to a line each with the count of the rest."""
    screen = screen or Screen()
    view = session.view()
    screen.follow(view)
    if clear:
        console.clear()
    else:
        console.print(Rule(style="dim"))
    width = console.width
    height = (console.height if clear else SCREEN_LINES) - (0 if clear else 1)
    attributes = " ".join(f"{k}={v}" for k, v in view.attributes.items())
    percent = 100 * view.decided // view.total
    header = Text.assemble(
        (view.document, "bold"), f"  segment {view.segment}/{view.segments_in_document}",
        f"  ·  {view.position}/{view.total} ({percent}% decided)  ·  ",
        (view.speaker or "-", "cyan"))
    header.truncate(width, overflow="ellipsis")
    top = [header]
    if attributes:
        top.append(_one_line(Text(attributes, style="dim"), width))
    footer = []
    if message:
        footer += _clip(console, Text.from_markup(message), width, 2)
    footer.append(_one_line(Text(HELP, style="dim"), width))
    budget = height - len(top) - len(footer) - 2  # two rules around the text
    text = screen.overlay if screen.overlay is not None else None
    wrapped = ([ln for t in text for ln in t.wrap(console, width)] if text is not None
               else list(_highlighted(view).wrap(console, width)))
    spare = budget - min(len(wrapped), TEXT_AT_LEAST)
    middle: list[Text] = []
    choices = [_choice_line(choice, width) for choice in view.choices]
    if not view.choices:
        choices.append(Text("no codes or suggestions here (c adds a code)", style="dim"))
    limit = max(1, min(MAX_CHOICES, spare - (1 if len(choices) > spare else 0)))
    if len(choices) > limit:
        hidden = len(choices) - limit
        choices = choices[:limit] + [Text(f"   +{hidden} more (choices {limit + 1}-"
                                          f"{limit + hidden}): # then the number toggles one",
                                          style="dim")]
    middle += choices
    spare -= len(choices)
    extra = [Text(f"   {coder}: {code}", style="dim") for code, coder in view.others]
    extra += [Text(f"   memo: {' '.join(memo.split())}", style="italic") for memo in view.memos]
    if extra and spare > 0:
        keep = min(len(extra), max(1, min(3, spare)))
        if len(extra) > keep:
            keep = max(1, keep - 1)
            extra = extra[:keep] + [Text(f"   +{len(extra) - keep} more memos or codes "
                                         "(qcode show lists them)", style="dim")]
        middle += [_one_line(line, width) for line in extra]
        spare -= len(extra)
    previous: list[Text] = []
    if view.previous and text is None and spare > 0:
        speaker, said = view.previous
        previous = _clip(console, Text(f"{speaker}: {said}" if speaker else said, style="dim"),
                         width, min(PREVIOUS_LINES, spare))
    room = max(3, budget - len(middle) - len(previous))
    screen.text_lines, screen.room = len(wrapped), room
    if text is not None:
        shown, label = wrapped[:room], ""
        if len(wrapped) > room:
            shown = shown[:room - 1] + [Text(f"… {len(wrapped) - room + 1} more lines",
                                             style="dim")]
    else:
        screen.offset = min(screen.offset, max(0, len(wrapped) - room))
        shown = wrapped[screen.offset:screen.offset + room]
        label = ""
        if len(wrapped) > room:
            last = min(len(wrapped), screen.offset + room)
            more = "space: more" if last < len(wrapped) else "end; - goes back"
            label = f"lines {screen.offset + 1}-{last} of {len(wrapped)}, {more}"
    console.print(Group(*top, *previous, Rule(style="dim"), *shown,
                        Rule(label, style="dim", align="right") if label else Rule(style="dim"),
                        *middle, *footer))


def _one_line(text: Text, width: int) -> Text:
    line = text.copy()
    line.truncate(width, overflow="ellipsis")
    return line


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
