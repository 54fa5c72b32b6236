"""Splitting a transcript into segments: speaker turns, paragraphs or sentences.

`layouts.find_layout` decides which lines open a turn (see its docstring and the README's
"Segments" section for the layouts recognised). A turn runs from its marker to the next one;
lines nobody said (page headers, service notices, time lines, CHAT tiers) end the segment
and the words after them continue the same speaker in a new segment. Turns by one speaker
that follow each other are never merged: each marker the transcriber wrote opens a segment.
Text before the first marker is one segment with no speaker. Each segment is
trimmed of surrounding white space; `text[start:end]` is exactly the words, without the
label or trailing time codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from .layouts import Layout, find_layout
from .markers import INLINE, plausible
from .model import Span

SegmentMode = Literal["turn", "paragraph", "sentence"]

_OPENING = "¿¡"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NEWLINE = re.compile("\n")
# Builds a Span from a tuple of all its fields in C, skipping NamedTuple's __new__ in Python:
# there is one per turn.
_new = tuple.__new__


@dataclass
class Segmentation:
    """Segments of a text, the mode used and the layout detected (None: no speakers)."""

    spans: list[Span]
    mode: str
    layout: str | None


def speaker_prefix(line: str) -> tuple[str | None, str]:
    """Split `Name: words` into (Name, words); (None, line) when there is no marker."""
    match = INLINE.match(line)
    label = match and (match.group("bold") or match.group("bracket") or match.group("name"))
    # a label starts with a word character (see markers._WORD, _BRACKET): only an upper-case
    # letter or a digit is a speaker's
    if not label or not (label[0].isupper() or label[0].isdigit()) \
            or not plausible(label.strip()):
        return None, line
    return label.strip(), line[match.end():].strip()


def find_turns(text: str, layout: str | None = None,
               speakers: list[str] | None = None) -> list[Span] | None:
    """Speaker turns, or None when no layout with at least two speaker markers is found."""
    found = find_layout(text, layout, speakers)
    return _turns(text, found) if found and found.markers else None


def _turns(text: str, layout: Layout) -> list[Span]:
    """Walk the lines that matter (markers, non-speech, trailing time codes) in order; the
    words between two of them belong to the turn that is open."""
    spans: list[Span] = []
    speaker: str | None = None
    time: float | None = None
    pending: float | None = None  # from a time line, for the next turn
    starts, markers, noise, trailing = layout.starts, layout.markers, layout.noise, layout.trailing
    opened = 0  # where the open piece's words begin

    def emit(end: int, time_end: float | None = None) -> None:
        if piece := _trim(text, opened, end):
            spans.append(_new(Span, (*piece, speaker, time, time_end)))

    wanted = markers.keys() | noise.keys() | trailing.keys() if noise or trailing else markers
    for number in sorted(wanted):
        line_start = starts[number]
        if marker := markers.get(number):
            emit(line_start)
            speaker, marker_time, body = marker
            time = marker_time if marker_time is not None else pending
            pending = None
            opened = body if body is not None else starts[number + 1] - 1
        elif number in noise:
            emit(line_start)
            if noise[number] is not None:
                pending = noise[number]
            opened = starts[number + 1] - 1
        if number in trailing:
            cut, stamp, kind = trailing[number]
            if kind == "start":  # a CHAT bullet: when this utterance began
                time = stamp
            emit(cut, stamp if kind == "end" else None)
            time, opened = stamp, starts[number + 1] - 1
    emit(len(text))
    return spans


def split(text: str, mode: SegmentMode = "turn", language: str = "en",
          turns: list[Span] | None = None, layout: str | None = None,
          speakers: list[str] | None = None) -> Segmentation:
    """Segment `text`; `layout` forces a layout, `speakers` names the only labels to take."""
    found = None if turns is not None else find_layout(text, layout, speakers)
    spans = turns if turns is not None else (_turns(text, found) if found else None)
    spans = spans if spans and any(s.speaker for s in spans) else None
    name = found.name if found and spans else None
    if mode == "turn" and spans:
        return Segmentation(spans, "turn", name)
    if mode == "sentence":
        bases = spans or [Span(s, e) for s, e in paragraphs(text)]
        return Segmentation(_sentences(text, bases, language), "sentence", name)
    if spans and turns is not None:
        # caption files: a turn is the natural paragraph; their importer names their layout
        return Segmentation(spans, "paragraph", None)
    return Segmentation([Span(s, e) for s, e in paragraphs(text)], "paragraph", name)


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Blocks separated by blank lines; single lines when there is no blank line at all."""
    end = len(text) if end is None else end
    breaks = [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text, start, end)]
    if not breaks:
        breaks = [(m.start(), m.end()) for m in _NEWLINE.finditer(text, start, end)]
    pieces, position = [], start
    for gap_start, gap_end in breaks:
        pieces.append((position, gap_start))
        position = gap_end
    pieces.append((position, end))
    return [span for piece in pieces if (span := _trim(text, *piece))]


def segment(text: str, mode: SegmentMode = "turn", language: str = "en",
            turns: list[Span] | None = None) -> tuple[list[Span], str]:
    """Segments of `text` and the mode actually used (`turn` falls back to `paragraph`).

    `split` does the same and also says which layout it found."""
    done = split(text, mode, language, turns)
    return done.spans, done.mode


def _sentences(text: str, bases: list[Span], language: str) -> list[Span]:
    from ..nlp import sentencizer

    spans = []
    pieces = ((text[base.start:base.end], base) for base in bases)
    for doc, base in sentencizer(language).pipe(pieces, as_tuples=True):
        cuts = [base.start + _sentence_end(sent) for sent in list(doc.sents)[:-1]]
        for start, end in pairwise([base.start, *cuts, base.end]):
            if trimmed := _trim(text, start, end):
                spans.append(Span(*trimmed, speaker=base.speaker, time_start=base.time_start,
                                  time_end=base.time_end))
    return spans


def _sentence_end(sentence) -> int:
    """Where `sentence` ends in its doc: spaCy leaves Spanish opening marks (¿ ¡) at the end
    of a sentence, and they open the next one. (What lies between two sentences is only
    white space, which trimming drops.)"""
    words = sentence.text
    return sentence.end_char - (len(words) - len(words.rstrip(_OPENING)))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    if start < end and not text[start].isspace() and not text[end - 1].isspace():
        return start, end  # the usual case, without a loop
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
