"""Counting words (the runs of non-space characters `str.split()` separates) without
splitting the text: one byte per character marks space or not, and `bytes.count` counts
where a word ends. Counting a stretch then costs no allocation, so the words of every
speaker turn of an archive (85 M words) count in C rather than one string per word.

Texts whose characters fit in Latin-1 are marked with one `bytes.translate`; other texts
have their other characters marked as non-space (none of them is white space unless it is
one of WIDE_SPACES, and texts holding one of those are counted with `str.split`).
"""

from __future__ import annotations

# White space above U+00FF (`str.isspace`, which `str.split` follows); tests/test_words.py
# checks this list against the running Python's Unicode tables.
WIDE_SPACES = "\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
              "\u2028\u2029\u202f\u205f\u3000"
_SPACE, _WORD = 0x20, 0x78
_MARKS = bytes(_SPACE if chr(b).isspace() else _WORD for b in range(256))  # Latin-1 marks


class WordCount:
    """Words of a text, in the whole of it or between two offsets."""

    def __init__(self, text: str):
        self.text = text
        self.marks: bytes | None = None  # None: count with str.split
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:  # one byte per character still: "?" for the others
            if any(space in text for space in WIDE_SPACES):
                return
            raw = text.encode("latin-1", "replace")
        self.marks = raw.translate(_MARKS)

    def between(self, start: int, end: int) -> int:
        """len(text[start:end].split()), for 0 <= start and end <= len(text)."""
        if self.marks is None:
            return len(self.text[start:end].split())
        if end <= start:
            return 0
        # a word ends where a mark is followed by a space, or at the end of the stretch
        return self.marks.count(b"x ", start, end) + (self.marks[end - 1] == _WORD)

    def total(self) -> int:
        return self.between(0, len(self.text))


def count_words(text: str) -> int:
    """len(text.split()), faster."""
    return WordCount(text).total()
