"""Running every detector over a text, a transcript file or a project's documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .allowlist import Allowlist
from .findings import Finding, resolve_overlaps, with_lines
from .names import label_is_name, names
from .patterns import DETECTORS, DigitWindows

# Where two findings overlap the earlier, then the longer, is kept; between findings of the
# same start and length, shapes (e-mail, file number, DNI, phone ...) win over names.
_PRIORITY = {"email": 0, "file_number": 1, "dni": 2, "id": 2, "phone": 3, "plate": 4,
             "birth_date": 5, "address": 6, "name": 7}


@dataclass
class ScanResult:
    """The findings in one source (a file or a stored document)."""

    source: str
    language: str
    findings: list[Finding] = field(default_factory=list)
    words: int = 0


def scan_text(text: str, allow: Allowlist | None = None, *,
              speakers: Iterable[tuple[str, int]] = (), nlp=None) -> list[Finding]:
    """Likely identifiers in `text`, in text order, with line numbers.

    `speakers` are (label, offset of the label in text) pairs: a label that is a personal
    name is a finding even where the text detectors would not flag it (see `label_is_name`).
    `nlp` is an optional trained spaCy pipeline whose PERSON/PER entities are added.
    """
    allow = allow if allow is not None else Allowlist()
    found: list[Finding] = []
    windows = DigitWindows(text)
    for detector in DETECTORS:
        found.extend(detector(text, windows))
    found.extend(names(text, allow))
    for label, offset in speakers:
        reason = label_is_name(label)
        if reason and label not in allow:
            found.append(Finding(offset, offset + len(label), label, "name", reason))
    if nlp is not None:
        found.extend(_entities(text, nlp, allow))
    found.sort(key=lambda f: _PRIORITY[f.kind])
    return with_lines(text, resolve_overlaps(_drop_allowed(found, allow)))


def _drop_allowed(found: list[Finding], allow: Allowlist) -> list[Finding]:
    return [f for f in found if f.kind != "name" or f.text not in allow]


def _entities(text: str, nlp, allow: Allowlist) -> list[Finding]:
    doc = nlp(text)
    return [Finding(e.start_char, e.end_char, e.text, "name", f"{e.label_} entity of the model")
            for e in doc.ents if e.label_ in ("PER", "PERSON") and e.text not in allow]


def label_offsets(text: str, turns: Iterable[tuple[str | None, int]]) -> list[tuple[str, int]]:
    """(label, offset) of each distinct speaker label as it stands in the text, from
    (speaker, start of the turn's words) pairs: the label is on the line before `start`."""
    labels: dict[str, int] = {}
    for speaker, start in turns:
        if not speaker or speaker in labels:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        at = text.find(speaker, line_start, start)
        if at >= 0:
            labels[speaker] = at
    return list(labels.items())


def speaker_labels(text: str, language: str, turns=None) -> list[tuple[str, int]]:
    """The speaker labels of `text` as `qcode import` segments it into turns."""
    from ..importers import segment

    spans, _ = segment(text, "turn", language, turns)
    return label_offsets(text, ((span.speaker, span.start) for span in spans))


def scan_file(path: Path, allow: Allowlist | None = None, *, language: str = "es",
              encoding: str | None = None, nlp=None) -> ScanResult:
    """Scan a transcript file as `qcode import` would read it (same errors for bad files).
    Front-matter attribute values are scanned too."""
    from ..importers import read_document

    doc = read_document(path, encoding)
    lang = doc.language or language
    return scan_parsed(doc.text, str(path), lang, allow, turns=doc.turns, nlp=nlp,
                       extra=[f"{k}: {v}" for k, v in doc.attributes.items()])


def scan_parsed(text: str, source: str, language: str, allow: Allowlist | None = None, *,
                turns=None, nlp=None, extra: Sequence[str] = ()) -> ScanResult:
    findings = scan_text(text, allow, speakers=speaker_labels(text, language, turns), nlp=nlp)
    for line in extra:  # front matter: reported on line 0 ("before the text")
        findings.extend(replace(f, reason=f.reason + " (front matter)", line=0)
                        for f in scan_text(line, allow))
    findings.sort(key=lambda f: (f.line, f.start))
    return ScanResult(source, language, findings, len(text.split()))


def scan_documents(conn: sqlite3.Connection, names: Sequence[str], allow: Allowlist,
                   nlp=None) -> list[ScanResult]:
    from ..documents import get_document

    results = []
    for name in names:
        doc = get_document(conn, name)
        labels = _stored_labels(conn, doc["id"], doc["text"])
        findings = scan_text(doc["text"], allow, speakers=labels, nlp=nlp)
        results.append(ScanResult(name, doc["language"], findings, len(doc["text"].split())))
    return results


def _stored_labels(conn: sqlite3.Connection, doc_id: int, text: str) -> list[tuple[str, int]]:
    rows = conn.execute('SELECT speaker, start FROM segment WHERE document_id = ? ORDER BY '
                        "ordinal", (doc_id,))
    return label_offsets(text, ((row["speaker"], row["start"]) for row in rows))


def scan_targets(conn: sqlite3.Connection | None, targets: Sequence[str], allow: Allowlist, *,
                 language: str = "es", nlp=None, encoding: str | None = None
                 ) -> list[ScanResult]:
    """Each target is a transcript file, a folder of them, or (with a project) a document
    name; files are read exactly as `qcode import` reads them, with the same errors."""
    from ..errors import InputError
    from ..importers import SUPPORTED, collect_paths

    results: list[ScanResult] = []
    if not targets:
        raise InputError("name transcript files, folders or documents to scan")
    for target in targets:
        path = Path(target)
        is_doc = conn is not None and not path.exists() and conn.execute(
            "SELECT 1 FROM document WHERE name = ?", (target,)).fetchone()
        if is_doc:
            results.extend(scan_documents(conn, [target], allow, nlp))
            continue
        if not path.exists() and path.suffix.lower() not in SUPPORTED and conn is not None:
            from ..documents import get_document

            # an unambiguous prefix names a document too; else "no document ... did you mean"
            results.extend(scan_documents(conn, [get_document(conn, target)["name"]], allow,
                                          nlp))
            continue
        for file in collect_paths([path]):
            results.append(scan_file(file, allow, language=language, encoding=encoding,
                                     nlp=nlp))
    return results


def findings_in_passages(passages: Iterable[str], allow: Allowlist | None = None
                         ) -> list[tuple[int, list[Finding]]]:
    """(index, findings) for each passage that still holds a likely identifier: what
    `export quotes`, `report` and the REFI-QDA export warn about before writing."""
    out = []
    for index, passage in enumerate(passages):
        found = scan_text(passage, allow)
        if found:
            out.append((index, found))
    return out


def passage_warnings(passages: Iterable[tuple[str, object, str]], allow: Allowlist | None = None,
                     limit: int = 10) -> list[str]:
    """One warning per distinct (document, segment, text) passage that still holds a likely
    identifier, at most `limit` of them plus a count of the rest."""
    unique = list(dict.fromkeys((str(d), str(s), t) for d, s, t in passages))
    flagged = findings_in_passages((text for _, _, text in unique), allow)
    lines = []
    for index, found in flagged[:limit]:
        document, segment, _ = unique[index]
        listed = ", ".join(f"{f.kind} '{f.text}'" for f in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        lines.append(f"{document}, segment {segment}: the passage still holds a likely "
                     f"identifier: {listed}{more}")
    if len(flagged) > limit:
        lines.append(f"... and {len(flagged) - limit} more passages with likely identifiers")
    if flagged:
        lines.append("check them (`qcode pii scan DOC`), add harmless terms with `qcode pii "
                     "allow TERM`, or import a redacted copy (`qcode pii redact`)")
    return lines


def load_model(name: str):
    """A trained spaCy pipeline for `--model`, with a clear error when it is not installed."""
    from ..errors import InputError

    try:
        import spacy

        return spacy.load(name)
    except OSError as exc:
        raise InputError(f"--model {name}: cannot load this spaCy pipeline ({exc}); install "
                         "it or leave --model out to scan with the built-in rules") from None
