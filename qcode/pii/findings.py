"""What a scan finds: a likely identifier, its kind and why it was flagged."""

from __future__ import annotations

from dataclasses import dataclass, replace

# Kinds in the order the scan report and the evaluation list them.
KINDS = ("name", "phone", "dni", "id", "email", "address", "birth_date", "file_number",
         "plate")

# Placeholder stems per language (`[PERSONA_1]`, `[PERSON_1]` ...); other languages use English.
PLACEHOLDERS = {
    "es": {"name": "PERSONA", "phone": "TELÉFONO", "dni": "DNI", "id": "DOCUMENTO",
           "email": "CORREO", "address": "DIRECCIÓN", "birth_date": "FECHA_NACIMIENTO",
           "file_number": "EXPEDIENTE", "plate": "PLACA"},
    "en": {"name": "PERSON", "phone": "PHONE", "dni": "DNI", "id": "ID_NUMBER",
           "email": "EMAIL", "address": "ADDRESS", "birth_date": "BIRTH_DATE",
           "file_number": "FILE_NUMBER", "plate": "PLATE"},
}


@dataclass(frozen=True)
class Finding:
    """`text[start:end]` is likely an identifier of `kind`; `reason` says why."""

    start: int
    end: int
    text: str
    kind: str
    reason: str
    line: int = 0

    def as_dict(self) -> dict:
        return {"line": self.line, "kind": self.kind, "text": self.text,
                "reason": self.reason, "start": self.start, "end": self.end}


def with_lines(text: str, findings: list[Finding]) -> list[Finding]:
    """The findings with their 1-based line numbers in `text`."""
    out, line, position = [], 1, 0
    for f in sorted(findings, key=lambda f: f.start):
        line += text.count("\n", position, f.start)
        position = f.start
        out.append(replace(f, line=line))
    return out


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep one finding per stretch of text: the earliest, then the longest."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):  # same start: longest first
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept
