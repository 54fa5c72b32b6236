"""Zoom, Teams and Otter caption files (.vtt, .srt), merged into speaker turns.

The speaker comes from a `<v Name>` voice span or a `Name:` prefix. Consecutive cues of the
same speaker (or with no speaker) form one turn, which keeps the first cue's start time and
the last cue's end time. The stored text has one `Name: words` paragraph per turn.
"""

from __future__ import annotations

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
    for caption in captions:
        words = " ".join(line.strip() for line in caption.text.split("\n") if line.strip())
        speaker = caption.voice
        if speaker is None:
            speaker, words = speaker_prefix(words)
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
                          turns=spans)


def _seconds(stamp) -> float:
    return stamp.hours * 3600 + stamp.minutes * 60 + stamp.seconds + stamp.milliseconds / 1000
