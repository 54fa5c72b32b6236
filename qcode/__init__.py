"""qcode: code qualitative interviews from the command line or from Python.

    >>> from qcode import Project
    >>> project = Project.init("study", language="es")
    >>> project.import_files(["transcripts_sample"])

Names are imported on first use so that `qcode --help` does not pay for pydantic or YAML.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"
_WHERE = {
    "Project": "project", "Codebook": "codebook", "load_codebook": "codebook",
    "validate_codebook": "codebook", "QcodeError": "errors", "ProjectError": "errors",
    "InputError": "errors", "NotFoundError": "errors", "CodebookError": "errors",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'qcode' has no attribute '{name}'")
