"""The exceptions qcode raises. The CLI turns each into one red line and exit code 1."""

from __future__ import annotations


class QcodeError(Exception):
    """A problem the user can fix; the message says what is wrong and what to do."""


class ProjectError(QcodeError):
    """No project, or a file that is not a qcode project this version can open."""


class InputError(QcodeError):
    """A file, argument or CSV row that qcode cannot accept."""


class NotFoundError(QcodeError):
    """A document, segment, code or coding that does not exist in the project."""


class CodebookError(QcodeError):
    """A codebook with one or more problems; `problems` holds every one of them."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        first = problems[0] if problems else "invalid codebook"
        extra = len(problems) - 1
        more = (f" (and {extra} more problem{'s' if extra > 1 else ''}; `qcode codebook "
                "validate FILE` lists them all)") if extra else ""
        super().__init__(first + more)
