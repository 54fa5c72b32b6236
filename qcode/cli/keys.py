"""Reading keys: single key presses on a terminal, whole lines when input is piped.

On a terminal a key acts at once (no Enter), and prompts (code search, memo) read a line
with echo. When standard input is not a terminal every key is a line, and a key may carry
its argument on the same line (`c visitors`, `m a note`, `? 2`), so a review can be driven
entirely by piping keys in.
"""

from __future__ import annotations

import sys
from typing import TextIO

_ARROWS = {"\x1b[C": "s", "\x1b[D": "b"}  # right: skip, left: back


class Keys:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdin
        self.tty = self.stream.isatty()

    def key(self) -> str | None:
        """The next key (or piped line); None at the end of input."""
        if not self.tty:
            line = self.stream.readline()
            return None if not line else line.strip()
        return self._raw_key()

    def line(self, prompt: str, echo, default: str = "") -> str | None:
        """A line of text for a prompt; `echo` prints the prompt on a terminal, where
        `default` is pre-filled for editing."""
        if not self.tty:
            line = self.stream.readline()
            return None if not line else line.rstrip("\n")
        echo(prompt)
        if default:
            import readline

            readline.set_startup_hook(lambda: readline.insert_text(default))
        try:
            return input()
        except EOFError:
            return None
        finally:
            if default:
                readline.set_startup_hook()

    def _raw_key(self) -> str | None:
        import termios
        import tty

        fd = self.stream.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            char = self.stream.read(1)
            if char == "\x1b":
                sequence = char + self.stream.read(2)
                return _ARROWS.get(sequence, "")
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if char in ("", "\x04"):
            return None
        return "" if char in "\r\n" else char
