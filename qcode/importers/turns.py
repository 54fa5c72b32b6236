"""Splitting a transcript into segments: speaker turns, paragraphs or sentences.

A speaker marker stands at the start of a line, after an optional timestamp such as
`[00:01:23]` or `00:01:23`:  `NAME:`, `Name Surname:`, `**Name:**`, `[NAME]`, or the
single letters `E:`, `R:`, `P:`, `I:`. A turn runs from its marker to the next one. A name
counts as a speaker when it marks at least two turns or is a usual interview role
(`Entrevistador(a)`, `Interviewer`, …) or is written in capitals, in brackets or in
bold, so one-off header lines such as `Fecha: 2016` stay
plain text. Each segment is trimmed of surrounding white space; `text[start:end]` is exactly
the segment's words, without the speaker label.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from .model import Span

SegmentMode = Literal["turn", "paragraph", "sentence"]

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TIME = rf"(?P<time>\[{_CLOCK}\]|\({_CLOCK}\)|{_CLOCK})"
_WORD = r"[^\W\d_][\w'’.\-]*(?:\([a-z]{1,2}\))?"
_NAME = rf"{_WORD}(?:[ \t](?:{_WORD}|\d{{1,3}})){{0,3}}"
_BOLD = r"(?:\*\*|__)?"
_MARKER = re.compile(
    rf"^[ \t]*(?:{_TIME}[ \t]*(?:-[ \t]*)?)?"
    rf"(?:\[(?P<bracket>[^\]\n\d][^\]\n]{{0,39}})\][ \t]*:?"
    rf"|(?P<bold>\*\*|__)?(?P<name>{_NAME}){_BOLD}[ \t]*:{_BOLD})"
    r"(?=[ \t]|$)",
    re.MULTILINE,
)
_ROLES = {
    "e", "r", "p", "i", "entrevistador", "entrevistadora", "entrevistador(a)", "entrevistado",
    "entrevistada", "entrevistado(a)", "interviewer", "respondent", "interviewee",
    "moderador", "moderadora", "moderator", "participante", "participant",
}
_MAX_NAME = 40
_OPENING = "¿¡"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def speaker_prefix(line: str) -> tuple[str | None, str]:
    """Split `Name: words` into (Name, words); (None, line) when there is no marker."""
    match = _MARKER.match(line)
    if not match or not _plausible(_speaker(match)):
        return None, line
    return _speaker(match), line[match.end():].strip()


def find_turns(text: str) -> list[Span] | None:
    """Speaker turns, or None when the text has fewer than two speaker markers."""
    matches = [m for m in _MARKER.finditer(text) if _plausible(_speaker(m))]
    counts = Counter(_speaker(m) for m in matches)
    matches = [m for m in matches if counts[_speaker(m)] >= 2 or _unmistakable(m)]
    if len(matches) < 2:
        return None
    spans: list[Span] = []
    preamble = _trim(text, 0, matches[0].start())
    if preamble:
        spans.append(Span(*preamble))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        body = _trim(text, match.end(), following.start() if following else len(text))
        if body:
            spans.append(Span(*body, speaker=_speaker(match), time_start=_time(match)))
    return spans


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Blocks separated by blank lines; single lines when there is no blank line at all."""
    end = len(text) if end is None else end
    breaks = [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text, start, end)]
    if not breaks:
        breaks = [(m.start(), m.end()) for m in re.finditer(r"\n", text[:end])
                  if m.start() >= start]
    pieces, position = [], start
    for gap_start, gap_end in breaks:
        pieces.append((position, gap_start))
        position = gap_end
    pieces.append((position, end))
    return [span for piece in pieces if (span := _trim(text, *piece))]


def segment(text: str, mode: SegmentMode = "turn", language: str = "en",
            turns: list[Span] | None = None) -> tuple[list[Span], str]:
    """Segments of `text` and the mode actually used (`turn` falls back to `paragraph`)."""
    found = turns if turns is not None else find_turns(text)
    if mode == "turn" and found:
        return found, "turn"
    if mode == "sentence":
        bases = found or [Span(s, e) for s, e in paragraphs(text)]
        return _sentences(text, bases, language), "sentence"
    if found and turns is not None:  # caption files: a turn is the natural paragraph
        return found, "paragraph"
    return [Span(s, e) for s, e in paragraphs(text)], "paragraph"


def _sentences(text: str, bases: list[Span], language: str) -> list[Span]:
    from ..nlp import sentencizer

    nlp = sentencizer(language)
    spans = []
    for base, doc in zip(bases, nlp.pipe(text[b.start:b.end] for b in bases), strict=True):
        # spaCy leaves Spanish opening marks (¿ ¡) at the end of the previous sentence.
        cuts = [base.start + sent.start_char for sent in doc.sents][1:]
        cuts = [cut - 1 if text[cut - 1] in _OPENING else cut for cut in cuts]
        for start, end in zip([base.start, *cuts], [*cuts, base.end], strict=True):
            if trimmed := _trim(text, start, end):
                spans.append(Span(*trimmed, speaker=base.speaker, time_start=base.time_start,
                                  time_end=base.time_end))
    return spans


def _speaker(match: re.Match[str]) -> str:
    return (match.group("bracket") or match.group("name")).strip()


def _unmistakable(match: re.Match[str]) -> bool:
    """A marker that counts even once: `[NAME]`, `**Name:**`, `NAME:`, `E:`, or a role."""
    name = _speaker(match)
    return (bool(match.group("bracket") or match.group("bold")) or name.isupper()
            or len(name) == 1 or name.lower() in _ROLES)


def _plausible(name: str) -> bool:
    return bool(name) and len(name) <= _MAX_NAME and name[0].isupper()


def _time(match: re.Match[str]) -> float | None:
    stamp = match.group("time")
    if not stamp:
        return None
    seconds = 0.0
    for part in stamp.strip("[]()").replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
