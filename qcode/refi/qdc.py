"""REFI-QDA codebooks (.qdc): the codes with hierarchy, colours and, in each Description,
the definition, criteria, examples, patterns and qcode id (see `describe`)."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

from ..archive import parse_xml
from ..codebook import ID_PATTERN, Code, Codebook
from ..errors import InputError
from . import describe
from .export import code_elements, serialise
from .read import _free_id, colour, dotted_parent, norm_guid, slug

NS = "urn:QDA-XML:codebook:1.0"
MAX_BYTES = 64 * 1024 * 1024


def codebook_xml(conn: sqlite3.Connection) -> bytes:
    """The project's active codes as a .qdc document (Codebook-mrt2019.xsd)."""
    from lxml import etree

    from .. import __version__

    rows = conn.execute("SELECT * FROM code WHERE retired_at IS NULL ORDER BY position"
                        ).fetchall()
    if not rows:
        raise InputError("the project has no codebook to export; load one with "
                         "`qcode codebook load FILE.yaml`")
    root = etree.Element(f"{{{NS}}}CodeBook", {"origin": f"qcode {__version__}"},
                         nsmap={None: NS})
    code_elements(etree.SubElement(root, f"{{{NS}}}Codes"), rows, NS, None)
    return serialise(root)


def read_qdc(path: Path) -> Codebook:
    """A .qdc file as a qcode Codebook (warnings in `.warnings`)."""
    if not path.is_file():
        raise InputError(f"{path}: no such codebook file")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path}: {path.stat().st_size // 2**20} MB is too large for a "
                         "codebook; it may not be one")
    data = path.read_bytes()
    root = parse_xml(data, str(path))
    tag = root.tag if isinstance(root.tag, str) else ""
    if not tag.startswith("{urn:QDA-XML:codebook:") or not tag.endswith("}CodeBook"):
        raise InputError(f"{path}: not a REFI-QDA codebook (the root element is "
                         f"{tag or 'not an element'}, expected <CodeBook> in {NS})")
    warnings: list[str] = []
    codes: list[Code] = []
    taken: set[str] = set()

    def local(element) -> str:
        return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""

    def walk(element, parent: str | None) -> None:
        for child in element:
            if local(child) != "Code":
                continue
            name = (child.get("name") or "").strip() or "unnamed code"
            description = next((d.text for d in child if local(d) == "Description"), None)
            fields = describe.read(description)
            wanted = fields.code_id if fields.code_id and ID_PATTERN.match(fields.code_id) \
                else (f"{parent}." if parent else "") + slug(name)
            code_id = _free_id(wanted, taken)
            if code_id != wanted and fields.code_id:
                warnings.append(f"{path}: code id '{wanted}' appears twice; the second is "
                                f"'{code_id}'")
            taken.add(code_id)
            if not norm_guid(child.get("guid")):
                warnings.append(f"{path}: code '{name}' has no valid guid")
            chosen = fields.colour or colour(child.get("color"), f"{path}: code '{name}'",
                                             warnings)
            codes.append(Code(code_id, name, parent, fields.definition, fields.include,
                              fields.exclude, tuple(fields.examples), chosen, fields.patterns))
            walk(child, code_id)

    for element in root:
        if local(element) == "Codes":
            walk(element, None)
    if not codes:
        raise InputError(f"{path}: the codebook has no codes")
    ids = {code.id for code in codes}
    codes = [replace(code, parent=dotted_parent(code.id, code.parent, ids)) for code in codes]
    return Codebook(path.stem, None, hashlib.sha256(data).hexdigest(), codes, warnings)
