"""Reading codings files (CSV or JSON) into rows, each with the line it starts on.

CSV: the delimiter is detected from the header line (`,`, `;` as written by Excel in
Spanish and other locales, or a tab). A row with more fields than the header, a field
longer than `csv.field_size_limit()` and a quote that is never closed are each reported
with the file and line. JSON: an array of objects with the same keys as the CSV columns
(what `codings export --format json` writes); each object's line is reported.

Problems in the rows themselves are collected by the caller and reported together (see
`RowProblems`), so one import shows every bad row, not only the first.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .errors import InputError
from .exporters.tables import unneutralise
from .importers.decoding import read_text_file

DELIMITERS = (",", ";", "\t")
MAX_LISTED = 20


class RowProblems:
    """Bad rows found while reading or importing a file, reported together."""

    def __init__(self, path: Path):
        self.path = path
        self.items: list[tuple[int, str]] = []

    def add(self, line: int | str, message: str) -> None:
        first = int(str(line).split("-")[0])
        self.items.append((first, f"line {line}: {message}"))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        if len(self.items) == 1:
            raise InputError(f"{self.path}, {self.items[0][1]}; nothing imported")
        listed = [text for _, text in sorted(self.items, key=lambda item: item[0])][:MAX_LISTED]
        more = len(self.items) - len(listed)
        rows = "row" if len(self.items) == 1 else "rows"
        lines = [f"{self.path}: {len(self.items)} bad {rows}, nothing imported; fix them and "
                 "import again", *(f"  {item}" for item in listed)]
        if more:
            lines.append(f"  ... and {more} more")
        raise InputError("\n".join(lines))


def _delimiter(header: str, expected: set[str]) -> str:
    """The delimiter that splits the header into the most known column names."""
    def known(delimiter: str) -> int:
        names = next(csv.reader([header], delimiter=delimiter), [])
        return sum(name.strip().lower() in expected for name in names)

    return max(DELIMITERS, key=lambda d: (known(d), header.count(d)))


def read_csv(path: Path, text: str, expected: set[str],
             problems: RowProblems) -> tuple[list[str], list[tuple[int, dict]]]:
    header_line = text.split("\n", 1)[0]
    delimiter = _delimiter(header_line, expected)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows: list[tuple[int, dict]] = []
    columns: list[str] = []
    line = 1
    try:
        for fields in reader:
            start, line = line, reader.line_num + 1
            if not columns:
                columns = [f.strip().lower() for f in fields]
                continue
            if not any(f.strip() for f in fields):
                continue
            where = f"{start}" if reader.line_num == start else f"{start}-{reader.line_num}"
            if len(fields) > len(columns):
                problems.add(where, f"{len(fields)} fields but the header has {len(columns)}; "
                             f"quote fields that contain '{_shown(delimiter)}'"
                             + (" (a quote left open above?)" if "-" in where else ""))
                continue
            # a value qcode's export prefixed with ' (formula injection) reads back as written
            rows.append((start, dict(zip(columns, (unneutralise(f.strip()) for f in fields),
                                         strict=False))))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problems.add(line, f"a field is longer than {csv.field_size_limit():,} characters; "
                               "is a quote left open on this line?")
        elif "unexpected end of data" in str(exc):
            problems.add(line, "a quote opened on this line is never closed")
        else:
            problems.add(reader.line_num, f"{exc}; check the quotes on this line")
    return columns, rows


def _shown(delimiter: str) -> str:
    return "\\t" if delimiter == "\t" else delimiter


def read_json(path: Path, text: str, problems: RowProblems) -> tuple[list[str],
                                                                        list[tuple[int, dict]]]:
    decoder = json.JSONDecoder()
    position = len(text) - len(text.lstrip())
    if not text[position:].startswith("["):
        raise InputError(f"{path}: a JSON codings file is an array of objects "
                         "(as `codings export --format json` writes)")
    position += 1
    rows: list[tuple[int, dict]] = []
    columns: dict[str, None] = {}
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            break
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}, line {exc.lineno}: {exc.msg}; not valid JSON") from None
        if not isinstance(value, dict):
            problems.add(line, "expected an object with document, code, coder, segment ...")
            continue
        row = {str(k).strip().lower(): "" if v is None else str(v).strip()
               for k, v in value.items()}
        columns.update(dict.fromkeys(row))
        rows.append((line, row))
    return list(columns), rows


def read_rows(path: Path, expected: set[str],
              problems: RowProblems) -> tuple[list[str], list[tuple[int, dict]]]:
    """(columns, [(line, row)]) from a codings CSV or JSON file."""
    text = read_text_file(path)
    if not text.strip():
        raise InputError(f"{path}: empty; expected a header line with "
                         f"{', '.join(sorted(expected))}")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("["):
        return read_json(path, text, problems)
    return read_csv(path, text, expected, problems)
