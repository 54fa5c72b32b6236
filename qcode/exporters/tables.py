"""Tables as text: CSV, JSON, Markdown, LaTeX (booktabs) and HTML."""

from __future__ import annotations

import csv
import html
import io
import json
import re

TEXT_FORMATS = ("csv", "json", "md", "tex", "html")
_TEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                "\\": r"\textbackslash{}"}


# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value):
    """A text value a spreadsheet would run as a formula, prefixed with `'` so it is shown as
    text (OWASP's advice); numbers, and text that is just a number such as -3, stay as they are."""
    if (isinstance(value, str) and value.startswith(_FORMULA_START)
            and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """The inverse of `neutralise` for text read back from a CSV qcode wrote."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def tex_escape(value) -> str:
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in str(value))


def _numeric(rows: list[dict], column: str) -> bool:
    values = [r.get(column) for r in rows if r.get(column) not in (None, "")]
    return bool(values) and all(isinstance(v, int | float) for v in values)


def rows_to_tex(rows: list[dict], columns: list[str], caption: str | None = None,
                label: str | None = None) -> str:
    """A booktabs tabular (in a table float when a caption or label is given)."""
    spec = "".join("r" if _numeric(rows, c) else "l" for c in columns)
    lines = [f"\\begin{{tabular}}{{{spec}}}", "\\toprule",
             " & ".join(tex_escape(c) for c in columns) + " \\\\", "\\midrule"]
    for row in rows:
        cells = ["" if row.get(c) is None else tex_escape(row.get(c)) for c in columns]
        lines.append(" & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    if caption or label:
        lines = (["\\begin{table}[htbp]", "\\centering"]
                 + ([f"\\caption{{{tex_escape(caption)}}}"] if caption else [])
                 + ([f"\\label{{{label}}}"] if label else []) + lines + ["\\end{table}"])
    return "\n".join(lines) + "\n"


def rows_to_html(rows: list[dict], columns: list[str], caption: str | None = None) -> str:
    def cell(value) -> str:
        kind = ' class="num"' if isinstance(value, int | float) else ""
        return f"<td{kind}>{html.escape('' if value is None else str(value))}</td>"

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(cell(r.get(c)) for c in columns) + "</tr>" for r in rows)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f"<table>{title}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n"
            "</table>\n")


def rows_to_text(rows: list[dict], columns: list[str], fmt: str, caption: str | None = None,
                 label: str | None = None, raw: bool = False) -> str:
    """Render plain rows as CSV, JSON, Markdown, LaTeX or HTML. CSV values that would run
    as spreadsheet formulas are neutralised (see `neutralise`) unless `raw`."""
    if fmt == "tex":
        return rows_to_tex(rows, columns, caption, label)
    if fmt == "html":
        return rows_to_html(rows, columns, caption)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        def cell(value) -> str:
            return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(columns) + " |",
                 "|" + "".join("---:|" if _numeric(rows, c) else "---|" for c in columns)]
        lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    if raw:
        writer.writeheader()
        writer.writerows(rows)
    else:
        writer.writerow({c: neutralise(c) for c in columns})
        writer.writerows({c: neutralise(row.get(c)) for c in columns} for row in rows)
    return buffer.getvalue()


def frame_rows(frame) -> tuple[list[dict], list[str]]:
    """A DataFrame (its index as the first column) as plain rows of Python values."""
    table = frame.reset_index()
    columns = [str(c) for c in table.columns]
    rows = [dict(zip(columns, (v.item() if hasattr(v, "item") else v for v in record),
                     strict=True)) for record in table.itertuples(index=False)]
    return rows, columns


def frame_to_text(frame, fmt: str, caption: str | None = None, label: str | None = None,
                  raw: bool = False) -> str:
    rows, columns = frame_rows(frame)
    return rows_to_text(rows, columns, fmt, caption, label, raw)
