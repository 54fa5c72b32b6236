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

from .allowlist import plain
from .findings import Finding

UP = "A-ZÁÉÍÓÚÑÜ"

# What a number is, said in the few words before it (Spanish and English). Up to four
# words may stand between the cue and the number ("DNI para el registro es 40123456"); a
# line end or ; ! ? breaks the link. Words are compared lower-case, without accents or dots.
_CUES = {
    "phone": frozenset("""telefono tel telf cel celular movil whatsapp whats fijo anexo phone
        mobile cell fono ring landline extension""".split()),
    "id": frozenset("""dni documento doc identidad cui carne extranjeria pasaporte passport id
        identity identification insurance ssn ruc libreta cedula""".split()),
    "file": frozenset("""expediente exp ficha registro codigo interno reclusa recluso celda caso
        causa carpeta casillero file case docket inmate prisoner booking record""".split()),
    "plate": frozenset("placa matricula plate registration patente".split()),
}
_CUE_KIND = {word: kind for kind, words in _CUES.items() for word in words}
_PHONE_PREFIXES = ("llam", "call", "text", "contact", "marc")
_BIRTH_CUE = re.compile(
    r"(?:naci[oó]?|nac[ií]|nacid[oa]|nacimiento|cumpleaños|cumple|born|birth|birthday|"
    r"\bDOB|d\.o\.b\.|f\. ?nac\.?)\b[^.\n]{0,25}$", re.IGNORECASE)


def _cues_before(text: str, start: int) -> list[tuple[str, str]]:
    """(kind, word) of the cue words among the five words before `start`, nearest first."""
    before = text[max(0, start - 60):start]
    cut = max(before.rfind("\n"), before.rfind(";"), before.rfind("!"), before.rfind("?"))
    found = []
    for word in reversed(before[cut + 1:].split()[-5:]):
        key = plain(word.strip(".,:;()[]\"'#°º")).replace(".", "")
        kind = _CUE_KIND.get(key) or ("phone" if key.startswith(_PHONE_PREFIXES) else None)
        if kind:
            found.append((kind, word.strip(",:;()")))
    return found


def _nearest_cue(text: str, start: int, value: str) -> tuple[str | None, str]:
    """The kind of number the closest cue before `start` announces ("id", "file", "phone",
    "plate" or None) and the cue word. Eight bare digits (a DNI's shape) go to any ID cue
    in reach."""
    cues = _cues_before(text, start)
    if not cues:
        return None, ""
    if len(value) == 8 and value.isdigit():
        for kind, word in cues:
            if kind == "id":
                return kind, word
    return cues[0]


# Digit runs that may be phone numbers: optional +, 7 to 15 digits with common separators.
_DIGITS = re.compile(r"[+(\d](?<![\w/.,:-][+(\d])(?:(?<=\+) ?)?(?:(?<=\()\d{1,4}\)[ .-]?)?"
                     r"(?:(?<=[+ .-])\d|(?<=\d))(?:[ .-]?\d){5,14}(?![\w/-])")
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@| ?[\[(](?:at|arroba)[\])] ?)[\w-]+(?:(?:\.| ?[\[(](?:dot|punto)"
    r"[\])] ?)[\w-]+)*(?:\.| ?[\[(](?:dot|punto)[\])] ?)[A-Za-z]{2,}\b", re.IGNORECASE)
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
_CODE = re.compile(r"(?<![\w/-])(?:[A-Z]{1,5}[-/ ]?){0,3}\d[\dA-Z/-]*[\dA-Z]")
# Peruvian plates: ABC-123, A1B-234, 1234-AB (motorcycles); with a cue, other countries' too.
_PLATE = re.compile(rf"\b(?:[{UP}][{UP}0-9][{UP}]-\d{{3}}|[{UP}]{{3}}-\d{{3}}"
                    rf"|\d{{4}}-[{UP}]{{2}})\b")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PLATE_LOOSE = re.compile(r"[A-Z0-9]{1,4}[- ]?[A-Z0-9]{2,4}")
_ID_VALUE = re.compile(r"[A-Z]{0,3}\d{6,12}(?:[- ]?[\dA-Z])?\b|[A-Z]{1,3}\d{5,9}\b")


_DIGIT_RUN = re.compile(r"\d[\d ./()+-]*")
_LATIN1_DIGIT_RUN = re.compile(r"[0-9][0-9 ./()+-]*")  # the only decimal digits in Latin-1


def _digit_runs(text: str) -> list[tuple[int, int]]:
    try:
        text.encode("latin-1")  # most transcripts: then a cheaper regex, or none at all
    except UnicodeEncodeError:
        return [m.span() for m in _DIGIT_RUN.finditer(text)]
    if not any(digit in text for digit in "0123456789"):
        return []
    return [m.span() for m in _LATIN1_DIGIT_RUN.finditer(text)]


class DigitWindows:
    """Stretches of text around digits, merged. Every detector here needs a digit, so
    they run only there: most of an interview has none, which keeps a scan fast."""

    def __init__(self, text: str):
        self.length = len(text)
        self.runs = _digit_runs(text)
        self.narrow = self.around(20, 24)  # numbers, codes, plates, dates
        self.wide = self.around(70, 40)    # street addresses ("Av. Los Próceres 1234")

    def around(self, before: int, after: int) -> list[tuple[int, int]]:
        windows: list[tuple[int, int]] = []
        for run_start, run_end in self.runs:
            start, end = max(0, run_start - before), min(self.length, run_end + after)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], end))
            else:
                windows.append((start, end))
        return windows


def _find(pattern: re.Pattern, text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match]:
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def phones_and_ids(text: str, windows: DigitWindows) -> Iterator[Finding]:
    """Phone numbers (validated), DNI, RUC, passports and other cue-led ID numbers."""
    import phonenumbers

    for match in _find(_DIGITS, text, windows.narrow):
        raw = match.group(0)
        digits = re.sub(r"\D", "", raw)
        cue, _ = _nearest_cue(text, match.start(), raw)
        if cue in ("id", "file"):
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
        elif 7 <= len(digits) <= 15 and (cue == "phone" or raw.startswith("+")):
            yield Finding(match.start(), match.end(), raw, "phone",
                          "phone-like digits after a phone cue")
    for start, end, value, label in _after_cues(text, windows.narrow, "id", _ID_VALUE):
        digits = re.sub(r"\D", "", value)
        if len(digits) == 8 and value[:1].isdigit():  # (then at most 10 characters long)
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


def _after_cues(text: str, windows: list[tuple[int, int]], kind: str, value: re.Pattern):
    """(start, end, value, cue word) for each `value` whose nearest cue announces `kind`."""
    for match in _find(value, text, windows):
        found, word = _nearest_cue(text, match.start(), match.group(0))
        if found == kind:
            yield match.start(), match.end(), match.group(0), word


_AT = re.compile(r"@|[\[(](?:at|arroba)[\])]", re.IGNORECASE)


def emails(text: str, windows: DigitWindows) -> Iterator[Finding]:
    if "@" not in text and (("]" not in text and ")" not in text) or (
            "at]" not in text and "at)" not in text and "oba]" not in text
            and "oba)" not in text)):
        return
    seen = -1
    for at in _AT.finditer(text):
        start = max(0, at.start() - 64)
        for match in _EMAIL.finditer(text, start, min(len(text), at.end() + 64)):
            if match.start() > seen:
                seen = match.start()
                yield Finding(match.start(), match.end(), match.group(0), "email",
                              "e-mail address")


def addresses(text: str, windows: DigitWindows) -> Iterator[Finding]:
    for match in _find(_ADDRESS, text, windows.wide):
        yield Finding(match.start(), match.end(), match.group(0), "address",
                      "street name with a number")


def birth_dates(text: str, windows: DigitWindows) -> Iterator[Finding]:
    for match in _find(_DATE, text, windows.narrow):
        cue = _BIRTH_CUE.search(text[max(0, match.start() - 45):match.start()])
        if cue:
            yield Finding(match.start(), match.end(), match.group(0), "birth_date",
                          f"exact date after '{cue.group(0).split()[0]}'")


def file_numbers(text: str, windows: DigitWindows) -> Iterator[Finding]:
    for match in _find(_JUDICIAL, text, windows.narrow):
        yield Finding(match.start(), match.end(), match.group(0), "file_number",
                      "Peruvian judicial file number")
    for start, end, value, label in _after_cues(text, windows.narrow, "file", _CODE):
        if sum(c.isdigit() for c in value) >= 3 and not _YEAR.fullmatch(value) \
                and not _DATE.fullmatch(value):
            yield Finding(start, end, value, "file_number",
                          f"number after '{label}'")


def plates(text: str, windows: DigitWindows) -> Iterator[Finding]:
    for match in _find(_PLATE, text, windows.narrow):
        yield Finding(match.start(), match.end(), match.group(0), "plate",
                      "Peruvian licence plate pattern")
    for start, end, value, label in _after_cues(text, windows.narrow, "plate", _PLATE_LOOSE):
        if any(c.isdigit() for c in value):
            yield Finding(start, end, value, "plate", f"plate after '{label}'")


DETECTORS = (phones_and_ids, emails, addresses, birth_dates, file_numbers, plates)
