"""Which transcript layout a text is in, and which of its lines open a speaker turn.

One pass over the lines classifies each (blank, non-speech, a label alone on its line, a
`Name: words` line); the layout is the family of markers that explains the text best. A label
that appears only once is still a speaker when its line has the same layout as the other
speakers' (the same text column, the same indent) and does not look like a wrapped line or a
note (`Nota:`, `Fecha:`). Everything is linear in the number of lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from typing import NamedTuple

from ..errors import InputError
from .markers import (
    CHAT_NOISE,
    HEADER,
    INLINE,
    NOISE,
    NOISE_FIRST,
    NOTICE_LAST,
    PLAIN,
    TIME_LINE,
    TRAILING_TIME,
    clock_seconds,
    code_like,
    name_like,
    notice,
    plausible,
)

# --layout NAME: what each layout looks like (README "Segments" lists the same).
LAYOUTS: dict[str, str] = {
    "colon": "Name: words (NVivo/ATLAS.ti style, E:/P:, Entrevistador(a):, Q:/A:)",
    "padded": "Name: padded with spaces or a tab to a column, hard-wrapped lines",
    "label-line": "Name: alone on a line, words below (Rev .docx saved as text)",
    "rev": "Speaker 1 (00:00): alone on a line, words below (Rev, Temi, Descript)",
    "timestamped": "[00:00:02] Name: words, or Name: [00:00:12] words (Sonix, Descript)",
    "google-meet": "time lines 00:05:00 between Name: or **Name:** words",
    "whisperx": "[SPEAKER_00]: words (whisperX and other diarisers)",
    "f4": "I: / B1: words #00:00:04-2# (f4/f5transkript)",
    "chat": "*PAR: words, @headers and %tiers (CHAT/CLAN .cha)",
    "otter": "Name  0:03 on a line, words below (Otter .txt)",
    "teams": "Name   0:03 on a line, words below, no blank lines (Teams .docx)",
    "zoom-captions": "[Name] 14:02:11 on a line, words below (Zoom saved captions)",
    "time-header": "[00:00:05] Name on a line, words below (Trint, Happy Scribe)",
    "paragraphs": "no speakers: blocks separated by blank lines",
}
_HEADER_LAYOUTS = {"otter": "spaced", "teams": "spaced", "zoom-captions": "bracket",
                   "time-header": "time_first"}
_ROLES = frozenset("""
interviewer interviewee respondent participant moderator facilitator investigator researcher
entrevistador entrevistadora entrevistador(a) entrevistado entrevistada entrevistado(a)
investigador investigadora investigador(a) moderador moderadora moderador(a) facilitador
facilitadora participante informante pregunta respuesta
""".split())
_SHORT_CODE = re.compile(r"[A-Z]{1,3}\d{0,2}")
_SENTENCE_END = tuple(".?!…\"”»)")
_TIME_FIRST = frozenset(" \t[(")  # what a TIME_LINE line may open with, besides a digit
_SPACE = ("space", 0)  # the signature of a label followed by one space (see _signature)


class Marker(NamedTuple):
    speaker: str
    time: float | None
    body: int | None  # offset where the words start on the marker's line; None: next lines


@dataclass
class Layout:
    """The markers of one text: which lines open turns, which lines are not speech."""

    name: str
    starts: list[int]  # offset of each line, then len(text) + 1
    markers: dict[int, Marker] = field(default_factory=dict)
    noise: dict[int, float | None] = field(default_factory=dict)  # line -> time it carries
    trailing: dict[int, tuple[int, float | None, str]] = field(default_factory=dict)


# Builds a NamedTuple from a tuple of all its fields in C, skipping the generated __new__ in
# Python (twice as slow): there is one per line with a colon.
_new = tuple.__new__


class _Inline(NamedTuple):
    """A `Name: words` line, with what the layout rules ask of it worked out once."""

    number: int
    label: str
    indent: int  # width of the indent before the label
    signature: tuple[str, int]  # how the words are set off from the label (see _signature)
    marked: bool  # bold, brackets or a CHAT tier: a marker even when used once
    marker: Marker  # the turn it opens if it is taken as a marker
    chat: str | None  # INLINE's groups that _colon_name and _chat ask about
    t1: str | None
    t2: str | None
    t3: str | None


@dataclass
class _Scan:
    lines: list[str]
    starts: list[int]  # offset of each line, then len(text) + 1
    noise: dict[int, float | None]
    inline: list[_Inline]
    headers: dict[str, dict[int, tuple[str, float | None]]]
    chat_lines: int = 0  # `*PAR:` utterance lines (CHAT)
    time_marks: bool = False  # any `#` (f4) or CHAT bullet in the text


def check_layout(name: str) -> str:
    if name not in LAYOUTS:
        raise InputError(f"--layout {name}: unknown layout; use one of {', '.join(LAYOUTS)}")
    return name


def find_layout(text: str, layout: str | None = None,
                speakers: list[str] | None = None) -> Layout | None:
    """The layout of `text` (detected, or `layout` forced) with its markers; None for none."""
    if layout == "paragraphs":
        return None
    scan = _scan(text)
    forced = {s.strip().casefold() for s in speakers or [] if s.strip()} or None
    chat = layout == "chat" or (layout is None and scan.chat_lines >= 2
                                and any(line.startswith("@") for line in scan.lines[:50]))
    if chat:
        return _chat(scan)
    if layout in _HEADER_LAYOUTS:
        return _header_layout(scan, layout, _HEADER_LAYOUTS[layout], forced)
    inline = _inline_markers(scan, forced)
    if layout is None:
        followed = {style: _followed(scan, style) for style in scan.headers}
        best = max(followed, key=followed.__getitem__)
        # headers followed by words, against the inline markers that are no such header
        if followed[best] >= 2 and followed[best] >= sum(
                1 for i in inline if i not in scan.headers[best]):
            name = {"bracket": "zoom-captions", "time_first": "time-header"}.get(best) \
                or _otter_or_teams(scan, best)
            return _header_layout(scan, name, best, forced)
    if len(inline) < 2 and not (forced and inline):
        return None
    trailing = _trailing_times(scan)
    return Layout(layout or _colon_name(scan, inline, trailing), scan.starts, inline,
                  dict(scan.noise), trailing)


def _scan(text: str) -> _Scan:
    """Classify the lines that can matter. Each line's first and last characters and a colon
    near its start pick the lines worth a pattern, so that a line of speech (most of a
    transcript) costs a few look-ups and no pattern at all."""
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    scan = _Scan(lines, starts, {}, [], {style: {} for style in ("spaced", "bracket",
                                                                  "time_first")})
    # a marker or time stamp has a colon near the start, or opens with a bracket (`[NAME]`)
    scan.time_marks = "#" in text or "\x15" in text
    candidates = [n for n, line in enumerate(lines) if ":" in line[:90] or line[:1] == "["]
    # (NOISE never has a colon second: that spares it `R: words`, `P: words`.)
    scan.noise = dict.fromkeys([
        number for number, line in enumerate(lines)
        if (line[:1] in NOISE_FIRST and line[1:2] != ":" and NOISE.match(line))
        or (line[-1:] in NOTICE_LAST and notice(line))])
    noise, inline, headers = scan.noise, scan.inline, scan.headers
    for number in candidates:
        if number in noise:
            continue
        line = lines[number]
        if plain := PLAIN.match(line):
            # Most marker lines are PLAIN ones. Such a line is no time line or header (those
            # open with a digit, a bracket or a label whose first word is followed by a space,
            # never by a colon); this is what _inline makes of its INLINE groups (only a name
            # and a gap of one space), written out.
            label, end = plain.group(1), plain.end()
            body = None if end >= len(line.rstrip()) else starts[number] + end
            inline.append(_new(_Inline, (number, label, 0, _SPACE, False,
                                         _new(Marker, (label, None, body)), None, None, None,
                                         None)))
            continue
        # TIME_LINE opens with blanks, a bracket or a digit (`\d`: a decimal digit, as
        # isdecimal): a line opening with a letter is spared it
        first = line[:1]
        if (first in _TIME_FIRST or first.isdecimal()) and TIME_LINE.match(line):
            noise[number] = clock_seconds(line.strip())
            continue
        if len(line) <= 80 and (header := HEADER.match(line)):
            for style in headers:
                if header.group(style):
                    time = header.group(f"{style}_t") or header.groupdict().get(f"{style}_u")
                    headers[style][number] = (header.group(style).strip(), clock_seconds(time))
        if match := INLINE.match(line):
            inline.append(_inline(scan, number, line, match))
    scan.chat_lines = sum(1 for found in inline if found.chat)
    return scan


def _inline(scan: _Scan, number: int, line: str, match: re.Match[str]) -> _Inline:
    indent, t1, bold, bracket, chat, name, t2, gap, t3 = match.groups()
    label = (bold or bracket or chat or name).strip()  # one of the four always matched
    end = match.end()
    body = None if end >= len(line.rstrip()) else scan.starts[number] + end
    time = t1 or t2 or t3
    marker = _new(Marker, (label, time and clock_seconds(time), body))
    # a single space after the label (the usual case) needs no _signature
    signature = _SPACE if gap == " " else _signature(gap, match, line)
    return _new(_Inline, (number, label, len(indent), signature,
                          bool(bold or bracket or chat), marker, chat, t1, t2, t3))


def _strong(label: str) -> bool:
    """Counts even when used once (like bold or brackets): capitals, a role, a short code."""
    return bool(label.casefold() in _ROLES or _SHORT_CODE.fullmatch(label)
                or (label.isupper() and len(label) > 1))


def _signature(gap: str | None, match: re.Match[str], line: str) -> tuple[str, int]:
    gap = gap or ""
    if "\t" in gap:
        return ("tab", 0)
    if len(gap) >= 2:
        return ("column", len(line[:match.end("gap")].expandtabs()))
    return ("space", 0)


def _inline_markers(scan: _Scan, forced: set[str] | None) -> dict[int, Marker]:
    if forced:
        return {i.number: i.marker for i in scan.inline if i.label.casefold() in forced}
    counts = Counter(i.label for i in scan.inline)
    # what depends on the label alone is decided once per label, not once per line
    usual = {label: _strong(label) or (count >= 2 and (name_like(label) or code_like(label)))
             for label, count in counts.items() if plausible(label)}
    candidates = scan.inline if len(usual) == len(counts) else [
        i for i in scan.inline if i.label in usual]
    if not candidates:
        return {}
    core = candidates if all(usual.values()) else [
        i for i in candidates if i.marked or usual[i.label]]
    if len(core) == len(candidates):  # every line is a core marker: nothing is left to decide
        return {i.number: i.marker for i in core}
    # Padding to one column (or a tab) shared by three labels or more is a layout of its own.
    signatures = Counter(i.signature for i in core or candidates)
    shared = Counter(i.signature for i in candidates if i.signature[0] != "space")
    dominant = max(signatures, key=signatures.__getitem__)  # the first of the most common
    seen = signatures[dominant]
    padded = dominant[0] != "space" and seen >= 2 and seen * 2 >= len(core or candidates)
    if not padded and shared and shared[common := max(shared, key=shared.__getitem__)] >= 3:
        dominant, padded = common, True
    if not core and not padded:
        return {}
    first = min(i.number for i in core) if core and not padded else 0
    indents = Counter(i.indent for i in core or candidates)
    indent = max(indents, key=indents.__getitem__)
    width: list[int | None] = []  # computed once, when a one-off label needs it

    def wrap_width() -> int | None:
        if not width:
            candidate_lines = {i.number for i in scan.inline}
            width.append(_wrap_width([line for n, line in enumerate(scan.lines)
                                      if n not in candidate_lines]))
        return width[0]

    accepted = {i.number: i.marker for i in core}
    for found in candidates:  # the others open a turn when they look like the core's lines
        number = found.number
        if number in accepted or number < first or found.indent != indent:
            continue
        if padded:
            ok = found.signature == dominant
        else:
            ok = (name_like(found.label) and _after_sentence(scan, number)
                  and not _wrapped(scan, number, wrap_width()))
        if ok:
            accepted[number] = found.marker
    return accepted


def _after_sentence(scan: _Scan, number: int) -> bool:
    """A new turn follows a blank line, a non-speech line or a finished sentence (asked only
    of lines after the first marker, so never of line 0)."""
    if number - 1 in scan.noise:
        return True
    previous = scan.lines[number - 1].rstrip()
    return not previous or previous.endswith(_SENTENCE_END)


def _wrap_width(lines: list[str]) -> int | None:
    """The column a hard-wrapped text is wrapped at; None when lines are not wrapped."""
    lengths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(lengths) < 4:
        return None
    width = max(lengths)
    near = sum(1 for n in lengths if n >= width - 15)
    return width if width <= 120 and near * 10 >= len(lengths) * 3 else None


def _wrapped(scan: _Scan, number: int, width: int | None) -> bool:
    """Would the line's first word (its label) have fitted on the previous line? If not, it
    is a wrap. Asked only of a marker line after the first marker."""
    if width is None:
        return False
    previous = scan.lines[number - 1].rstrip()
    first = scan.lines[number].split()[0]
    return bool(previous) and len(previous) + 1 + len(first) > width - 2


def _followed(scan: _Scan, style: str) -> int:
    """How many header lines of `style` have words, not another header, as next line."""
    headers = scan.headers[style]
    found = 0
    for number in headers:
        following = number + 1
        while following < len(scan.lines) and not scan.lines[following].strip():
            following += 1
        if (following < len(scan.lines) and following not in headers
                and following not in scan.noise):
            found += 1
    return found


def _header_layout(scan: _Scan, name: str, style: str, forced: set[str] | None) -> Layout:
    markers = {number: Marker(label, time, None)
               for number, (label, time) in scan.headers[style].items()
               if (label.casefold() in forced if forced else plausible(label))}
    return Layout(name, scan.starts, markers, dict(scan.noise))


def _otter_or_teams(scan: _Scan, style: str) -> str:
    """Otter leaves a blank line before each header; Teams .docx as text does not."""
    notices = [scan.lines[n].lower() for n in scan.noise]
    if any("otter.ai" in line for line in notices):
        return "otter"
    if any("transcri" in line for line in notices):
        return "teams"
    headers = scan.headers[style]
    blank_before = sum(1 for n in headers if n == 0 or not scan.lines[n - 1].strip())
    return "otter" if blank_before * 2 > len(headers) else "teams"


def _chat(scan: _Scan) -> Layout:
    noise: dict[int, float | None] = {}
    in_tier = False
    for number, line in enumerate(scan.lines):  # a tier runs until the next utterance
        if CHAT_NOISE.match(line):
            in_tier = True
        elif line.startswith("*"):
            in_tier = False
        if in_tier:
            noise[number] = None
    markers = {i.number: i.marker for i in scan.inline if i.chat}
    return Layout("chat", scan.starts, markers, noise, _trailing_times(scan))


def _trailing_times(scan: _Scan) -> dict[int, tuple[int, float | None, str]]:
    """Lines ending in time codes: where the codes start, the time, and whether it is when
    the paragraph ends (f4) or when the utterance began (a CHAT bullet)."""
    trailing: dict[int, tuple[int, float | None, str]] = {}
    if not scan.time_marks:
        return trailing
    for number, line in enumerate(scan.lines):
        if ("#" in line or "\x15" in line) and (match := TRAILING_TIME.search(line)):
            f4 = match.group("f4")
            time = clock_seconds(f4) if f4 else int(match.group("chat")) / 1000
            trailing[number] = (scan.starts[number] + match.start(), time,
                                "end" if f4 else "start")
    return trailing


def _colon_name(scan: _Scan, inline: dict[int, Marker],
                trailing: dict[int, tuple[int, float | None, str]]) -> str:
    """Name the colon-family layout after what most of its markers look like."""
    # the markers are scan.inline's lines, all of them or some
    chosen = scan.inline if len(inline) == len(scan.inline) else [
        i for i in scan.inline if i.number in inline]
    most = len(inline) / 2
    if sum(1 for _, _, kind in trailing.values() if kind == "end") >= 2:
        return "f4"
    if sum(1 for m in inline.values() if m.speaker.startswith("SPEAKER_")) > most:
        return "whisperx"
    if any(time is not None for time in scan.noise.values()):
        return "google-meet"
    if sum(1 for i in chosen if i.t2) > most:
        return "rev"
    if sum(1 for m in inline.values() if m.body is None) > most:
        return "label-line"
    if sum(1 for i in chosen if i.t1 or i.t3) > most:
        return "timestamped"
    if sum(1 for i in chosen if i.signature[0] != "space") > most:
        return "padded"
    return "colon"
