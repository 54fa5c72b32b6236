"""`qcode import --dry-run`: what an import would find in each file, writing nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .documents import check_language, unsplit_warning
from .errors import QcodeError
from .importers import SegmentMode, collect_paths, read_document
from .importers.turns import split
from .speakers import summary


@dataclass
class FilePreview:
    path: Path
    name: str = ""
    layout: str | None = None
    encoding: str | None = None
    mode: str = ""
    segments: int = 0
    speakers: list[dict] = field(default_factory=list)  # label, turns, words
    warning: str | None = None
    error: str | None = None


def preview_files(paths: list[Path], *, default_language: str, language: str | None = None,
                  mode: SegmentMode = "turn", encoding: str | None = None,
                  layout: str | None = None,
                  speakers: list[str] | None = None) -> list[FilePreview]:
    """Read and segment every file as `import` would; a bad file is reported, not raised."""
    previews: list[FilePreview] = []
    for given in paths:
        try:
            files = collect_paths([given])
        except QcodeError as exc:
            previews.append(FilePreview(given, error=str(exc)))
            continue
        for path in files:
            try:
                doc = read_document(path, encoding)
                doc_language = check_language(language or doc.language or default_language)
                done = split(doc.text, mode, doc_language, doc.turns, layout, speakers)
            except QcodeError as exc:
                previews.append(FilePreview(path, error=str(exc)))
                continue
            warning = (unsplit_warning(path, len(done.spans))
                       if mode == "turn" and done.mode != "turn" else None)
            previews.append(FilePreview(
                path, doc.name, doc.layout or done.layout or "paragraphs", doc.encoding,
                done.mode, len(done.spans), summary(doc.text, done.spans), warning))
    return previews
