"""Stable REFI-QDA GUIDs: uuid5 of what an object is, so one project exported twice gives the
same GUIDs (and another tool re-importing it sees the same objects)."""

from __future__ import annotations

import uuid
from functools import lru_cache

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "qcode:refi-qda")


def guid(kind: str, *parts: object) -> str:
    """The GUID of a `kind` of object identified by `parts` (upper case, as most tools write)."""
    key = "\x1f".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(NAMESPACE, key)).upper()


@lru_cache(maxsize=4096)
def user(name: str) -> str:
    return guid("user", name)


@lru_cache(maxsize=4096)
def code(code_id: str) -> str:
    return guid("code", code_id)


def source(name: str, sha256: str) -> str:
    return guid("source", name, sha256)


def selection(source_guid: str, start: int, end: int) -> str:
    return guid("selection", source_guid, start, end)


def coding(selection_guid: str, code_id: str, coder: str) -> str:
    return guid("coding", selection_guid, code_id, coder)


@lru_cache(maxsize=4096)
def variable(name: str) -> str:
    return guid("variable", name)


def note(*parts: object) -> str:
    return guid("note", *parts)
