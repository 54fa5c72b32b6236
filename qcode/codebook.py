"""Codebooks: the YAML format, its validation with line numbers, and the flat list of codes.

A codebook is a YAML file with a top-level `codes:` list. Each code has a stable dotted
`id`, a `name`, and optionally `definition`, `include`, `exclude`, `examples`, `color`,
`patterns` (per language: a string is a phrase matched on lemmas and lower case, a list of
dicts is a spaCy Matcher token pattern), `children` (nested codes), `parent` (for codes
listed flat) and `renamed_from` (earlier ids, so reloading keeps their codings).

`validate_codebook` reports every problem as `FILE:LINE: path.to.field: what is wrong`.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import CodebookError, InputError

ID_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*$")
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
    examples: list[str] = []
    color: str | None = None
    patterns: dict[str, list[Any]] = {}
    parent: str | None = None
    renamed_from: list[str] = []
    children: list[CodeSpec] = []

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
    languages: list[str] = []
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


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file; raise CodebookError listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such codebook file")
    text = path.read_text(encoding="utf-8-sig")
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
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError([f"{where}: YAML syntax error: {problem}; check indentation "
                             "and quoting there"]) from None
    lines: dict[tuple, int] = {}
    problems: list[str] = []
    if root is not None:
        _map_lines(root, (), lines, problems, source)
    located = _Locator(source, lines)
    if not isinstance(data, dict):
        raise CodebookError([f"{source}:1: a codebook is a mapping with a `codes:` list"])
    try:
        spec = CodebookSpec.model_validate(data)
    except ValidationError as exc:
        problems += [located.pydantic(error, data) for error in exc.errors()]
        raise CodebookError(_by_line(problems, source)) from None
    codes = _flatten(spec.codes, ("codes",), None, located, problems)
    _check_tree(codes, located, problems)
    for language in spec.languages:
        if not _LANGUAGE.match(language):
            problems.append(located.at(("languages",), f"'{language}' is not a language code "
                                       "such as es or en"))
    if problems:
        raise CodebookError(_by_line(problems, source))
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    warnings = _warnings([c for c, _ in codes], spec.languages, located)
    return Codebook(spec.name or default_name, spec.version, sha, [c for c, _ in codes], warnings)


def _by_line(problems: list[str], source: str) -> list[str]:
    """Problems in file order (stable, so several on one line keep their order)."""
    def line(problem: str) -> int:
        number = problem[len(source) + 1:].split(":", 1)[0]
        return int(number) if number.isdigit() else 0
    return sorted(problems, key=line)


class _Locator:
    """Turns a path inside the YAML data into `FILE:LINE: path: message`."""

    def __init__(self, source: str, lines: dict[tuple, int]):
        self.source, self.lines = source, lines

    def at(self, path: tuple, message: str) -> str:
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe, 1)
        return f"{self.source}:{line}: {_dotted(path) or '(top)'}: {message}"

    def pydantic(self, error: dict, data: Any) -> str:
        path: tuple = ()
        node = data
        for part in error["loc"]:  # pydantic adds type tags to the path; keep real keys only
            if isinstance(node, dict) and part in node or (
                    isinstance(node, list) and isinstance(part, int) and part < len(node)):
                path += (part,)
                node = node[part]
            elif error["type"] in ("extra_forbidden", "missing"):
                path += (part,)
                break
        if error["type"] == "extra_forbidden":
            allowed = _allowed_fields(path)
            hint = difflib.get_close_matches(str(path[-1]), allowed, n=1)
            message = f"unknown field '{path[-1]}'" + (
                f" (did you mean '{hint[0]}'?)" if hint else f"; allowed: {', '.join(allowed)}")
        elif error["type"] == "missing":
            message = f"required field '{path[-1]}' is missing"
        else:
            message = error["msg"].lower()
        return self.at(path, message)


def _allowed_fields(path: tuple) -> list[str]:
    model = CodebookSpec if len(path) <= 1 else CodeSpec
    return list(model.model_fields)


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _map_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int], problems: list[str],
               source: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(f"{source}:{line}: {_dotted((*path, key))}: duplicate key "
                                f"(first at line {seen[key]}); keep one")
            seen[key] = line
            lines[(*path, key)] = line
            _map_lines(value_node, (*path, key), lines, problems, source)
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, (*path, index), lines, problems, source)


def _flatten(specs: list[CodeSpec], path: tuple, parent: str | None, located: _Locator,
             problems: list[str]) -> list[tuple[Code, tuple]]:
    out: list[tuple[Code, tuple]] = []
    for index, spec in enumerate(specs):
        here = (*path, index)
        if spec.parent and parent:
            problems.append(located.at((*here, "parent"), f"'{spec.id}' is nested under "
                                       f"'{parent}' and also names parent '{spec.parent}'; "
                                       "use one or the other"))
        if spec.color and not _COLOR.match(spec.color):
            problems.append(located.at((*here, "color"), f"'{spec.color}' is not a colour; "
                                       "use #rrggbb or a name such as red"))
        patterns = _check_patterns(spec, here, located, problems)
        out.append((Code(spec.id, spec.name.strip(), spec.parent or parent,
                         spec.definition.strip(), spec.include.strip(), spec.exclude.strip(),
                         tuple(spec.examples), spec.color, patterns, tuple(spec.renamed_from)),
                    here))
        out += _flatten(spec.children, (*here, "children"), spec.id, located, problems)
    return out


def _check_patterns(spec: CodeSpec, here: tuple, located: _Locator,
                    problems: list[str]) -> dict[str, list[Any]]:
    for language, patterns in spec.patterns.items():
        where = (*here, "patterns", language)
        if not _LANGUAGE.match(str(language)):
            problems.append(located.at(where, f"'{language}' is not a language code such as "
                                       "es or en"))
        for number, pattern in enumerate(patterns):
            spot = (*where, number)
            if isinstance(pattern, str):
                if not pattern.strip():
                    problems.append(located.at(spot, "empty phrase pattern"))
            elif isinstance(pattern, list) and pattern and all(
                    isinstance(token, dict) for token in pattern):
                for error in _token_pattern_errors(pattern):
                    problems.append(located.at(spot, f"code '{spec.id}': bad token pattern: "
                                               f"{error}"))
            else:
                problems.append(located.at(spot, f"code '{spec.id}': a pattern is a phrase "
                                           "(string) or a list of token dicts such as "
                                           "[{LEMMA: visitante}]"))
    return spec.patterns


def _token_pattern_errors(pattern: list[dict]) -> list[str]:
    from spacy.schemas import validate_token_pattern  # spaCy's own pattern schema

    return [str(error) for error in validate_token_pattern(pattern)]


def _check_tree(codes: list[tuple[Code, tuple]], located: _Locator, problems: list[str]) -> None:
    first: dict[str, tuple] = {}
    for code, here in codes:
        if not ID_PATTERN.match(code.id):
            problems.append(located.at((*here, "id"), f"'{code.id}' is not a valid id; use "
                                       "letters, digits, _ and -, with dots between levels"))
        if code.id in first:
            problems.append(located.at((*here, "id"), f"duplicate id '{code.id}' (first at "
                                       f"line {located.lines.get((*first[code.id], 'id'), '?')})"))
        else:
            first[code.id] = here
    ids = set(first)
    for code, here in codes:
        if code.parent and code.parent not in ids:
            hint = difflib.get_close_matches(code.parent, ids, n=1)
            problems.append(located.at((*here, "parent"), f"parent '{code.parent}' is not a "
                                       "code in this codebook"
                                       + (f" (did you mean '{hint[0]}'?)" if hint else "")))
    parents = {code.id: code.parent for code, _ in codes}
    for code, here in codes:
        seen, cursor = {code.id}, code.parent
        while cursor in parents:
            if cursor in seen:
                problems.append(located.at(here, f"'{code.id}' is its own ancestor; "
                                           "break the parent cycle"))
                break
            seen.add(cursor)
            cursor = parents[cursor]


def _warnings(codes: list[Code], languages: list[str], located: _Locator) -> list[str]:
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
