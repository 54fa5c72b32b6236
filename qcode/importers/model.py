"""What an importer hands to the project: the document's text and what was found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class Span(NamedTuple):
    """A segment before it is stored: `text[start:end]` with its speaker and optional times.

    A NamedTuple, not a frozen dataclass: a transcript makes one per turn, and a tuple is
    built several times faster and pickles (from import workers to their parent) smaller."""

    start: int
    end: int
    speaker: str | None = None
    time_start: float | None = None
    time_end: float | None = None


@dataclass
class ParsedDocument:
    name: str
    text: str
    format: str
    encoding: str | None
    source: Path
    attributes: dict[str, str] = field(default_factory=dict)
    language: str | None = None
    turns: list[Span] | None = None  # speaker turns the format itself carries (subtitles)
    layout: str | None = None  # the caption layout (teams-vtt, zoom-vtt, whisperx, captions)
