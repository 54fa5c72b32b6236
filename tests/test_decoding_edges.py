"""Decoding edge cases: a broken UTF-16 file, the sniffed prefix of check_text, controls."""

import codecs
from pathlib import Path

import pytest

from qcode import InputError
from qcode.importers.decoding import check_text, count_controls, decode

P = Path("t.txt")


def test_a_utf16_file_cut_in_the_middle_of_a_character_names_its_line():
    # BOM, "a\n" (4 bytes), then a lone byte: the code unit is truncated at byte 6 (0x62 "b")
    raw = codecs.BOM_UTF16_LE + "a\n".encode("utf-16-le") + b"b"
    with pytest.raises(InputError, match=r"^t.txt, line 2: byte 0x62 is not valid utf-16; "
                                         r"convert the file to UTF-8 or pass --encoding$"):
        decode(raw, P)


def test_a_nul_past_the_checked_sample_of_decoded_text_is_allowed():
    # check_text looks at the first 65,536 characters only (the same prefix decode sniffs)
    check_text("a" * 65536 + "\x00", P)
    with pytest.raises(InputError, match="looks like a binary file"):
        check_text("a" * 65535 + "\x00", P)


def test_controls_past_the_checked_sample_do_not_count():
    # 4 control characters right after the sample: the sample itself has none
    check_text("a" * 65536 + "\x01" * 4, P)
    # inside the sample, 656 controls in 65,536 characters are above 1% (655)
    with pytest.raises(InputError, match="looks like a binary file"):
        check_text("a" * (65536 - 656) + "\x01" * 656, P)


def test_control_characters_are_counted_on_every_line_and_nak_is_not_one():
    # lines: "a\x01" (1), "b" (printable, skipped), "\x02\x03c" (2), "\x15d" (NAK: 0)
    assert count_controls("a\x01\nb\n\x02\x03c\n\x15d") == 3
    assert count_controls("\x1c\x1d\x85 x\x0b") == 4  # separators and NEL split nothing


def test_nul_bytes_are_refused_with_the_advice_to_save_as_utf8():
    with pytest.raises(InputError, match=r"^t.txt: contains NUL bytes, so it is binary or "
                                         r"UTF-16 without a byte-order mark; save it as UTF-8 "
                                         r"text$"):
        decode(b"E: hola\x00\n", P)
