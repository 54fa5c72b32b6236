"""Writing files atomically, and choosing the format from --format or --out's extension."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError

BINARY = ("xlsx", "docx", "png", "svg", "pdf")


def _folder(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--out {path}: folder {folder} does not exist; create it first")
    return folder


def write_with(path: Path, writer: Callable[[Path], None]) -> None:
    """Let `writer` fill a temporary file next to `path`, then rename it into place, so
    readers see the old file or the whole new one, never half of it."""
    fd, tmp = tempfile.mkstemp(dir=_folder(path), prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        writer(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    write_with(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def format_for(out: Path | None, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """The format asked for: `--format` wins, else `--out`'s extension, else the first."""
    chosen = (fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else allowed[0]))
    chosen = {"markdown": "md", "htm": "html", "latex": "tex"}.get(chosen.lower(), chosen.lower())
    if chosen not in allowed:
        raise InputError(f"unknown format '{chosen}'; supported: {', '.join(allowed)}")
    if chosen in BINARY and out is None:
        raise InputError(f"--format {chosen} writes a file; give --out FILE.{chosen}")
    return chosen
