"""The anonymisation check of `qcode import`: a file with likely identifiers is refused
unless `--allow-pii` is given, and documents let through that way are recorded."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence

from ..errors import InputError
from ..store import now
from .allowlist import Allowlist, project_allowlist
from .findings import Finding
from .scan import label_offsets, scan_text

SHOWN = 10  # findings listed in the refusal; `qcode pii scan` lists them all


class PiiFoundError(InputError):
    """Files refused at import because they hold likely identifiers."""

    def __init__(self, refused: list[tuple[str, list[Finding]]]):
        self.refused = refused
        total = sum(len(found) for _, found in refused)
        lines = [f"{len(refused)} file{'s' if len(refused) > 1 else ''} refused: {total} "
                 f"likely identifier{'s' if total > 1 else ''} that escaped anonymisation"]
        shown = 0
        for source, found in refused:
            lines.append(f"{source}:")
            for finding in found[:max(0, SHOWN - shown)]:
                lines.append(f"  line {finding.line}: {finding.kind} '{finding.text}' "
                             f"({finding.reason})")
            shown += min(len(found), max(0, SHOWN - shown))
        if total > shown:
            lines.append(f"  ... and {total - shown} more; `qcode pii scan FILE` lists them all")
        lines.append("Either import a pseudonymised copy (`qcode pii redact FILE -o COPY.txt "
                     "--key KEY.csv`, with the key kept outside the project), or, after checking "
                     "that these are not identifiers, import with --allow-pii (`qcode pii allow "
                     "TERM` stops a harmless word from being flagged again)")
        super().__init__("\n".join(lines))


def check_import(conn: sqlite3.Connection, parsed: Sequence[tuple], allow_pii: bool
                 ) -> dict[str, int]:
    """Scan each new document (ParsedDocument, spans, findings a reading worker made already
    or None, the text's sha256 when known or None); refuse them all with the findings
    unless `allow_pii`. Returns {document name: number of findings}."""
    allow = project_allowlist(conn)
    counts: dict[str, int] = {}
    refused: list[tuple[str, list[Finding]]] = []
    for doc, spans, found, sha in parsed:
        sha = sha or hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        if conn.execute("SELECT 1 FROM document WHERE sha256 = ?", (sha,)).fetchone():
            continue  # already in the project: nothing new is stored
        if found is None:
            found = document_findings(doc, spans, allow)
        counts[doc.name] = len(found)
        if found:
            refused.append((str(doc.source), found))
    if refused and not allow_pii:
        raise PiiFoundError(refused)
    return counts


def document_findings(doc, spans: Sequence, allow: Allowlist) -> list[Finding]:
    """Likely identifiers in a parsed document's text, its speaker labels and attributes."""
    found = scan_text(doc.text, allow, speakers=label_offsets(
        doc.text, ((span.speaker, span.start) for span in spans)))
    for key, value in doc.attributes.items():
        found.extend(scan_text(f"{key}: {value}", allow))
    return found


def record_allowed(conn: sqlite3.Connection, name: str, findings: int) -> None:
    """Remember that `name` was imported with --allow-pii while holding `findings`."""
    conn.execute("INSERT INTO pii_allowed_document (document_id, findings, allowed_at)"
                 " SELECT id, ?, ? FROM document WHERE name = ?"
                 " ON CONFLICT (document_id) DO UPDATE SET findings = excluded.findings",
                 (findings, now(), name))


def allowed_documents(conn: sqlite3.Connection) -> list[str]:
    """The names of the documents imported with --allow-pii, in order."""
    return [r[0] for r in conn.execute(
        "SELECT d.name FROM pii_allowed_document p JOIN document d ON d.id = p.document_id"
        " ORDER BY d.name")]
