"""Reading transcripts from files: one module per format, plus speaker-turn segmentation."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .model import ParsedDocument, Span
from .turns import SegmentMode, segment

__all__ = ["MAX_FILE_BYTES", "SUPPORTED", "ParsedDocument", "SegmentMode", "Span",
           "collect_paths", "read_document", "segment"]

SUPPORTED = (".txt", ".md", ".docx", ".vtt", ".srt", ".cha")
# Interview transcripts are a few hundred KB; a larger file is almost surely not one, and
# refusing it early keeps memory bounded. Split longer material into several documents.
MAX_FILE_BYTES = 50 * 1024 * 1024


def collect_paths(paths: list[Path]) -> list[Path]:
    """The transcript files named by `paths`, folders searched recursively, in sorted order."""
    if not paths:
        raise InputError("no files given; name transcript files or folders to import")
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*")
                            if p.is_file() and p.suffix.lower() in SUPPORTED
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not inside:
                raise InputError(f"{path}: folder has no transcripts "
                                 f"(looked for {', '.join(SUPPORTED)})")
            found.extend(inside)
        elif path.suffix.lower() not in SUPPORTED:
            hint = ("; document attributes come from a CSV given with --attributes FILE"
                    if path.suffix.lower() in (".csv", ".tsv") else "")
            raise InputError(f"{path}: unsupported file type '{path.suffix or '(none)'}'; "
                             f"qcode imports {', '.join(SUPPORTED)}{hint}")
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def read_document(path: Path, encoding: str | None = None) -> ParsedDocument:
    """Read one transcript file into normalised text (not yet segmented)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size / 2**20:.0f} MB is over qcode's limit of "
                         f"{MAX_FILE_BYTES // 2**20} MB per transcript; split the file")
    if size == 0:
        raise InputError(f"{path}: the file is empty")
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(path, raw)
    if suffix in (".vtt", ".srt"):
        from .subtitles import read_subtitles

        return read_subtitles(path, raw, encoding)
    from .text import read_text

    return read_text(path, raw, encoding)
