"""Tables as text: CSV, JSON, Markdown, LaTeX (booktabs) and HTML."""

from __future__ import annotations

import csv
import html
import io
import json
import re

TEXT_FORMATS = ("csv", "json", "md", "tex", "html")


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
    """The inverse of `neutralise` for text read back from a CSV qcode wrote: only a `'`
    that `neutralise` would have added is taken off."""
    if value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


def tex_escape(value) -> str:
    from .latex import tex_escape as escape

    return escape(value)


def _numeric(rows: list[dict], column: str) -> bool:
    values = [r.get(column) for r in rows if r.get(column) not in (None, "")]
    return bool(values) and all(isinstance(v, int | float) for v in values)


def rows_to_tex(rows: list[dict], columns: list[str], caption: str | None = None,
                label: str | None = None, **tex) -> str:
    """A booktabs longtable that fits an A4 page (see exporters.latex); `tex` takes
    landscape, standalone, note, heads and rule_before."""
    from .latex import rows_table, wrap

    standalone = tex.pop("standalone", False)
    body = rows_table(rows, columns, caption=caption, label=label, **tex)
    return wrap(body, landscape=tex.get("landscape", False), standalone_doc=standalone)


def rows_to_html(rows: list[dict], columns: list[str], caption: str | None = None) -> str:
    def cell(value) -> str:
        kind = ' class="num"' if isinstance(value, int | float) else ""
        return f"<td{kind}>{html.escape('' if value is None else str(value))}</td>"

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(cell(r.get(c)) for c in columns) + "</tr>" for r in rows)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f"<table>{title}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n"
            "</table>\n")


def _joined(value, joiner: str, bullet: str = ""):
    """A list value (criteria, examples) joined into one string; any other value as it is."""
    if isinstance(value, list | tuple):
        return joiner.join(f"{bullet}{v}" for v in value)
    return value


def _flat(rows: list[dict], joiner: str, bullet: str = "") -> list[dict]:
    """Rows whose list values are joined into one string."""
    return [{k: _joined(v, joiner, bullet) for k, v in row.items()} for row in rows]


def rows_to_text(rows: list[dict], columns: list[str], fmt: str, caption: str | None = None,
                 label: str | None = None, raw: bool = False, **tex) -> str:
    """Render plain rows as CSV, JSON, Markdown, LaTeX or HTML (`tex`: LaTeX options). CSV
    values that would run as spreadsheet formulas are neutralised (see `neutralise`) unless
    `raw`."""
    if fmt == "csv":
        return _csv(rows, columns, raw)
    if fmt != "json":
        rows = _flat(rows, {"md": "<br>", "html": "\n", "tex": "; "}[fmt],
                     "• " if fmt == "md" else "")
    if fmt == "tex":
        return rows_to_tex(rows, columns, caption, label, **tex)
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
    raise ValueError(f"unknown table format {fmt!r}")


def _csv(rows: list[dict], columns: list[str], raw: bool) -> str:
    """CSV in one pass per cell: lists joined by line breaks, formulas neutralised unless
    `raw`, a missing value empty."""
    clean = (lambda value: value) if raw else neutralise
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([clean(c) for c in columns])
    writer.writerows([clean(_joined(row.get(c), "\n")) for c in columns] for row in rows)
    return buffer.getvalue()


def frame_rows(frame) -> tuple[list[dict], list[str]]:
    """A DataFrame (its index as the first column) as plain rows of Python values."""
    table = frame.reset_index()
    columns = [str(c) for c in table.columns]
    rows = [dict(zip(columns, (v.item() if hasattr(v, "item") else v for v in record),
                     strict=True)) for record in table.itertuples(index=False)]
    return rows, columns


def frame_to_csv(frame, raw: bool = False) -> str:
    """`rows_to_text(*frame_rows(frame), "csv", raw=raw)` written straight from the frame's
    values: a matrix of 17,000 document columns has half a million cells."""
    table = frame.reset_index()
    clean = (lambda value: value) if raw else neutralise
    texts = [i for i, dtype in enumerate(table.dtypes) if dtype.kind not in "iufcb"]  # not numbers
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([clean(str(c)) for c in table.columns])
    for row in table.to_numpy(dtype=object).tolist():
        for i in texts:
            row[i] = clean(row[i])
        writer.writerow(row)
    return buffer.getvalue()


def frame_to_text(frame, fmt: str, caption: str | None = None, label: str | None = None,
                  raw: bool = False, **tex) -> str:
    if fmt == "csv":
        return frame_to_csv(frame, raw)
    rows, columns = frame_rows(frame)
    if fmt == "tex" and "Total" in [r.get(columns[0]) for r in rows]:
        tex.setdefault("rule_before", {[r.get(columns[0]) for r in rows].index("Total")})
    return rows_to_text(rows, columns, fmt, caption, label, raw, **tex)
