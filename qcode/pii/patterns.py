"""Identifiers with a shape: phone numbers, ID numbers, e-mail addresses, street addresses,
dates of birth, inmate/file numbers and licence plates.

Phone numbers are validated by `phonenumbers` (Google's libphonenumber) with Peru as the
default region; Peruvian DNI/CUI and RUC numbers by `python-stdnum` where they carry a check
digit. Each detector is a compiled regular expression run over the whole text, so a scan
costs a few passes of the C regex engine plus Python work only where something matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Finding

UP = "A-ZÁÉÍÓÚÑÜ"

# A few words before a number that say what it is (Spanish and English).
_PHONE_CUE = re.compile(
    r"(?:tel[eé]fono|tel\.|telf\.?|cel(?:ular)?|m[oó]vil|n[uú]mero|nro\.?|whats ?app|llam\w*|"
    r"phone|mobile|cell|call\w*|number|text\w*|contact\w*|fono)\W{0,4}(?:\w+\W+){0,3}$",
    re.IGNORECASE)
_ID_CUE = re.compile(
    r"(?:\bDNI|documento(?: nacional)?(?: de identidad)?|\bdoc\.|identidad|\bC\.?U\.?I\.?|"
    r"carn[eé](?: de extranjer[ií]a)?|pasaporte|passport|\bID\b|identity(?: card)?|"
    r"identification|national insurance|social security|\bSSN|\bRUC|libreta electoral|"
    r"c[eé]dula)\W{0,6}(?:(?:n[°ºo]\.?|nro\.?|n[uú]mero|number|no\.?|es|is|:)\W{0,3}){0,2}$",
    re.IGNORECASE)
_BIRTH_CUE = re.compile(
    r"(?:naci[oó]?|nac[ií]|nacid[oa]|nacimiento|cumpleaños|cumple|born|birth|birthday|"
    r"\bDOB|d\.o\.b\.|f\. ?nac\.?)\b[^.\n]{0,25}$", re.IGNORECASE)
_FILE_CUE = re.compile(
    r"(?:expediente|exp\.|ficha|registro|c[oó]digo(?: de interno| penitenciario)?|"
    r"n[uú]mero de (?:interno|reclus[oa]|preso|celda|caso|causa|carpeta)|carpeta fiscal|"
    r"casillero|interno n[°ºo]|"
    r"file|case|docket|inmate|prisoner|booking|record)"
    r"\W{0,4}(?:(?:n[°ºo]\.?|nro\.?|number|no\.?|#|es|is|was|:)\W{0,3}){0,2}$",
    re.IGNORECASE)
_PLATE_CUE = re.compile(r"(?:placa|matr[ií]cula|plate|registration|patente)\W{0,4}"
                        r"(?:(?:n[°ºo]\.?|number|no\.?|es|is|:)\W{0,3}){0,2}$", re.IGNORECASE)

# Digit runs that may be phone numbers: optional +, 7 to 15 digits with common separators.
_DIGITS = re.compile(r"[+(\d](?<![\w/.,:-][+(\d])(?:(?<=\+) ?)?(?:(?<=\()\d{1,4}\)[ .-]?)?"
                     r"(?:(?<=[+ .-])\d|(?<=\d))(?:[ .-]?\d){5,14}(?![\w/-])")
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@| ?[\[(](?:at|arroba)[\])] ?)[\w-]+(?:(?:\.| ?[\[(](?:dot|punto)"
    r"[\])] ?)[\w-]+)*(?:\.|[\[(](?:dot|punto)[\])])[A-Za-z]{2,}\b", re.IGNORECASE)
_STREET = (r"Av(?:enida)?\.?|Avda\.|Jr\.?|Jir[oó]n|Calle|Ca\.|Psje\.?|Pasaje|Prolongaci[oó]n|"
           r"Prol\.|Carretera|Urb\.|Urbanizaci[oó]n|Mz\.?|Manzana|AA\.?HH\.?|Asentamiento Humano")
_ADDRESS = re.compile(
    rf"\b(?:{_STREET})\s+(?:[{UP}0-9][\w'’.]*\s+|(?:de|del|la|las|los|el|y)\s+){{0,6}}"
    rf"(?:(?:n[°º]|nro\.?|no\.|#|cuadra|cdra\.?|lote|lt\.?|mz\.?)\s*)?\d{{1,5}}[A-Za-z]?"
    rf"(?:\s*(?:,\s*)?(?:lote|lt\.?|int\.?|dpto\.?|depto\.?|piso|of\.?)\s*\d{{1,4}}[A-Za-z]?)*"
    r"|\b\d{1,5}\s+(?:[A-Z][\w'’.]*\s+){1,4}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.?|Lane|"
    r"Ln\.?|Drive|Dr\.|Boulevard|Blvd\.?|Close|Way|Court|Ct\.?|Place|Terrace|Crescent)\b"
    r"(?:,?\s*(?:Apt\.?|Flat|Unit|#)\s*\w+)?")
_MONTHS = (r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
           r"noviembre|diciembre|january|february|march|april|may|june|july|august|september|"
           r"october|november|december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|"
           r"sep\.?|sept\.?|oct\.?|nov\.?|dec\.?")
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}"
    rf"|\d{{1,2}}(?:º|°|st|nd|rd|th)?\s+(?:de\s+|of\s+)?(?:{_MONTHS})\s*(?:de(?:l)?\s+|,\s*)?"
    rf"(?:19|20)\d{{2}}"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}"
    rf"|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}})\b", re.IGNORECASE)
# Peruvian judicial file numbers (00123-2015-0-1801-JR-PE-01) and cue-led codes.
_JUDICIAL = re.compile(r"\b\d{3,5}-\d{4}-\d{1,2}-\d{4}-[A-Z]{2}-[A-Z]{2}-\d{2}\b")
_CODE = re.compile(r"(?<![\w/-])(?:[A-Z]{1,4}[-/ ]?)?\d[\dA-Z/-]*[\dA-Z]")
# Peruvian plates: ABC-123, A1B-234, 1234-AB (motorcycles); with a cue, other countries' too.
_PLATE = re.compile(rf"\b(?:[{UP}][{UP}0-9][{UP}]-\d{{3}}|[{UP}]{{3}}-\d{{3}}"
                    rf"|\d{{4}}-[{UP}]{{2}})\b")
_PLATE_LOOSE = re.compile(r"[A-Z0-9]{1,4}[- ]?[A-Z0-9]{2,4}")
_ID_VALUE = re.compile(r"[A-Z]{0,2}\d{6,12}(?:[- ]?[\dA-Z])?\b|[A-Z]{1,2}\d{5,9}\b")


def _before(text: str, start: int, width: int = 40) -> str:
    return text[max(0, start - width):start]


_DIGIT_RUN = re.compile(r"\d[\d ./()+-]*")


def digit_windows(text: str, before: int = 90, after: int = 30) -> list[tuple[int, int]]:
    """Stretches of text around digits, merged. Every detector below needs a digit, so
    they run only there: most of an interview has none, which keeps a scan fast."""
    windows: list[tuple[int, int]] = []
    for match in _DIGIT_RUN.finditer(text):
        start, end = max(0, match.start() - before), min(len(text), match.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


def _find(pattern: re.Pattern, text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match]:
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def phones_and_ids(text: str, windows: list[tuple[int, int]]) -> Iterator[Finding]:
    """Phone numbers (validated), DNI, RUC, passports and other cue-led ID numbers."""
    import phonenumbers

    for match in _find(_DIGITS, text, windows):
        raw = match.group(0)
        digits = re.sub(r"\D", "", raw)
        before = _before(text, match.start())
        if _ID_CUE.search(before) or _FILE_CUE.search(before):
            continue  # the cue-led detectors below take it
        bare = raw.isdigit()
        if bare and len(digits) == 8:
            yield _dni(match.start(), match.end(), raw, "8 digits: the form of a Peruvian DNI")
            continue
        if bare and len(digits) == 11 and _ruc_valid(digits):
            yield Finding(match.start(), match.end(), raw, "id",
                          "11 digits with a valid RUC check digit")
            continue
        try:
            number = phonenumbers.parse(raw, "PE")
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_valid_number(number):
            region = phonenumbers.region_code_for_number(number) or "?"
            yield Finding(match.start(), match.end(), raw, "phone",
                          f"valid phone number ({region}, libphonenumber)")
        elif 7 <= len(digits) <= 15 and (_PHONE_CUE.search(before) or raw.startswith("+")):
            yield Finding(match.start(), match.end(), raw, "phone",
                          "phone-like digits after a phone cue")
    for start, end, value, label in _after_cues(text, windows, _ID_CUE, _ID_VALUE, 40):
        digits = re.sub(r"\D", "", value)
        if len(digits) == 8 and value[:1].isdigit() and len(value.replace(" ", "")) <= 10:
            yield _dni(start, end, value, f"8 digits after '{label}'")
        elif len(digits) == 11 and _ruc_valid(digits):
            yield Finding(start, end, value, "id", f"valid RUC after '{label}'")
        else:
            yield Finding(start, end, value, "id", f"ID-like number after '{label}'")


def _dni(start: int, end: int, raw: str, reason: str) -> Finding:
    return Finding(start, end, raw, "dni", reason)


def _ruc_valid(digits: str) -> bool:
    from stdnum.pe import ruc

    return ruc.is_valid(digits)


def _after_cues(text: str, windows: list[tuple[int, int]], cue: re.Pattern,
                value: re.Pattern, width: int):
    """(start, end, value, cue word) for each `value` right after a `cue`."""
    for match in _find(value, text, windows):
        before = _before(text, match.start(), width)
        found = cue.search(before)
        if found:
            yield match.start(), match.end(), match.group(0), found.group(0).split()[0]


_AT = re.compile(r"@|[\[(](?:at|arroba)[\])]", re.IGNORECASE)


def emails(text: str, windows: list[tuple[int, int]]) -> Iterator[Finding]:
    if "@" not in text and "at]" not in text and "at)" not in text and "oba]" not in text \
            and "oba)" not in text:
        return
    seen = -1
    for at in _AT.finditer(text):
        start = max(0, at.start() - 64)
        for match in _EMAIL.finditer(text, start, min(len(text), at.end() + 64)):
            if match.start() > seen:
                seen = match.start()
                yield Finding(match.start(), match.end(), match.group(0), "email",
                              "e-mail address")


def addresses(text: str, windows: list[tuple[int, int]]) -> Iterator[Finding]:
    for match in _find(_ADDRESS, text, windows):
        yield Finding(match.start(), match.end(), match.group(0).rstrip(), "address",
                      "street name with a number")


def birth_dates(text: str, windows: list[tuple[int, int]]) -> Iterator[Finding]:
    for match in _find(_DATE, text, windows):
        cue = _BIRTH_CUE.search(_before(text, match.start(), 45))
        if cue:
            yield Finding(match.start(), match.end(), match.group(0), "birth_date",
                          f"exact date after '{cue.group(0).split()[0]}'")


def file_numbers(text: str, windows: list[tuple[int, int]]) -> Iterator[Finding]:
    for match in _find(_JUDICIAL, text, windows):
        yield Finding(match.start(), match.end(), match.group(0), "file_number",
                      "Peruvian judicial file number")
    for start, end, value, label in _after_cues(text, windows, _FILE_CUE, _CODE, 30):
        if sum(c.isdigit() for c in value) >= 3:
            yield Finding(start, end, value.strip(), "file_number",
                          f"number after '{label}'")


def plates(text: str, windows: list[tuple[int, int]]) -> Iterator[Finding]:
    for match in _find(_PLATE, text, windows):
        yield Finding(match.start(), match.end(), match.group(0), "plate",
                      "Peruvian licence plate pattern")
    for start, end, value, label in _after_cues(text, windows, _PLATE_CUE, _PLATE_LOOSE, 25):
        if any(c.isdigit() for c in value):
            yield Finding(start, end, value, "plate", f"plate after '{label}'")


DETECTORS = (phones_and_ids, emails, addresses, birth_dates, file_numbers, plates)
