"""Pseudonymising a transcript: each distinct identifier becomes a stable placeholder
(`[PERSONA_1]`, `[TELÉFONO_2]`, `[PERSON_1]` ... in the document's language), so the same
person stays the same person across the file. Everything else is left exactly as it was."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .allowlist import Allowlist, plain
from .findings import PLACEHOLDERS, Finding
from .names import TITLES


@dataclass
class KeyEntry:
    placeholder: str
    kind: str
    original: str
    lines: list[int] = field(default_factory=list)


@dataclass
class Redaction:
    text: str
    findings: list[Finding]
    key: list[KeyEntry]


_TITLE_WORDS = {plain(t) for t in TITLES}


def _identity(finding: Finding) -> tuple[str, ...]:
    """What makes two mentions the same identifier."""
    if finding.kind in ("phone", "dni", "id"):
        digits = re.sub(r"\D", "", finding.text)
        if finding.kind == "phone" and digits.startswith("51") and len(digits) == 11:
            digits = digits[2:]
        return (digits or plain(finding.text),)
    if finding.kind == "name":
        words = re.findall(r"[\w'’-]+", plain(finding.text).removesuffix("'s"))
        return tuple(w for w in words if w not in _TITLE_WORDS and w not in
                     ("de", "del", "la", "las", "los")) or (plain(finding.text),)
    return (re.sub(r"\W+", "", plain(finding.text)),)


def every_mention(text: str, findings: list[Finding]) -> list[Finding]:
    """The findings plus every other whole-word occurrence of the same strings, so that a
    name flagged once (or a speaker label) is replaced wherever it recurs."""
    from .findings import resolve_overlaps, with_lines

    strings = {f.text: f for f in findings if len(f.text) >= 3}
    if not strings:
        return findings
    # a string sorts after its own prefixes: the longest of those that match is tried first
    pattern = re.compile(r"(?<![\w@.])(?:" + "|".join(
        re.escape(s) for s in sorted(strings, reverse=True)) + r")(?![\w@])")
    extra = [Finding(m.start(), m.end(), m.group(0), strings[m.group(0)].kind,
                     f"same text as line {strings[m.group(0)].line}")
             for m in pattern.finditer(text)]
    return with_lines(text, resolve_overlaps([*findings, *extra]))


def redact_text(text: str, findings: list[Finding], language: str = "es") -> Redaction:
    """`text` with each finding, and every recurrence of its text, replaced by its
    placeholder; and the key to them, numbered per kind in order of first appearance."""
    findings = every_mention(text, findings)
    stems = PLACEHOLDERS.get(language, PLACEHOLDERS["en"])
    groups = sorted(_identifiers(findings), key=lambda group: min(f.start for f in group))
    key: list[KeyEntry] = []
    placeholders: dict[Finding, str] = {}
    counters: dict[str, int] = {}
    for group in groups:
        group.sort(key=lambda f: f.start)
        kind = group[0].kind
        counters[kind] = counters.get(kind, 0) + 1
        key.append(KeyEntry(f"[{stems[kind]}_{counters[kind]}]", kind, group[0].text,
                            [f.line for f in group]))
        placeholders.update(dict.fromkeys(group, key[-1].placeholder))
    parts, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        parts += [text[position:finding.start], placeholders[finding]]
        position = finding.end
    parts.append(text[position:])
    return Redaction("".join(parts), findings, key)


def _identifiers(findings: list[Finding]) -> list[list[Finding]]:
    """The findings grouped by the identifier they mention: same kind and identity, or for
    names, words all found in a fuller name (Quispe in Juan Quispe Mamani)."""
    groups: list[list[Finding]] = []
    by_identity: dict[tuple[str, ...], list[Finding]] = {}
    people: list[tuple[set[str], list[Finding]]] = []
    for finding in sorted(findings, key=lambda f: -(f.end - f.start)):  # full names first
        ident = _identity(finding)
        group = by_identity.get((finding.kind, *ident))
        if group is None and finding.kind == "name":
            group = next((g for words, g in people if set(ident) <= words), None)
        if group is None:
            group = []
            groups.append(group)
            if finding.kind == "name":
                people.append((set(ident), group))
        by_identity[(finding.kind, *ident)] = group
        group.append(finding)
    return groups


def key_csv(key: list[KeyEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["placeholder", "kind", "original", "occurrences", "lines"])
    for entry in key:
        writer.writerow([entry.placeholder, entry.kind, entry.original, len(entry.lines),
                         " ".join(str(n) for n in entry.lines)])
    return buffer.getvalue()


_STOPWORDS = {
    "es": frozenset("el la los las de del que y en un una por para con no es se lo su".split()),
    "en": frozenset("the of and to in is that it was for on with as you he they".split()),
}


def guess_language(text: str) -> str | None:
    """"es" or "en" by which language's commonest words the text's first 20,000 characters
    use more (at least 20 of them, and twice as many as the other's); None when unclear."""
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=counts.__getitem__)
    other = min(counts.values())
    return best if counts[best] >= 20 and counts[best] >= 2 * other else None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_key_path(key: Path, project_folder: Path | None, source: Path, out: Path) -> None:
    if project_folder is not None and _inside(key, project_folder):
        raise InputError(f"--key {key}: inside the project folder {project_folder}; the key "
                         "undoes the pseudonymisation, so keep it outside the project (it "
                         "must not travel with it), e.g. --key ~/keys/interview_key.csv")
    if key.resolve() in (source.resolve(), out.resolve()):
        raise InputError(f"--key {key}: give the key its own file, not the transcript or -o")


def redact_file(path: Path, out: Path, *, key: Path | None = None,
                allow: Allowlist | None = None, language: str | None = None,
                default_language: str = "es", project_folder: Path | None = None,
                encoding: str | None = None) -> Redaction:
    """Write a pseudonymised copy of a transcript to `out` (UTF-8), and the key to `key`.

    The placeholders' language is `language`, else the front matter's, else the one whose
    common words the text uses most (Spanish or English), else `default_language`.
    Text files (.txt .md .vtt .srt) keep every other character exactly; a .docx is written
    out as the plain text `qcode import` reads from it (give -o FILE.txt or .md).
    """
    from ..exporters.files import write_atomic
    from ..importers import SUPPORTED, read_document
    from ..importers.decoding import decode
    from .scan import scan_text, speaker_labels

    if path.suffix.lower() not in SUPPORTED:
        raise InputError(f"{path}: unsupported file type '{path.suffix or '(none)'}'; "
                         f"qcode imports {', '.join(SUPPORTED)}")
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    if out.resolve() == path.resolve():
        raise InputError(f"-o {out}: that is the original; write the redacted copy to a new "
                         "file and keep the original somewhere safe")
    if key is not None:
        check_key_path(key, project_folder, path, out)
    doc = read_document(path, encoding)  # the same checks and errors as `qcode import`
    if path.suffix.lower() == ".docx":
        if out.suffix.lower() not in (".txt", ".md"):
            raise InputError(f"-o {out}: a .docx is redacted to plain text; name the output "
                             "FILE.txt or FILE.md")
        text = doc.text
    else:
        # the bytes as they are (read_document has checked them, normalised): CRLF stays
        text, _ = decode(path.read_bytes(), path, encoding)
    lang = language or doc.language or guess_language(text) or default_language
    findings = scan_text(text, allow, speakers=speaker_labels(text, lang))
    result = redact_text(text, findings, lang)
    write_atomic(out, result.text)
    if key is not None:
        write_atomic(key, key_csv(result.key))
    return result
