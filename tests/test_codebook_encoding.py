"""A codebook file is UTF-8, with or without a byte-order mark, whatever the machine's locale;
any other encoding is refused with the line of the first byte that is not UTF-8."""

from __future__ import annotations

import codecs
import hashlib

from qcode import load_codebook, validate_codebook
from tests.conftest import write

TEXT = "name: Cárceles\ncodes:\n  - {id: a, name: Teléfonos en celdas}\n"


def test_a_byte_order_mark_is_not_part_of_the_codebook(tmp_path):
    """The mark is dropped before reading: the same codes, and the hash of the text after
    it, so saving the file with or without a mark is not a change of codebook."""
    plain = load_codebook(write(tmp_path / "plain.yaml", TEXT.encode("utf-8")))
    marked = load_codebook(write(tmp_path / "marked.yaml", codecs.BOM_UTF8 + TEXT.encode()))
    assert (marked.name, [c.name for c in marked.codes]) == ("Cárceles", ["Teléfonos en celdas"])
    assert marked.sha256 == plain.sha256 == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


def test_a_codebook_in_another_encoding_is_one_line_with_its_line(tmp_path):
    """Latin-1 writes á and é as the single bytes 0xe1 and 0xe9 (UTF-8 needs two bytes each):
    the first is the á of line 1; without it, the é of line 3, also when a byte-order mark
    comes first (the mark is on no line of its own)."""
    path = write(tmp_path / "latin.yaml", TEXT.encode("latin-1"))
    assert validate_codebook(path) == ([f"{path}:1: byte 0xe1 is not UTF-8; save the codebook "
                                        "as UTF-8"], [])
    later = write(tmp_path / "later.yaml", codecs.BOM_UTF8 + TEXT.replace("á", "a").encode(
        "latin-1"))
    assert validate_codebook(later)[0] == [f"{later}:3: byte 0xe9 is not UTF-8; save the "
                                           "codebook as UTF-8"]
