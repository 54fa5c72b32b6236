"""Plain-text and Markdown transcripts, with optional YAML front matter for attributes."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .decoding import check_text, decode, normalise
from .model import ParsedDocument

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def read_text(path: Path, raw: bytes, encoding: str | None) -> ParsedDocument:
    decoded, used = decode(raw, path, encoding)
    text = normalise(decoded)
    attributes, language, text = split_front_matter(text, path)
    check_text(text, path)
    return ParsedDocument(name=path.stem, text=text, format=path.suffix.lstrip(".").lower(),
                          encoding=used, attributes=attributes, language=language, source=path)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, str], str | None, str]:
    """Return (attributes, language, text without the front matter).

    `language` (or `lang`) in the front matter sets the document's language; every other
    key is a document attribute.
    """
    match = _FRONT.match(text)
    if not match:
        return {}, None, text
    import yaml  # only files with front matter pay for it

    try:
        data = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 2}" if mark else ""
        raise InputError(f"{path}{line}: the front matter is not valid YAML "
                         f"({getattr(exc, 'problem', exc)}); fix or remove the --- block") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}, line 2: the front matter must be `key: value` lines")
    attributes: dict[str, str] = {}
    language = None
    for key, value in data.items():
        if isinstance(value, dict | list):
            raise InputError(f"{path}: front matter field '{key}' must be a single value, "
                             "not a list or mapping")
        if str(key).lower() in ("language", "lang"):
            language = str(value)
        elif value is not None:
            attributes[str(key)] = str(value)
    return attributes, language, text[match.end():]
