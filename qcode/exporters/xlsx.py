"""Excel workbooks (openpyxl): one sheet per table, bold header, frozen first row and column,
column widths that fit the content."""

from __future__ import annotations

from pathlib import Path

from .files import write_with
from .tables import frame_rows

_MAX_WIDTH = 60


def write_xlsx(path: Path, sheets: dict[str, object]) -> None:
    """`sheets`: sheet name -> DataFrame (its index becomes the first column)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(_sheet_name(name, book.sheetnames))
        rows, columns = frame_rows(frame)
        sheet.append([_cell(sheet, c) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(sheet, row[c]) for c in columns])
        sheet.freeze_panes = "B2"
        for index, column in enumerate(columns, start=1):
            longest = max([len(str(column))] + [len(str(r[column] or "")) for r in rows])
            sheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH,
                                                                          longest + 2)
            if longest > _MAX_WIDTH:
                for cell in sheet[get_column_letter(index)][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    write_with(path, lambda tmp: book.save(tmp))


def _cell(sheet, value):
    """Text is always written as a text cell: openpyxl would store a string starting with
    `=` as a live formula (spreadsheet formula injection). Characters XML cannot hold
    (control characters) are dropped instead of failing the whole workbook."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = Cell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _sheet_name(name: str, taken: list[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    candidate, number = clean, 2
    while candidate in taken:
        candidate = f"{clean[:28]}_{number}"
        number += 1
    return candidate
