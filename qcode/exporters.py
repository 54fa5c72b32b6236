"""Writing tables and text to files atomically (temporary file, then rename)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from .errors import InputError

TABLE_FORMATS = ("csv", "json", "md", "tex")
_TEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                "\\": r"\textbackslash{}"}


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the whole new one."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--out {path}: folder {folder} does not exist; create it first")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_for(out: Path | None, fmt: str | None, allowed: tuple[str, ...] = TABLE_FORMATS) -> str:
    """The format asked for: `--format` wins, else `--out`'s extension, else CSV."""
    chosen = (fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else "csv")).lower()
    if chosen not in allowed:
        raise InputError(f"unknown format '{chosen}'; supported: {', '.join(allowed)}")
    return chosen


def tex_escape(value) -> str:
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in str(value))


def rows_to_tex(rows: list[dict], columns: list[str]) -> str:
    """A booktabs tabular; numbers right-aligned, special characters escaped."""
    def numeric(column: str) -> bool:
        return all(isinstance(r.get(column), int | float) or r.get(column) in (None, "")
                   for r in rows) and any(isinstance(r.get(column), int | float) for r in rows)

    spec = "".join("r" if numeric(c) else "l" for c in columns)
    lines = [f"\\begin{{tabular}}{{{spec}}}", "\\toprule",
             " & ".join(tex_escape(c) for c in columns) + " \\\\", "\\midrule"]
    for row in rows:
        cells = ["" if row.get(c) is None else tex_escape(row.get(c)) for c in columns]
        lines.append(" & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def rows_to_text(rows: list[dict], columns: list[str], fmt: str) -> str:
    """Render plain rows as CSV, JSON (a list of objects), a Markdown or a LaTeX table."""
    if fmt == "tex":
        return rows_to_tex(rows, columns)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        def cell(value) -> str:
            return str(value).replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(cell(r.get(c, "")) for c in columns) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def frame_to_text(frame, fmt: str) -> str:
    """A DataFrame (index kept as the first column) in one of TABLE_FORMATS."""
    table = frame.reset_index()
    columns = [str(c) for c in table.columns]
    rows = [dict(zip(columns, (v.item() if hasattr(v, "item") else v for v in record),
                     strict=True)) for record in table.itertuples(index=False)]
    return rows_to_text(rows, columns, fmt)
