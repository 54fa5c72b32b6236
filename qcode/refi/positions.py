"""Selection positions in REFI-QDA sources, and how they map onto qcode's stored text.

REFI-QDA 1.5, section 10.2: "Selections in a text file are defined by the first and the last
character (Unicode codepoint) in the file. The first codepoint in the file has the number 0."
In practice `endPosition` is exclusive (QualCoder and qc read and write `text[start:end]`; the
qc sample's selection "line:6" runs from the first character of line 6 to the first of line
7), so qcode reads and writes half-open code-point spans, exactly its own offsets.

Real tools deviate: ATLAS.ti counts a Windows line end (CRLF) as one character while the .txt
it writes has two; a BOM may or may not be counted; tools built on UTF-16 strings (.NET,
JavaScript) may count a character outside the Basic Multilingual Plane (an emoji) as two.
qcode's stored text has LF line ends, no BOM and NFC composition, so positions are mapped
from the convention the exporter used onto the stored text; `OffsetMap` does that, and
`choose` picks the convention the selections' own names (most tools name a selection by
the start of its quoted text) agree with best.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from ..importers.decoding import normalise

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Regions that normalisation may change: a CRLF, or a run of characters from U+0300 up
# (combining marks and everything that composes) with the character before it.
_CHANGING = re.compile("\r\n|[\x00-\u02ff]?[\u0300-\U0010ffff]+")
# A position inside a piece snaps to the piece's start or end: `side` is one of these.
_SIDES = {"start": 0, "end": 1}


class OffsetMap:
    """Maps positions in one text onto another through sparse irregular pieces.

    Between pieces the shift is constant. A position inside a piece (the middle of a CRLF,
    of a surrogate pair, of a character that composition merged) snaps outwards: a start to
    the piece's start, an end to its end.
    """

    def __init__(self, pieces: list[tuple[int, int, int, int]] | None = None):
        self.pieces = pieces or []  # (src_start, src_len, dst_start, dst_len), in order
        self._starts = [p[0] for p in self.pieces]

    def __call__(self, position: int, side: str = "start") -> int:
        index = bisect.bisect_right(self._starts, position) - 1
        if index < 0:
            return position
        src, src_len, dst, dst_len = self.pieces[index]
        if position == src:
            return dst
        if position < src + src_len:
            return dst + dst_len * _SIDES[side]
        return position + (dst + dst_len) - (src + src_len)


@dataclass(frozen=True)
class Convention:
    """How an exporter counted positions in a source file."""

    crlf_as_one: bool = False
    utf16: bool = False
    bom_counted: bool = False

    def describe(self) -> str:
        parts = ["UTF-16 units" if self.utf16 else "code points"]
        parts.append("a CRLF line end as 1 character" if self.crlf_as_one
                     else "a CRLF line end as 2 characters")
        if self.bom_counted:
            parts.append("the byte-order mark as character 0")
        return ", ".join(parts)


def to_stored(raw: str) -> tuple[str, OffsetMap]:
    """qcode's stored form of `raw` (no BOM; see `normalise`) and the map raw -> stored."""
    pieces: list[tuple[int, int, int, int]] = []
    out: list[str] = []
    raw_pos = stored_pos = 0
    for match in _CHANGING.finditer(raw):
        start, end = match.span()
        out.append(raw[raw_pos:start].replace("\r", "\n"))
        stored_pos += start - raw_pos
        region = match.group()
        if region == "\r\n":
            pieces.append((start, 2, stored_pos, 1))
            out.append("\n")
            stored_pos += 1
        else:
            for offset, cluster in _clusters(region.replace("\r", "\n")):
                composed = unicodedata.normalize("NFC", cluster)
                if composed != cluster:
                    pieces.append((start + offset, len(cluster), stored_pos, len(composed)))
                out.append(composed)
                stored_pos += len(composed)
        raw_pos = end
    out.append(raw[raw_pos:].replace("\r", "\n"))
    stored = "".join(out)
    if stored != normalise(raw):  # composition across clusters we did not foresee
        return normalise(raw), OffsetMap()
    return stored, OffsetMap(pieces)


def _clusters(region: str) -> list[tuple[int, str]]:
    """`region` cut where NFC cannot join the two sides: before a starter that does not
    compose with what precedes it."""
    if unicodedata.is_normalized("NFC", region):
        return [(0, region)]
    clusters: list[tuple[int, str]] = []
    begin = 0
    for index in range(1, len(region) + 1):
        if index < len(region):
            char = region[index]
            if unicodedata.combining(char):
                continue
            before = region[begin:index]
            joined = unicodedata.normalize("NFC", before + char)
            if joined != unicodedata.normalize("NFC", before) + unicodedata.normalize("NFC",
                                                                                       char):
                continue
        clusters.append((begin, region[begin:index]))
        begin = index
    return clusters


def tool_map(raw: str, convention: Convention) -> OffsetMap:
    """Positions as the exporter counted them -> positions in `raw` (code points, no BOM)."""
    pieces: list[tuple[int, int, int, int]] = []
    # (raw position, raw length, tool length)
    events = ([(m.start(), 2, 1) for m in re.finditer("\r\n", raw)] if convention.crlf_as_one
              else [])
    if convention.utf16:
        events += [(m.start(), 1, 2) for m in _ASTRAL.finditer(raw)]
    events.sort()
    tool = raw_pos = 0
    if convention.bom_counted:
        pieces.append((0, 1, 0, 0))
        tool = 1
    for position, raw_len, tool_len in events:
        tool += position - raw_pos
        pieces.append((tool, tool_len, position, raw_len))
        tool += tool_len
        raw_pos = position + raw_len
    return OffsetMap(pieces)


def candidates(raw: str, has_bom: bool) -> list[Convention]:
    """The conventions that would give different answers on this text."""
    crlf = (False, True) if "\r\n" in raw else (False,)
    utf16 = (False, True) if _ASTRAL.search(raw) else (False,)
    bom = (False, True) if has_bom else (False,)
    return [Convention(c, u, b) for c in crlf for u in utf16 for b in bom]


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def agreement(names: list[tuple[str, int, int]], raw: str, stored: str, to_raw: OffsetMap,
              raw_to_stored: OffsetMap) -> int:
    """How many selections' names are the start of the text this convention gives them."""
    hits = 0
    for name, start, end in names:
        begin = raw_to_stored(to_raw(start))
        finish = raw_to_stored(to_raw(end, "end"), "end")
        quoted = _squash(stored[begin:finish])
        if quoted and quoted.startswith(name):
            hits += 1
    return hits


def selection_names(selections: list[tuple[str | None, int, int]]) -> list[tuple[str, int, int]]:
    """Names usable as evidence: at least 4 characters once an ellipsis is dropped."""
    out = []
    for name, start, end in selections:
        squashed = _squash((name or "").rstrip(".… "))
        if len(squashed) >= 4:
            out.append((squashed, start, end))
    return out
