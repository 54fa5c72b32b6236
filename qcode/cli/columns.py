"""Tables for a terminal of any width, 80 columns included (the width of a pipe).

No word, id or number is ever split across lines. Columns are fitted in this order: text
columns wrap at spaces or are shortened with a marked `…`; long fields can go on a second
line under their row; when that is not enough, the least important columns are left out
and the caller says which (and how to see them). The result is plain text: no box drawing,
so it reads the same in a pipe, a file or an e-mail.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

GAP = 2
ELLIPSIS = "…"
_OTHER_SPACE = frozenset("\t\x0b\x0c\r")  # white space that textwrap turns into spaces


@dataclass
class Col:
    key: str
    head: str | None = None
    kind: str = "text"     # id | num | text (shortened with …) | wrap (wraps at spaces)
    priority: int = 0      # higher numbers are left out first; 0 = never left out
    short: str | None = None  # a shorter head for tight layouts
    min: int = 8           # narrowest a text or wrap column may get
    below: bool = False    # shown on a second line under its row instead of as a column

    @property
    def title(self) -> str:
        return self.key if self.head is None else self.head


@dataclass
class Fitted:
    lines: list[str]
    dropped: list[str] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)


def text_of(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value).replace("\r", " ").replace("\t", " ")


def shorten(value: str, width: int) -> str:
    """At most `width` characters, cut at a space where one is near, marked with …."""
    value = " ".join(value.split())
    if len(value) <= width:
        return value
    if width <= 1:
        return ELLIPSIS[:width]
    cut = value[: width - 1]
    space = cut.rfind(" ")
    if space >= width * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + ELLIPSIS


def wrap(value: str, width: int) -> list[str]:
    """Lines of at most `width`, broken at spaces; a word longer than the width is the
    only thing ever shortened (with …), never split over two lines."""
    lines = []
    for paragraph in value.splitlines() or [""]:
        if len(paragraph) <= width and paragraph.strip() == paragraph \
                and not _OTHER_SPACE.intersection(paragraph):
            lines.append(paragraph)  # fits as it is: what textwrap gives, faster
            continue
        for line in textwrap.wrap(paragraph, width, break_long_words=False,
                                  break_on_hyphens=False) or [""]:
            lines.append(line if len(line) <= width else shorten(line, width))
    return lines


def fit(rows: list[dict], columns: list[Col], width: int) -> Fitted:
    """Lay `rows` out in at most `width` characters (see the module's docstring)."""
    shown = [c for c in columns if not c.below]
    below = [c for c in columns if c.below]
    cells = [{c.key: text_of(r.get(c.key)) for c in columns} for r in rows]
    natural = {c.key: max([len(c.title)] + [_widest(cell[c.key]) for cell in cells])
               for c in shown}
    widths = dict(natural)
    heads = {c.key: c.title for c in shown}
    dropped: list[str] = []

    def total() -> int:
        keys = [c.key for c in shown if c.key not in dropped]
        return sum(widths[k] for k in keys) + GAP * max(0, len(keys) - 1)

    for column in shown:  # a shorter head first, where the values are narrower than it
        if total() > width and column.short and len(column.short) < widths[column.key]:
            values = max([len(cell[column.key]) for cell in cells] + [len(column.short)])
            widths[column.key], heads[column.key] = values, column.short
    while total() > width:
        flexible = [c for c in shown if c.key not in dropped and c.kind in ("text", "wrap")
                    and widths[c.key] > max(c.min, 1)]
        if flexible:  # the least important column gives up room first
            giver = max(flexible, key=lambda c: (c.priority, widths[c.key]))
            widths[giver.key] = max(giver.min, widths[giver.key] - (total() - width))
            continue
        droppable = [c for c in shown if c.key not in dropped and c.priority > 0]
        if not droppable:
            break  # only essential columns left: let the terminal wrap this rare case
        dropped.append(max(droppable, key=lambda c: (c.priority, shown.index(c))).key)
    visible = [c for c in shown if c.key not in dropped]
    lines = [_line([heads[c.key] if len(heads[c.key]) <= widths[c.key]
                    else shorten(heads[c.key], widths[c.key]) for c in visible],
                   visible, widths)]
    lines.append(_line(["-" * widths[c.key] for c in visible], visible, widths))
    cut = set()
    for cell in cells:
        parts = {}
        for column in visible:
            value, room = cell[column.key], widths[column.key]
            if column.kind == "wrap":
                parts[column.key] = wrap(value, room)
            elif len(value) > room and column.kind == "text":
                parts[column.key] = [shorten(value, room)]
                cut.add(column.title)
            else:
                parts[column.key] = value.splitlines() or [""]
        height = max(len(p) for p in parts.values())
        for number in range(height):
            lines.append(_line([parts[c.key][number] if number < len(parts[c.key]) else ""
                                for c in visible], visible, widths))
        for column in below:
            if cell[column.key] and cell[column.key] != "-":
                label = f"{column.title}: "
                for line in wrap(label + cell[column.key], max(20, width - 4)):
                    lines.append("    " + line)
    return Fitted(lines, dropped=[next(c.title for c in shown if c.key == k) for k in dropped],
                  cut=sorted(cut))


def _widest(value: str) -> int:
    """The length of the longest line of `value`."""
    if "\n" not in value and "\r" not in value:
        return len(value)
    return max((len(x) for x in value.splitlines()), default=0)


def _line(values: list[str], columns: list[Col], widths: dict[str, int]) -> str:
    parts = []
    for value, column in zip(values, columns, strict=True):
        room = widths[column.key]
        parts.append(value.rjust(room) if column.kind == "num" else value.ljust(room))
    return (" " * GAP).join(parts).rstrip()


def columns_for(rows: list[dict], keys: list[str], hints: dict[str, dict] | None = None
                ) -> list[Col]:
    """Sensible defaults: numbers right-aligned, the first column and names/ids never cut,
    later columns left out first; `hints` overrides per column."""
    hints = hints or {}
    out = []
    for index, key in enumerate(keys):
        values = [r.get(key) for r in rows if r.get(key) not in (None, "")]
        numeric = bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool)
                                       for v in values)
        kind = "num" if numeric else "id" if index == 0 or key in _IDS else "text"
        out.append(Col(key, kind=kind, priority=0 if index == 0 else index))
        for name, value in hints.get(key, {}).items():
            setattr(out[-1], name, value)
    return out


_IDS = {"id", "code", "name", "document", "coder", "segment", "parent", "doc"}
