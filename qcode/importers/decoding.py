"""Bytes to text: encoding detection and the one-time normalisation of stored text.

Stored text is NFC-normalised, has no BOM and uses `\n` line ends; it never changes after
import, because every offset in the project points into it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ..errors import InputError

# cp1252 leaves five bytes undefined; a file using them is not Windows-1252 text.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF; export the transcript as .txt or .docx first",
    b"{\\rtf": "an RTF file; save it as .docx or .txt first",
    b"\xd0\xcf\x11\xe0": "an old Word .doc file; save it as .docx first",
}
# The control characters (Unicode category Cc: U+0000-001F and U+007F-009F) other than
# newline, tab and form feed. One regex scan instead of a category look-up per character.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0d-\x14\x16-\x1f\x7f-\x9f]")  # not \x15: CHAT times


def decode(raw: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Decode `raw` and return (text, encoding used).

    With no `encoding` given: a UTF-8 or UTF-16 byte-order mark decides; otherwise UTF-8 is
    tried, then Windows-1252 (the usual encoding of Spanish transcripts typed on Windows).
    """
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except LookupError:
            raise InputError(f"--encoding {encoding}: unknown encoding; use e.g. utf-8, "
                             "windows-1252, latin-1 or utf-16") from None
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, path, exc.start, encoding) from None
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[3:], path, "utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, path, "utf-16"), "utf-16"
    for signature, what in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise InputError(f"{path}: this is {what}")
    if b"\x00" in raw[:65536]:
        raise InputError(f"{path}: contains NUL bytes, so it is binary or UTF-16 without a "
                         "byte-order mark; save it as UTF-8 text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    bad = next((i for i, b in enumerate(raw) if b in _CP1252_UNDEFINED), None)
    if bad is not None:
        raise _undecodable(raw, path, bad, "UTF-8 nor Windows-1252")
    return raw.decode("cp1252"), "windows-1252"


def read_text_file(path: Path, what: str = "file") -> str:
    """A small text file (a CSV) decoded like a transcript and normalised."""
    if not path.is_file():
        raise InputError(f"{path}: no such {what}")
    text, _ = decode(path.read_bytes(), path)
    return normalise(text)


def _strict(raw: bytes, path: Path, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(raw, path, exc.start, encoding) from None


def _undecodable(raw: bytes, path: Path, index: int, what: str) -> InputError:
    line = raw.count(b"\n", 0, index) + 1
    return InputError(f"{path}, line {line}: byte 0x{raw[index]:02x} is not valid {what}; "
                      "convert the file to UTF-8 or pass --encoding")


def normalise(text: str) -> str:
    """BOM removed, CRLF and CR turned into LF, NFC composed."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if unicodedata.is_normalized("NFC", text):  # the usual case, found in one quick pass
        return text
    return unicodedata.normalize("NFC", text)


def count_controls(text: str) -> int:
    """Control characters (category Cc) other than newline, tab, form feed and NAK (\x15,
    which CHAT transcripts put around time markers).

    A printable line has none; only the other lines are scanned (tabs, form feeds, no-break
    spaces and the like make a line "unprintable" too, harmlessly)."""
    return sum(len(CONTROLS.findall(line)) for line in text.split("\n")
               if not line.isprintable())


def check_text(text: str, path: Path) -> None:
    """Refuse text that is empty or mostly control characters (a binary file in disguise)."""
    if not text.strip():
        raise InputError(f"{path}: the file has no text; check you exported the transcript")
    sample = text[:65536]
    controls = count_controls(sample)
    if "\x00" in sample or controls > max(3, len(sample) // 100):
        raise InputError(f"{path}: looks like a binary file, not a transcript; "
                         "export it as .txt, .docx, .vtt or .srt")
