import codecs
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcode import InputError
from qcode.importers.decoding import CONTROLS, check_text, count_controls, decode, normalise

P = Path("t.txt")
TEXT = "Señor: ¿Cuánto cobran por un celular?\nÉl: cien soles."


@pytest.mark.parametrize(("raw", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("cp1252"), "windows-1252"),
])
def test_every_supported_encoding_gives_the_same_text(raw, encoding):
    text, used = decode(raw, P)
    assert normalise(text) == TEXT
    assert used == encoding


def test_latin1_text_without_cp1252_gaps_reads_as_windows_1252():
    text, used = decode("año, ñandú, «comillas»".encode("latin-1"), P)
    assert (text, used) == ("año, ñandú, «comillas»", "windows-1252")


def test_cp1252_curly_quotes_and_euro():
    text, _ = decode("“Cobran 20 €” – dijo".encode("cp1252"), P)
    assert text == "“Cobran 20 €” – dijo"


def test_bytes_neither_utf8_nor_cp1252_name_the_line():
    raw = b"linea uno\nlinea dos\nmal \x81 byte\n"
    with pytest.raises(InputError, match=r"^t.txt, line 3: byte 0x81 is not valid UTF-8 nor "
                                         r"Windows-1252; convert the file to UTF-8 or pass "
                                         r"--encoding$"):
        decode(raw, P)


def test_forced_encoding_that_does_not_fit():
    with pytest.raises(InputError, match=r"^t.txt, line 2: byte 0xf1 is not valid utf-8"):
        decode("uno\nniño".encode("latin-1"), P, "utf-8")


def test_unknown_forced_encoding():
    with pytest.raises(InputError, match="--encoding klingon: unknown encoding"):
        decode(b"x", P, "klingon")


def test_nul_bytes_mean_binary_or_utf16_without_bom():
    with pytest.raises(InputError, match="contains NUL bytes"):
        decode("hola".encode("utf-16-le"), P)


def test_pdf_is_recognised():
    with pytest.raises(InputError, match="this is a PDF; export the transcript as .txt"):
        decode(b"%PDF-1.7\n...", P)


def test_normalise_line_ends_bom_and_nfc():
    decomposed = unicodedata.normalize("NFD", "camión")
    assert len(decomposed) == 7
    assert normalise("\ufeffa\r\nb\rc\n" + decomposed) == "a\nb\nc\ncamión"


@pytest.mark.parametrize("text", ["", "  \n\t\n"])
def test_empty_text_is_refused(text):
    with pytest.raises(InputError, match="the file has no text"):
        check_text(text, P)


def test_control_characters_mean_binary():
    with pytest.raises(InputError, match="looks like a binary file"):
        check_text("abc" + "\x01\x02\x03\x04\x05" * 20, P)


def test_control_regex_is_unicode_category_cc_less_newline_tab_form_feed_nak():
    # The one-regex check must count exactly what `unicodedata.category(ch) == "Cc"` counts,
    # minus the three layout characters and NAK (CHAT's time-marker delimiter), over every
    # code point (surrogates included).
    for code in range(0x110000):
        ch = chr(code)
        expected = unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\x15"
        assert bool(CONTROLS.match(ch)) == expected, hex(code)


def test_a_few_controls_in_a_long_text_are_tolerated_but_one_percent_is_not():
    text = "palabra " * 500  # 4,000 characters: 1% is 40 control characters
    check_text(text + "\x0b" * 40, P)
    with pytest.raises(InputError, match="looks like a binary file"):
        check_text(text + "\x85" * 50, P)  # U+0085 (NEL) is Cc too


@given(st.text(alphabet=st.sampled_from(list("ab ñ\n\t\f\r\x00\x07\x0b\x1b\x7f\x85\x9f\xa0"
                                            "\u2028\u200b")), max_size=200))
def test_control_count_equals_a_count_by_unicode_category(text):
    expected = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f")
    assert count_controls(text) == expected
