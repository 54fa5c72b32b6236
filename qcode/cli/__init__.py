"""The command-line interface: a thin Typer layer over `qcode.Project`.

One module per command group; each command parses its options, calls one library
function and renders the result with rich.
"""

from . import project_cmd, documents_cmd, codebook_cmd, coding_cmd, suggest_cmd, review_cmd, agreement_cmd, export_cmd, refi_cmd, memos_cmd, coders_cmd, pii_cmd, speakers_cmd  # noqa: F401, I001, E501
from .app import app


def main() -> None:
    app(prog_name="qcode")


__all__ = ["app", "main"]
