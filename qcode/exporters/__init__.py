"""Writing results: text tables, Excel workbooks, Word documents and figures, always
through a temporary file that is renamed into place."""

from .files import BINARY, format_for, write_atomic, write_with
from .tables import TEXT_FORMATS, frame_rows, frame_to_text, rows_to_text, tex_escape

__all__ = ["BINARY", "TEXT_FORMATS", "format_for", "frame_rows", "frame_to_text",
           "rows_to_text", "tex_escape", "write_atomic", "write_with"]
