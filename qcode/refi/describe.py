"""A code's qcode-only fields written into its REFI-QDA Description, readably, and read back.

NVivo, ATLAS.ti and MAXQDA show a code's Description as its memo, so the criteria appear
there as a researcher would write them:

    Phones brought in by people who visit inmates.

    Include:
    Visitors hiding phones, SIMs or chargers.

    Exclude:
    A guard letting a visitor through for money (route.staff).

    Examples:
    - La mamá traía el celular dentro del pan.

    Patterns:
    es: ["visitante", "día de visita"]

    qcode id: route.visitors

A Description without these headings is all definition (what other tools write).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_HEADINGS = ("Include:", "Exclude:", "Examples:", "Patterns:")
_ID_LINE = re.compile(r"^qcode id: (\S+)$")
_COLOUR_LINE = re.compile(r"^qcode colour: (\S+)$")
_PATTERN_LINE = re.compile(r"^([a-z]{2,3}): (\[.*\])$")


@dataclass
class CodeFields:
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    patterns: dict[str, list[Any]] = field(default_factory=dict)
    code_id: str | None = None
    colour: str | None = None  # a colour REFI-QDA cannot carry (a name such as "red")


def write(fields: CodeFields) -> str:
    blocks = [fields.definition] if fields.definition else []
    if fields.include:
        blocks.append(f"Include:\n{fields.include}")
    if fields.exclude:
        blocks.append(f"Exclude:\n{fields.exclude}")
    if fields.examples:
        blocks.append("Examples:\n" + "\n".join(
            "- " + example.replace("\n", "\n  ") for example in fields.examples))
    if fields.patterns:
        blocks.append("Patterns:\n" + "\n".join(
            f"{language}: {json.dumps(patterns, ensure_ascii=False)}"
            for language, patterns in sorted(fields.patterns.items())))
    trailer = []
    if fields.code_id:
        trailer.append(f"qcode id: {fields.code_id}")
    if fields.colour:
        trailer.append(f"qcode colour: {fields.colour}")
    if trailer:
        blocks.append("\n".join(trailer))
    return "\n\n".join(blocks)


def read(text: str | None) -> CodeFields:
    """The fields written by `write`; anything else is the definition."""
    fields = CodeFields()
    lines = (text or "").replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and (_ID_LINE.match(lines[-1]) or _COLOUR_LINE.match(lines[-1])):
        if match := _ID_LINE.match(lines[-1]):
            fields.code_id = match.group(1)
        elif match := _COLOUR_LINE.match(lines[-1]):
            fields.colour = match.group(1)
        lines.pop()
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in lines:
        if line in _HEADINGS and line not in sections:
            current = line
            sections[current] = []
        else:
            sections[current].append(line)
    fields.definition = "\n".join(sections[""]).strip()
    fields.include = "\n".join(sections.get("Include:", [])).strip()
    fields.exclude = "\n".join(sections.get("Exclude:", [])).strip()
    examples: list[str] = []
    for line in sections.get("Examples:", []):
        if line.startswith("- "):
            examples.append(line[2:])
        elif line.startswith("  ") and examples:
            examples[-1] += "\n" + line[2:]
    fields.examples = examples
    for line in sections.get("Patterns:", []):
        if match := _PATTERN_LINE.match(line):
            try:
                fields.patterns[match.group(1)] = json.loads(match.group(2))
            except json.JSONDecodeError:
                fields.definition += f"\n{line}"
    return fields
