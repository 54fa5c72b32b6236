"""Codebooks: the YAML format, its validation with line numbers, and the flat list of codes.

A codebook is a YAML file with a top-level `codes:` list. Each code has a stable dotted
`id`, a `name`, and optionally `definition`, `include`, `exclude`, `examples`, `color`,
`patterns` (per language: a string is a phrase matched on lemmas and lower case, a list of
dicts is a spaCy Matcher token pattern), `children` (nested codes), `parent` (for codes
listed flat) and `renamed_from` (earlier ids, so reloading keeps their codings).

`validate_codebook` reports every problem as `FILE:LINE: path.to.field: what is wrong`.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import CodebookError, InputError
from .yaml_nodes import Locator, compose, gc_paused

# Use with fullmatch (`$` would accept a final newline): letters, digits, _ and -, dotted.
ID_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*")
MAX_ID_LENGTH = 100
MAX_DEPTH = 32  # levels of `children:`; deeper trees can still be listed flat with `parent:`
ID_RULE = (f"use letters, digits, _ and -, with dots between levels, at most {MAX_ID_LENGTH} "
           "characters")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$|^[a-z]+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _text(value: Any) -> Any:
    """Criteria may be written as one string or as a list of bullet points."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return value


class CodeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    id: str
    name: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    # default_factory: pydantic deep-copies a literal [] or {} default for every code
    examples: list[str] = Field(default_factory=list)
    color: str | None = None
    patterns: dict[str, list[Any]] = Field(default_factory=dict)
    parent: str | None = None
    renamed_from: list[str] = Field(default_factory=list)
    children: list[CodeSpec] = Field(default_factory=list)

    _as_text = field_validator("include", "exclude", "definition", mode="before")(_text)

    @field_validator("examples", "renamed_from", mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class CodebookSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    version: str | None = None
    title: str | None = None
    description: str | None = None
    languages: list[str] = Field(default_factory=list)
    codes: list[CodeSpec]


@dataclass(frozen=True)
class Code:
    """One code as stored in a project, in codebook order."""

    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    color: str | None = None
    patterns: dict[str, list[Any]] = field(default_factory=dict, hash=False)
    renamed_from: tuple[str, ...] = ()


@dataclass
class Codebook:
    name: str
    version: str | None
    sha256: str
    codes: list[Code]
    warnings: list[str] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [code.id for code in self.codes]


def valid_id(value: object) -> bool:
    """A code id qcode accepts: see ID_PATTERN and MAX_ID_LENGTH."""
    return (isinstance(value, str) and len(value) <= MAX_ID_LENGTH
            and ID_PATTERN.fullmatch(value) is not None)


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file; raise CodebookError listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such codebook file")
    raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)  # never the locale's encoding
    try:
        text = raw.decode()  # UTF-8
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CodebookError([f"{path}:{line}: byte 0x{raw[exc.start]:02x} is not UTF-8; save "
                             "the codebook as UTF-8"]) from None
    return parse_codebook(text, str(path), default_name=path.stem)


def validate_codebook(path: str | Path) -> tuple[list[str], list[str]]:
    """(problems, warnings) for a codebook file; both empty means it is fine."""
    try:
        book = load_codebook(path)
    except CodebookError as exc:
        return exc.problems, []
    return [], book.warnings


def parse_codebook(text: str, source: str = "<codebook>",
                   default_name: str = "codebook") -> Codebook:
    """Parse and check a codebook. Every problem is collected (schema, ids, duplicates,
    parents, colours, patterns) and raised together as one CodebookError."""
    with gc_paused():  # linear in the codes: see yaml_nodes
        return _parse(text, source, default_name)


def _parse(text: str, source: str, default_name: str) -> Codebook:
    problems: list[str] = []
    root, data = compose(text, source, problems)
    if not isinstance(data, dict):
        raise CodebookError([f"{source}:1: a codebook is a mapping with a `codes:` list"])
    located = Locator(source, root)
    raw = _raw_codes(data.get("codes"))
    # a path has two parts per level (codes, 0, children, 1, ...): level MAX_DEPTH + 1 is
    # the first one too deep
    too_deep = next((c for c in raw if len(c.path) > 2 * MAX_DEPTH), None)
    if too_deep is not None:
        raise CodebookError([located.at(too_deep.path, f"codes are nested more than "
                                        f"{MAX_DEPTH} levels deep; list deeper codes flat with "
                                        "`parent:`")])
    try:
        spec = CodebookSpec.model_validate(data)
    except ValidationError as exc:  # it always has an error, so `problems` is not empty
        problems += [_schema_problem(located, error, data) for error in exc.errors()]
    _check_codes(raw, located, problems)
    languages = data.get("languages")
    for language in languages if isinstance(languages, list) else []:
        if isinstance(language, str) and not _LANGUAGE.match(language):
            problems.append(located.at(("languages",), f"'{language}' is not a language code "
                                       "such as es or en"))
    if problems:
        raise CodebookError(_by_line(problems, source))
    codes = _flatten(spec.codes, None)
    sha = hashlib.sha256(text.encode()).hexdigest()  # of the UTF-8 text
    warnings = _warnings(codes, spec.languages)
    return Codebook(spec.name or default_name, spec.version, sha, codes, warnings)


def _by_line(problems: list[str], source: str) -> list[str]:
    """Problems in file order (stable, so several on one line keep their order)."""
    def line(problem: str) -> int:  # every problem sorted here has its line
        return int(problem[len(source) + 1:].partition(":")[0])
    return sorted(problems, key=line)


def _schema_problem(located: Locator, error: Any, data: Any) -> str:
    """One pydantic error as `FILE:LINE: path: message`."""
    path: tuple = ()
    node = data
    for part in error["loc"]:  # pydantic adds type tags to the path; keep real keys only
        # an index into a list is always in it; a key missing from a mapping ends the path
        if isinstance(node, dict) and part in node or (isinstance(node, list)
                                                       and isinstance(part, int)):
            path += (part,)
            node = node[part]
        elif error["type"] == "missing":  # (an unknown field is a key that is there)
            path += (part,)
            break
    if error["type"] == "extra_forbidden":
        allowed = _allowed_fields(path)
        hint = difflib.get_close_matches(str(path[-1]), allowed)
        message = f"unknown field '{path[-1]}'" + (
            f" (did you mean '{hint[0]}'?)" if hint else f"; allowed: {', '.join(allowed)}")
    elif error["type"] == "missing":
        message = f"required field '{path[-1]}' is missing"
    elif error["type"] == "string_type" and isinstance(error.get("input"), bool | int | float):
        written = located.scalar(path) or str(error["input"])
        kind = "true/false" if isinstance(error["input"], bool) else "a number"
        field_name = path[-1] if path and isinstance(path[-1], str) else ""
        message = (f"{written} is read as {kind}, not text; put it in quotes: "
                   f"{field_name}{': ' if field_name else ''}\"{written}\"")
    else:
        message = error["msg"].lower()
    return located.at(path, message)


def _allowed_fields(path: tuple) -> list[str]:
    model = CodebookSpec if len(path) == 1 else CodeSpec
    return list(model.model_fields)


def _flatten(specs: list[CodeSpec], parent: str | None) -> list[Code]:
    out: list[Code] = []
    stack = [(spec, parent) for spec in reversed(specs)]
    while stack:
        spec, above = stack.pop()
        out.append(Code(spec.id, spec.name.strip(), spec.parent or above,
                        spec.definition.strip(), spec.include.strip(), spec.exclude.strip(),
                        tuple(spec.examples), spec.color, spec.patterns,
                        tuple(spec.renamed_from)))
        stack += [(child, spec.id) for child in reversed(spec.children)]
    return out


class _RawCode:
    """A code as written (a dict from the YAML), with where it is and what it is nested in;
    `parent` is the one it names or else the one it is nested in."""

    __slots__ = ("data", "path", "nested_in", "id", "parent")

    def __init__(self, data: dict, path: tuple, nested_in: str | None):
        self.data, self.path, self.nested_in = data, path, nested_in
        self.id: Any = data.get("id")
        parent = data.get("parent")
        self.parent: Any = parent if isinstance(parent, str) and parent else nested_in


def _raw_codes(items: Any) -> list[_RawCode]:
    """Every code dict in `codes:` and nested `children:`, in file order, whatever else is
    wrong with them (the schema check reports that), so one run finds every problem."""
    def entries(value: Any, where: tuple, above: str | None) -> list[_RawCode]:
        listed = value if isinstance(value, list) else []
        return [_RawCode(entry, (*where, index), above) for index, entry in enumerate(listed)
                if isinstance(entry, dict)][::-1]

    out: list[_RawCode] = []
    stack = entries(items, ("codes",), None)
    while stack:
        code = stack.pop()
        out.append(code)
        own = code.id if isinstance(code.id, str) else None
        stack += entries(code.data.get("children"), (*code.path, "children"), own)
    return out


def _check_codes(codes: list[_RawCode], located: Locator, problems: list[str]) -> None:
    first: dict[str, tuple] = {}
    for code in codes:
        data, here = code.data, code.path
        parent = data.get("parent")
        if parent and code.nested_in:
            problems.append(located.at((*here, "parent"), f"'{code.id}' is nested under "
                                       f"'{code.nested_in}' and also names parent '{parent}'; "
                                       "use one or the other"))
        color = data.get("color")
        if isinstance(color, str) and color and not _COLOR.match(color):
            problems.append(located.at((*here, "color"), f"'{color}' is not a colour; "
                                       "use #rrggbb or a name such as red"))
        _check_patterns(code, located, problems)
        if not isinstance(code.id, str):
            continue  # missing or not text: the schema check says so
        if not valid_id(code.id):
            problems.append(located.at((*here, "id"), f"{_shown(code.id)} is not a valid id; "
                                       + ID_RULE))
        if code.id in first:
            problems.append(located.at((*here, "id"), f"duplicate id '{code.id}' (first at "
                                       f"line {located.line((*first[code.id], 'id'))})"))
        else:
            first[code.id] = here
    ids = set(first)
    parents: dict[str, str] = {}
    for code in codes:
        parent = code.data.get("parent")
        if isinstance(code.id, str):  # every text id is in ids
            parents.setdefault(code.id, code.parent)
        if isinstance(parent, str) and parent and parent not in ids:
            hint = difflib.get_close_matches(parent, ids) if len(ids) < 5000 else []
            problems.append(located.at((*code.path, "parent"), f"parent '{parent}' is not a "
                                       "code in this codebook"
                                       + (f" (did you mean '{hint[0]}'?)" if hint else "")))
    _check_cycles(codes, parents, located, problems)


def _check_cycles(codes: list[_RawCode], parents: dict[str, str], located: Locator,
                  problems: list[str]) -> None:
    """Report every code that is its own ancestor; each chain is walked once."""
    safe: set[str] = set()
    for code in codes:
        if not isinstance(code.id, str):  # (a code found safe stops the walk below at once)
            continue
        chain, cursor = [], code.id
        while cursor in parents and cursor not in safe and cursor not in chain:
            chain.append(cursor)
            cursor = parents[cursor]
        if cursor in chain:
            cycle = set(chain[chain.index(cursor):])
            if code.id in cycle:
                problems.append(located.at(code.path, f"'{code.id}' is its own ancestor; "
                                           "break the parent cycle"))
                continue
        safe.update(chain)


def _shown(value: str) -> str:
    """An id as shown in a message: quoted, control characters visible, long ones cut."""
    text = repr(value)[1:-1] if not value.isprintable() else value
    return f"'{text[:60]}…' ({len(value)} characters)" if len(text) > 60 else f"'{text}'"


def _check_patterns(code: _RawCode, located: Locator, problems: list[str]) -> None:
    patterns = code.data.get("patterns")
    if not isinstance(patterns, dict):
        return
    for language, listed in patterns.items():
        where = (*code.path, "patterns", language)
        if not _LANGUAGE.match(str(language)):
            problems.append(located.at(where, f"'{language}' is not a language code such as "
                                       "es or en"))
        for number, pattern in enumerate(listed if isinstance(listed, list) else []):
            spot = (*where, number)
            if isinstance(pattern, str):
                if not pattern.strip():
                    problems.append(located.at(spot, "empty phrase pattern"))
            elif isinstance(pattern, list) and pattern and all(
                    isinstance(token, dict) for token in pattern):
                for error in _token_pattern_errors(pattern):
                    problems.append(located.at(spot, f"code '{code.id}': bad token pattern: "
                                               f"{error}"))
            else:
                problems.append(located.at(spot, f"code '{code.id}': a pattern is a phrase "
                                           "(string) or a list of token dicts such as "
                                           "[{LEMMA: visitante}]"))


def _token_pattern_errors(pattern: list[dict]) -> list[str]:
    from spacy.schemas import validate_token_pattern  # spaCy's own pattern schema

    return [str(error) for error in validate_token_pattern(pattern)]


def _warnings(codes: list[Code], languages: list[str]) -> list[str]:
    parents = {code.parent for code in codes}
    warnings = []
    for code in codes:
        if code.id in parents:
            continue
        missing = [name for name, value in (("definition", code.definition),
                                            ("include", code.include),
                                            ("exclude", code.exclude),
                                            ("examples", code.examples)) if not value]
        missing += [f"patterns.{lang}" for lang in languages if not code.patterns.get(lang)]
        if missing:
            warnings.append(f"code '{code.id}' has no {', '.join(missing)}")
    return warnings
