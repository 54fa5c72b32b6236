"""Reading a REFI-QDA project (.qdpx) from any tool into plain records, leniently.

Every deviation from the standard that qcode works around becomes a warning saying what
was done: a .qde not named project.qde, `plainTextPath` without `internal://`, CRLF or a
BOM in a source (positions mapped with the convention the selections agree with), colours
with alpha, sources without a name, zero-length or reversed selections, sources whose plain
text is empty (read from the .docx), codings on codes that have sub-codes. The archive
and its XML are opened with `qcode.archive` (sizes, zip-slip, links and DTDs checked).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..archive import DEFAULT_LIMITS, ZipLimits, open_zip, parse_xml, read_member
from ..codebook import ID_PATTERN
from ..errors import InputError
from ..importers.decoding import decode
from . import coders as coder_marks
from . import describe, positions

PROJECT_NS = "urn:QDA-XML:project:1.0"
WHAT = "REFI-QDA project"
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12})\}?$")
_COLOUR = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
FALLBACK_CODER = "unknown coder"


@dataclass
class Note:
    guid: str
    name: str
    text: str
    author: str | None
    created: str | None

    @property
    def memo_text(self) -> str:
        """The memo as qcode stores it: a foreign note's title stays as its first line."""
        from .export import CODING_MEMO, MEMO

        if not self.name or self.name in (MEMO, CODING_MEMO) or self.text.startswith(self.name):
            return self.text
        return f"{self.name}\n\n{self.text}" if self.text else self.name


@dataclass
class Code:
    guid: str
    id: str
    name: str
    parent: str | None
    fields: describe.CodeFields
    color: str | None
    codable: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class Coding:
    code: str  # qcode code id
    coder: str
    created: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class Selection:
    start: int
    end: int
    codings: list[Coding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    description: str | None = None
    author: str | None = None


@dataclass
class Source:
    guid: str
    name: str
    member: str
    text: str
    created: str | None
    attributes: dict[str, str] = field(default_factory=dict)
    selections: list[Selection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    description: str | None = None
    author: str | None = None


@dataclass
class Bundle:
    path: Path
    name: str
    origin: str
    users: dict[str, str] = field(default_factory=dict)
    consensus: set[str] = field(default_factory=set)
    codes: list[Code] = field(default_factory=list)
    code_guids: dict[str, Code] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    project_notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def norm_guid(value: str | None) -> str | None:
    match = _GUID.match((value or "").strip())
    return match.group(1).upper() if match else None


def colour(value: str | None, where: str, warnings: list[str]) -> str | None:
    """#rrggbb from #rgb, #rrggbb, or 8 digits with alpha (#aarrggbb, or #rrggbbaa when the
    last pair is the opaque ff); None with a warning for anything else."""
    if not value:
        return None
    match = _COLOUR.match(value.strip())
    if not match:
        warnings.append(f"{where}: colour '{value}' is not #rrggbb; left out")
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    if len(digits) == 8:
        rgb = digits[:6] if digits[6:] == "ff" and digits[:2] != "ff" else digits[2:]
        warnings.append(f"{where}: colour '{value}' has an alpha channel; qcode keeps "
                        f"#{rgb} (colours are opaque in qcode)")
        digits = rgb
    return f"#{digits}"


def slug(name: str) -> str:
    """A code id from a code name: ASCII letters, digits, _ and -, keeping the dots of a
    dotted name (Taguette names flat codes by their path, e.g. `route.visitors`)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = [re.sub(r"[^A-Za-z0-9_\-]+", "_", part).strip("_-").lower()
             for part in ascii_name.split(".")]
    return ".".join(p for p in parts if p) or "code"


def dotted_parent(code_id: str, parent: str | None, ids: set[str]) -> str | None:
    """A top-level code named like `a.b` goes under code `a` when there is one."""
    if parent is None and "." in code_id:
        prefix = code_id.rsplit(".", 1)[0]
        if prefix in ids:
            return prefix
    return parent


class _Reader:
    def __init__(self, path: Path, limits: ZipLimits):
        self.path, self.limits = path, limits
        self.warnings: list[str] = []

    def tag(self, element) -> str:
        return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""

    def kids(self, element, name: str) -> list:
        return [child for child in element if self.tag(child) == name]

    def kid(self, element, name: str):
        found = self.kids(element, name)
        return found[0] if found else None

    def text_of(self, element, name: str) -> str | None:
        child = self.kid(element, name)
        return child.text if child is not None and child.text is not None else None

    def refs(self, element, name: str = "NoteRef") -> list[str]:
        return [g for ref in self.kids(element, name) if (g := norm_guid(ref.get("targetGUID")))]


def read_qdpx(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> Bundle:
    """The project in `path`; InputError (one line) when it cannot or must not be read."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    reader = _Reader(path, limits)
    with open_zip(path, WHAT, limits) as archive:
        members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        qde = _find_qde(path, list(members), reader.warnings)
        root = parse_xml(read_member(archive, qde, path, WHAT, limits), f"{path}:{qde}")
        _check_root(root, path, qde, reader.warnings)
        bundle = Bundle(path, root.get("name") or path.stem, root.get("origin") or "")
        bundle.warnings = reader.warnings

        def member(name: str) -> bytes:
            return read_member(archive, name, path, WHAT, limits)

        _users(reader, root, bundle)
        _notes(reader, root, bundle, members, member)
        _codes(reader, root, bundle)
        variables = _variables(reader, root)
        case_values = _cases(reader, root, variables)
        sources = reader.kid(root, "Sources")
        for element in ([] if sources is None else list(sources)):
            kind = reader.tag(element)
            if kind == "TextSource":
                source = _text_source(reader, element, bundle, members, member)
            elif kind == "PDFSource" and reader.kid(element, "Representation") is not None:
                source = _text_source(reader, reader.kid(element, "Representation"), bundle,
                                      members, member, fallback_name=element.get("name"))
            else:
                bundle.warnings.append(f"{path}: {kind} '{element.get('name') or ''}' skipped: "
                                       "qcode imports text sources only")
                continue
            if source is None:
                continue
            taken = {s.name for s in bundle.sources}
            if source.name in taken:
                renamed = next(f"{source.name} ({n})" for n in range(2, len(taken) + 3)
                               if f"{source.name} ({n})" not in taken)
                bundle.warnings.append(f"{path}: two sources are named '{source.name}'; the "
                                       f"second is imported as '{renamed}'")
                source.name = renamed
            guid = norm_guid(element.get("guid"))
            source.attributes.update(_values(reader, element, variables))
            for name, value in case_values.get(guid, {}).items():
                source.attributes.setdefault(name, value)
            bundle.sources.append(source)
    bundle.project_notes = reader.refs(root)
    referenced = set(bundle.project_notes)
    for item in [*bundle.codes, *bundle.sources]:
        referenced |= set(item.notes)
    for source in bundle.sources:
        for selection in source.selections:
            referenced |= set(selection.notes)
            for coding in selection.codings:
                referenced |= set(coding.notes)
    bundle.project_notes += [g for g in bundle.notes if g not in referenced]
    for guid in list(bundle.project_notes):
        note = bundle.notes.get(guid)
        if note and note.name == coder_marks.CONSENSUS_NOTE:
            bundle.consensus |= coder_marks.from_note(note.text)
            bundle.project_notes.remove(guid)
    named = {n for n in bundle.users.values() if coder_marks.looks_like_consensus(n)}
    if named - bundle.consensus:
        bundle.warnings.append(f"{path}: user(s) {', '.join(sorted(named - bundle.consensus))} "
                               "taken as consensus coder(s) from the name")
        bundle.consensus |= named
    return bundle


def _find_qde(path: Path, names: list[str], warnings: list[str]) -> str:
    at_root = [n for n in names if "/" not in n.strip("/") and n.lower().endswith(".qde")]
    if "project.qde" in at_root:
        if len(at_root) > 1:
            warnings.append(f"{path}: several .qde files; read project.qde")
        return "project.qde"
    if len(at_root) == 1:
        warnings.append(f"{path}: the project is in {at_root[0]} (the standard name is "
                        "project.qde); read it")
        return at_root[0]
    if at_root:
        raise InputError(f"{path}: the {WHAT} holds several .qde files ({', '.join(at_root)}) "
                         "and none is project.qde; qcode cannot tell which is the project")
    raise InputError(f"{path}: not a {WHAT}: no project.qde (or other .qde file) at the top "
                     "of the archive; export it again as REFI-QDA (.qdpx)")


def _check_root(root, path: Path, qde: str, warnings: list[str]) -> None:
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local != "Project" or not namespace.startswith("urn:QDA-XML:project:"):
        raise InputError(f"{path}:{qde}: not REFI-QDA project XML (the root element is "
                         f"<{local}> in namespace '{namespace or 'none'}', expected <Project> "
                         f"in {PROJECT_NS})")
    if namespace != PROJECT_NS:
        warnings.append(f"{path}: namespace {namespace} (not {PROJECT_NS}); read as 1.0")


def _users(reader: _Reader, root, bundle: Bundle) -> None:
    users = reader.kid(root, "Users")
    for user in ([] if users is None else reader.kids(users, "User")):
        guid = norm_guid(user.get("guid"))
        if guid:
            bundle.users[guid] = (user.get("name") or user.get("id") or f"user {guid[:8]}").strip()


def coder_name(bundle: Bundle, *guids_: str | None) -> str:
    """The User named by the first known GUID; else the only user; else FALLBACK_CODER."""
    for value in guids_:
        guid = norm_guid(value)
        if guid and guid in bundle.users:
            return bundle.users[guid]
    if len(bundle.users) == 1:
        return next(iter(bundle.users.values()))
    return FALLBACK_CODER


def _notes(reader: _Reader, root, bundle: Bundle, members, member) -> None:
    notes = reader.kid(root, "Notes")
    for note in ([] if notes is None else reader.kids(notes, "Note")):
        guid = norm_guid(note.get("guid"))
        if not guid:
            continue
        text = reader.text_of(note, "PlainTextContent")
        if text is None and note.get("plainTextPath"):
            found = _member_for(note.get("plainTextPath"), members)
            text = decode(member(found), Path(found))[0] if found else None
        if text is None:
            text = reader.text_of(note, "Description") or ""
        author = note.get("creatingUser") or note.get("modifyingUser")
        bundle.notes[guid] = Note(guid, note.get("name") or "",
                                  text.lstrip("\ufeff"),
                                  coder_name(bundle, author) if author else None,
                                  note.get("creationDateTime"))


def _codes(reader: _Reader, root, bundle: Bundle) -> None:
    book = reader.kid(root, "CodeBook")
    codes = reader.kid(book, "Codes") if book is not None else None
    taken: set[str] = set()

    def walk(element, parent: Code | None) -> None:
        for child in reader.kids(element, "Code"):
            guid = norm_guid(child.get("guid"))
            name = (child.get("name") or "").strip() or "unnamed code"
            fields = describe.read(reader.text_of(child, "Description"))
            code_id = fields.code_id if fields.code_id and ID_PATTERN.match(fields.code_id) \
                else _free_id((f"{parent.id}." if parent else "") + slug(name), taken)
            if code_id in taken:
                code_id = _free_id(code_id, taken)
            taken.add(code_id)
            where = f"{reader.path}: code '{name}'"
            chosen = fields.colour or colour(child.get("color"), where, bundle.warnings)
            code = Code(guid or code_id, code_id, name, parent.id if parent else None, fields,
                        chosen, child.get("isCodable", "true").strip().lower() != "false",
                        reader.refs(child))
            bundle.codes.append(code)
            bundle.code_guids[code.guid] = code
            walk(child, code)

    if codes is not None:
        walk(codes, None)
    ids = {code.id for code in bundle.codes}
    for code in bundle.codes:
        code.parent = dotted_parent(code.id, code.parent, ids)


def _free_id(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}_{number}" in taken:
        number += 1
    return f"{wanted}_{number}"


def _variables(reader: _Reader, root) -> dict[str, str]:
    variables = reader.kid(root, "Variables")
    return {g: (v.get("name") or "").strip() for v in
            ([] if variables is None else reader.kids(variables, "Variable"))
            if (g := norm_guid(v.get("guid"))) and (v.get("name") or "").strip()}


def _values(reader: _Reader, element, variables: dict[str, str]) -> dict[str, str]:
    values = {}
    for holder in reader.kids(element, "VariableValue"):
        ref = reader.kid(holder, "VariableRef")
        name = variables.get(norm_guid(ref.get("targetGUID") if ref is not None else None) or "")
        value = next((child.text for child in holder if reader.tag(child).endswith("Value")
                      and child.text is not None), None)
        if name and value is not None and value.strip():
            values[name] = value.strip()
    return values


def _cases(reader: _Reader, root, variables: dict[str, str]) -> dict[str, dict[str, str]]:
    """Variable values given to sources through Cases (NVivo, MAXQDA, Quirkos); a named case
    also gives its sources the attribute `case`."""
    out: dict[str, dict[str, str]] = {}
    cases = reader.kid(root, "Cases")
    for case in ([] if cases is None else reader.kids(cases, "Case")):
        values = _values(reader, case, variables)
        if case.get("name"):
            values.setdefault("case", case.get("name").strip())
        for guid in reader.refs(case, "SourceRef"):
            out.setdefault(guid, {}).update(values)
    return out


def _member_for(reference: str | None, members: dict) -> str | None:
    """The archive member a source path names: `internal://X` is sources/X; a bare name is
    looked up in sources/ and at the root (case-insensitively, as tools differ)."""
    if not reference:
        return None
    name = reference.split("://", 1)[1] if "://" in reference else reference
    name = name.lstrip("/")
    lowered = {m.replace("\\", "/").lower(): m for m in members}  # some zippers write backslashes
    for candidate in (f"sources/{name}", name, f"sources/{PurePosixPath(name).name}"):
        if candidate.lower() in lowered:
            return lowered[candidate.lower()]
    return None


def _text_source(reader: _Reader, element, bundle: Bundle, members, member,
                 fallback_name: str | None = None) -> Source | None:
    path = reader.path
    guid = norm_guid(element.get("guid")) or ""
    plain = element.get("plainTextPath")
    rich = element.get("richTextPath")
    name = (element.get("name") or fallback_name or "").strip()
    if not name:
        stem = PurePosixPath((plain or rich or "").split("://")[-1]).stem
        name = stem or f"source {guid[:8]}"
        bundle.warnings.append(f"{path}: a text source has no name; named it '{name}' after "
                               "its file")
    where = f"{path}: source '{name}'"
    raw_text: str | None = None
    has_bom = False
    member_name = ""
    content = reader.text_of(element, "PlainTextContent")
    if content is not None:
        raw_text, member_name = content, "(PlainTextContent)"
    elif plain:
        if plain.startswith(("relative://", "absolute://")):
            bundle.warnings.append(f"{where} skipped: its text is an external file ({plain}) "
                                   "outside the archive; export with sources embedded")
            return None
        member_name = _member_for(plain, members) or ""
        if not member_name:
            bundle.warnings.append(f"{where}: {plain} is not in the archive")
        else:
            if not plain.startswith("internal://"):
                bundle.warnings.append(f"{where}: plainTextPath '{plain}' has no internal:// "
                                       f"prefix; read {member_name}")
            data = member(member_name)
            has_bom = data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
            raw_text = decode(data, Path(member_name))[0] if data else ""
    if (raw_text is None or not raw_text.strip()) and rich:
        docx_member = _member_for(rich, members)
        if docx_member and docx_member.lower().endswith(".docx"):
            data = member(docx_member)
            open_zip(Path(f"{path}:{docx_member}"), ".docx file", reader.limits,
                     data=io.BytesIO(data)).close()  # a zip inside the zip: check it too
            text = _docx_text(data, docx_member, where, bundle)
            if text:
                bundle.warnings.append(f"{where}: the plain text is empty; read the text from "
                                       f"{docx_member}")
                if reader.kids(element, "PlainTextSelection"):
                    bundle.warnings.append(f"{where}: its selections point into a plain text "
                                           "that was empty; they are placed on the text read "
                                           "from the .docx and may be off")
                raw_text, member_name, has_bom = text, docx_member, False
    if raw_text is None or not raw_text.strip():
        bundle.warnings.append(f"{where} skipped: it has no text (plain text and .docx empty "
                               "or missing)")
        return None
    stored, to_stored = positions.to_stored(raw_text)
    author = element.get("creatingUser")
    source = Source(guid, name, member_name, stored, element.get("creationDateTime"),
                    notes=reader.refs(element),
                    description=reader.text_of(element, "Description"),
                    author=coder_name(bundle, author) if author else None)
    raw_selections = []
    for selection in reader.kids(element, "PlainTextSelection"):
        try:
            start = int(selection.get("startPosition"))
            end = int(selection.get("endPosition"))
        except (TypeError, ValueError):
            bundle.warnings.append(f"{where}: selection {selection.get('guid')} has no whole-"
                                   "number positions; skipped")
            continue
        raw_selections.append((selection, start, end))
    to_raw = _convention(raw_text, stored, has_bom, raw_selections, bundle, where, to_stored)
    for selection, start, end in raw_selections:
        _selection(reader, selection, start, end, source, bundle, where, to_raw, to_stored,
                   len(raw_text))
    whole = reader.kids(element, "Coding")
    if whole:
        span = Selection(0, len(stored))
        span.codings = [c for c in (_coding(reader, c, bundle, where, None) for c in whole) if c]
        source.selections.append(span)
    return source


def _docx_text(data: bytes, member_name: str, where: str, bundle: Bundle) -> str | None:
    from ..importers.docx import read_docx

    try:
        return read_docx(Path(member_name), data).text
    except InputError as exc:
        if "no text" not in str(exc):
            bundle.warnings.append(f"{where}: {exc}")
        return None


def _convention(raw: str, stored: str, has_bom: bool, selections: list, bundle: Bundle,
                where: str, to_stored) -> positions.OffsetMap:
    if selections and not unicodedata.is_normalized("NFC", raw):
        bundle.warnings.append(f"{where} has decomposed accents (as macOS writes them): "
                               "they are composed (NFC) and positions mapped accordingly")
    options = positions.candidates(raw, has_bom)
    if len(options) == 1 or not selections:
        return positions.tool_map(raw, options[0])
    atlas = "atlas.ti" in bundle.origin.lower()
    preferred = positions.Convention(crlf_as_one=atlas and "\r\n" in raw)
    names = positions.selection_names([(s.get("name"), a, b) for s, a, b in selections])
    scored = sorted(options, key=lambda c: (
        -positions.agreement(names, raw, stored, positions.tool_map(raw, c), to_stored),
        c != preferred, c.utf16, c.bom_counted, c.crlf_as_one))
    chosen = scored[0]
    hits = positions.agreement(names, raw, stored, positions.tool_map(raw, chosen), to_stored)
    evidence = (f"{hits} of {len(names)} selection names agree" if names
                else "the selections have no names to check against; "
                + ("ATLAS.ti's habit" if chosen == preferred and atlas else "the standard"))
    features = [f for f, present in (("Windows line ends (CRLF)", "\r\n" in raw),
                                     ("a byte-order mark", has_bom),
                                     ("characters beyond U+FFFF", chosen.utf16 or any(
                                         c.utf16 for c in options))) if present]
    bundle.warnings.append(f"{where} has {' and '.join(features)}: positions read as counting "
                           f"{chosen.describe()} ({evidence}) and mapped onto the stored text")
    return positions.tool_map(raw, chosen)


def _selection(reader, element, start, end, source: Source, bundle: Bundle, where: str,
               to_raw, to_stored, raw_length: int) -> None:
    label = f"{where}: selection {start}-{end}"
    if start > end:
        bundle.warnings.append(f"{label} runs backwards; read as {end}-{start}")
        start, end = end, start
    begin = to_stored(to_raw(start, "start"), "start")
    finish = to_stored(to_raw(end, "end"), "end")
    if start < 0 or to_raw(end, "end") > raw_length:
        bundle.warnings.append(f"{label} lies outside the text ({len(source.text)} characters);"
                               " skipped")
        return
    author = element.get("creatingUser") or element.get("modifyingUser")
    selection = Selection(begin, finish, notes=reader.refs(element),
                          description=reader.text_of(element, "Description"),
                          author=coder_name(bundle, author))
    codings = reader.kids(element, "Coding")
    if begin == finish:
        if codings:
            bundle.warnings.append(f"{label} is empty (zero length); its {len(codings)} "
                                   "coding(s) skipped")
        if not selection.notes and not selection.description:
            return
    else:
        selection.codings = [c for c in (_coding(reader, c, bundle, label, author)
                                         for c in codings) if c]
    source.selections.append(selection)


def _coding(reader, element, bundle: Bundle, label: str, selection_user) -> Coding | None:
    ref = reader.kid(element, "CodeRef")
    target = norm_guid(ref.get("targetGUID")) if ref is not None else None
    code = bundle.code_guids.get(target or "")
    if code is None:
        bundle.warnings.append(f"{label}: a coding refers to code {target or '(none)'}, which "
                               "is not in the codebook; skipped")
        return None
    coder = coder_name(bundle, element.get("creatingUser"), selection_user)
    return Coding(code.id, coder, element.get("creationDateTime"), reader.refs(element))
