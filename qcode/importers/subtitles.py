"""Zoom, Teams, Otter and whisperX caption files (.vtt, .srt), merged into speaker turns.

The speaker comes from a `<v Name>` voice span (Teams), a `Name:` prefix (Zoom) or a
`[SPEAKER_00]:` prefix (whisperX). HTML entities (`&#225;`, `&amp;`) are decoded and a cue's
lines joined. Consecutive cues of the same speaker (or with no speaker) form one turn — cues
are timing chunks, not turns — which keeps the first cue's start time and the last cue's end
time. The stored text has one `Name: words` paragraph per turn.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from ..errors import InputError
from .decoding import check_text, decode, normalise
from .model import ParsedDocument, Span
from .turns import speaker_prefix


def read_subtitles(path: Path, raw: bytes, encoding: str | None) -> ParsedDocument:
    import webvtt  # imported here so that `qcode --help` stays fast

    decoded, used = decode(raw, path, encoding)
    fmt = path.suffix.lstrip(".").lower()
    try:
        captions = webvtt.from_buffer(io.StringIO(normalise(decoded)), format=fmt)
    except webvtt.errors.MalformedFileError as exc:
        raise InputError(f"{path}: not a valid .{fmt} caption file ({exc}); check that it "
                         "starts with WEBVTT (for .vtt) or a cue number (for .srt)") from None
    turns: list[tuple[str | None, list[str], float, float]] = []
    voiced = prefixed = 0
    for caption in captions:
        words = html.unescape(" ".join(line.strip() for line in caption.text.split("\n")
                                       if line.strip()))
        speaker = html.unescape(caption.voice).strip() if caption.voice else None
        if speaker is None:
            speaker, words = speaker_prefix(words)
            prefixed += speaker is not None
        else:
            voiced += 1
        if not words:
            continue
        start, end = _seconds(caption.start_time), _seconds(caption.end_time)
        if turns and (speaker is None or speaker == turns[-1][0]):
            turns[-1][1].append(words)
            turns[-1] = (turns[-1][0], turns[-1][1], turns[-1][2], end)
        else:
            turns.append((speaker, [words], start, end))
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for speaker, words, start, end in turns:
        label = f"{speaker}: " if speaker else ""
        body = " ".join(words)
        spans.append(Span(offset + len(label), offset + len(label) + len(body), speaker,
                          start, end))
        parts.append(label + body)
        offset += len(label) + len(body) + 2
    text = "\n\n".join(parts)
    check_text(text, path)
    return ParsedDocument(name=path.stem, text=text, format=fmt, encoding=used, source=path,
                          turns=spans, layout=_layout(fmt, turns, voiced, prefixed))


def _layout(fmt: str, turns: list, voiced: int, prefixed: int) -> str:
    """teams-vtt (voice spans), whisperx (SPEAKER_00 prefixes), zoom-vtt/prefixed-srt, captions."""
    if voiced >= prefixed and voiced:
        return f"voice-{fmt}" if fmt != "vtt" else "teams-vtt"
    if not prefixed:
        return "captions"
    if all((speaker or "").startswith("SPEAKER_") for speaker, *_ in turns):
        return "whisperx"
    return "zoom-vtt" if fmt == "vtt" else "named-srt"


def _seconds(stamp) -> float:
    return stamp.hours * 3600 + stamp.minutes * 60 + stamp.seconds + stamp.milliseconds / 1000
