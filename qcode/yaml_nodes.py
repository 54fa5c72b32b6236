"""Reading a YAML file once into both its data and its line numbers, safely.

libyaml (through PyYAML's CSafeLoader, when it is installed) composes the node tree, whose
marks give every key and item its line; the Python data is built from those nodes in one
pass without recursion. Anchors and aliases are refused as they are met, before anything is
expanded ("billion laughs"), and duplicate keys, which YAML would collapse, are reported.

The cyclic garbage collector is paused while a big tree is built: the tree holds millions of
objects and no cycles, and each collection would walk all of them again (it was most of the
time of a 100,000-code codebook).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from .errors import CodebookError

_STR = "tag:yaml.org,2002:str"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where PyYAML has it


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored as it was on leaving)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compose(text: str, source: str, problems: list[str]) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree (for line numbers) and the data built from it; duplicate keys are
    added to `problems`, a syntax error or an alias raises CodebookError."""
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        data = _Builder(source, problems).build(root) if root is not None else None
    except yaml.YAMLError as exc:
        exc = _python_parser_error(text) or exc  # its messages say what it expected
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
            line = text[:exc.position].count("\n") + 1
            problem = f"{exc.reason} (character #x{exc.character:04x})"
        else:  # the scanner's, parser's, composer's and constructor's errors have a mark
            line, problem = exc.problem_mark.line + 1, exc.problem
        raise CodebookError([f"{source}:{line}: YAML syntax error: {problem}; check "
                             "indentation and quoting there"]) from None
    finally:
        loader.dispose()
    return root, data


def _python_parser_error(text: str) -> yaml.YAMLError | None:
    try:
        yaml.SafeLoader(text).get_single_node()
    except yaml.YAMLError as exc:
        return exc
    return None


def dotted(path: tuple) -> str:
    """A path inside the data as written in messages: codes[0].children[2].id."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Builder:
    """Python data from the YAML nodes in one pass, without recursion. Plain strings (nearly
    every scalar of a codebook) skip PyYAML's constructor."""

    def __init__(self, source: str, problems: list[str]):
        self.source, self.problems = source, problems
        self.constructor = yaml.constructor.SafeConstructor()

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR:
            return node.value
        try:
            return self.constructor.construct_object(node)  # a scalar: nothing deeper
        except ValueError as exc:  # 2024-02-30 read as a date, `!!int abc`
            kind = node.tag.removeprefix("tag:yaml.org,2002:")
            raise CodebookError([f"{self.source}:{node.start_mark.line + 1}: '{node.value}' "
                                 f"cannot be read as {kind} ({exc}); put it in quotes if it "
                                 "is text"]) from None

    def build(self, root: yaml.Node) -> Any:
        seen: set[int] = set()
        result: list[Any] = [None]
        # (node, path, container, key): build `node` and store it in container[key]
        stack: list[tuple[yaml.Node, tuple, Any, Any]] = [(root, (), result, 0)]
        while stack:
            node, path, container, key = stack.pop()
            if id(node) in seen:  # the composer hands out an aliased node again
                raise self._alias(node)
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                value = self.scalar(node)
            elif isinstance(node, yaml.SequenceNode):
                value = [None] * len(node.value)
                stack += ((item, (*path, index), value, index)
                          for index, item in enumerate(node.value))
            else:  # a MappingNode: the composer makes only these three
                lines: dict[Any, int] = {}
                entries = []
                for key_node, value_node in node.value:
                    name = self._key(key_node, path)
                    line = key_node.start_mark.line + 1
                    if name in lines:
                        self.problems.append(f"{self.source}:{line}: {dotted((*path, name))}: "
                                             f"duplicate key (first at line {lines[name]}); "
                                             "keep one")
                        continue
                    lines[name] = line
                    entries.append((value_node, name))
                value = dict.fromkeys(lines)  # the keys in file order, their values built below
                stack += ((item, (*path, name), value, name) for item, name in entries)
            container[key] = value
        return result[0]

    def _alias(self, node: yaml.Node) -> CodebookError:
        return CodebookError([f"{self.source}:{node.start_mark.line + 1}: YAML anchors and "
                              "aliases (&name, *name, <<) are not allowed in a codebook; "
                              "write the repeated part out"])

    def _key(self, node: yaml.Node, path: tuple) -> Any:
        if node.tag == "tag:yaml.org,2002:merge":
            raise self._alias(node)
        if isinstance(node, yaml.ScalarNode):
            key = self.scalar(node)
            if isinstance(key, str | int | float | bool) or key is None:
                return key
        raise CodebookError([f"{self.source}:{node.start_mark.line + 1}: "
                             f"{dotted(path) or '(top)'}: a key must be a plain word"])


class Locator:
    """Turns a path inside the YAML data into `FILE:LINE: path: message`; `root` is the node
    of the data the path is into, so every path given leads along existing nodes as far as
    the data has it."""

    def __init__(self, source: str, root: yaml.Node):
        self.source, self.root = source, root

    def _walk(self, path: tuple) -> tuple[yaml.Node | None, int]:
        """(the node at `path`, or None where a key is missing; the line of the deepest part
        found). A mapping entry's line is its key's, a list item's its own."""
        node, line = self.root, self.root.start_mark.line + 1
        for part in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if found is None:
                    return None, line
                line, node = found[0].start_mark.line + 1, found[1]
            else:  # a list: the data's path indexes it only where it has that item
                node = node.value[part]
                line = node.start_mark.line + 1
        return node, line

    def line(self, path: tuple) -> int:
        """The line of the deepest part of `path` in the file."""
        return self._walk(path)[1]

    def at(self, path: tuple, message: str) -> str:
        return f"{self.source}:{self.line(path)}: {dotted(path)}: {message}"

    def scalar(self, path: tuple) -> str | None:
        """The text of the scalar at `path` as written in the file (1.0 stays 1.0)."""
        node = self._walk(path)[0]
        return node.value if isinstance(node, yaml.ScalarNode) else None
