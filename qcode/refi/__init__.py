"""REFI-QDA exchange with NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette: projects (.qdpx)
and codebooks (.qdc), in and out. Modules: guids (stable GUIDs), positions (selection
offsets), describe (code fields in a Description), coders (consensus marks), export, read
(lenient reading), load (into a project), qdc (codebooks)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..importers import SegmentMode
from .export import ExportReport, export_qdpx
from .load import LoadReport

__all__ = ["ExportReport", "LoadReport", "export_qdpx", "import_qdpx"]


def import_qdpx(conn: sqlite3.Connection, path: Path, *, default_language: str,
                language: str | None = None, mode: SegmentMode = "turn",
                allow_pii: bool = False) -> LoadReport:
    """Read `path` and store it in the project, all in one transaction (or nothing)."""
    from .load import load
    from .read import read_qdpx

    bundle = read_qdpx(path)
    return load(conn, bundle, default_language=default_language, language=language, mode=mode,
                allow_pii=allow_pii)
