"""The shaped identifiers in detail: which cue words announce a number and how far they
reach, each detector's reason, the windows around digits and the e-mail search's reach."""

from __future__ import annotations

import pytest

from qcode.pii import scan_text
from qcode.pii.patterns import (
    DETECTORS,
    DigitWindows,
    _cues_before,
    _nearest_cue,
    emails,
    phones_and_ids,
)


def found(text: str) -> list[tuple[str, str, str]]:
    return [(f.kind, f.text, f.reason) for f in scan_text(text)]


PE = "valid phone number (PE, libphonenumber)"
CUED = "phone-like digits after a phone cue"


@pytest.mark.parametrize("text, expected", [
    # bare digit runs: 8 digits are a DNI; 11 with a RUC check digit an ID; else a valid phone
    ("Su número 45678912 ya", [("dni", "45678912", "8 digits: the form of a Peruvian DNI")]),
    ("es 20131312955 x", [("id", "20131312955", "11 digits with a valid RUC check digit")]),
    ("es 20131312956 x", []),  # 11 digits, wrong check digit, no valid phone
    ("al 987 654 321.", [("phone", "987 654 321", PE)]),
    ("al +44 20 7946 0958.", [("phone", "+44 20 7946 0958",
                               "valid phone number (GB, libphonenumber)")]),
    ("al +800 1234 5678.", [("phone", "+800 1234 5678",  # international freephone
                              "valid phone number (001, libphonenumber)")]),
    # digits libphonenumber rejects are a phone only after a phone cue or with a +
    ("al 123 456 7890 ya", []),
    ("celular 123 456 7890 ya", [("phone", "123 456 7890", CUED)]),
    ("al +999 123 4567 ya", [("phone", "+999 123 4567", CUED)]),
    ("llamé al 123 456 789 ya", [("phone", "123 456 789", CUED)]),   # llam...
    ("marcó el 123 456 789", [("phone", "123 456 789", CUED)]),      # marc...
    ("nos contactó al 123 456 789", [("phone", "123 456 789", CUED)]),
    ("celular 123 456 ya", []),  # 6 digits: too short for a phone even after a cue
    ("celular (1234) 5678 9012 345 ya", [("phone", "(1234) 5678 9012 345", CUED)]),  # 15
    ("celular (1234) 5678 9012 3456 ya", []),  # 16 digits: more than any phone number has
    ("20131312955 y 987 654 321", [("id", "20131312955", "11 digits with a valid RUC check "
                                    "digit"), ("phone", "987 654 321", PE)]),
    # after an ID cue
    ("RUC 20131312955 x", [("id", "20131312955", "valid RUC after 'RUC'")]),
    ("RUC 20131312956 x", [("id", "20131312956", "ID-like number after 'RUC'")]),
    ("DNI 45678912-K ya", [("dni", "45678912-K", "8 digits after 'DNI'")]),
    ("DNI A45678912 ya", [("id", "A45678912", "ID-like number after 'DNI'")]),
    ("DNI 4567891234 ya", [("id", "4567891234", "ID-like number after 'DNI'")]),
    # eight digits go to an ID cue in reach even when a phone cue is nearer
    ("DNI y celular 45678912 ya", [("dni", "45678912", "8 digits after 'DNI'")]),
    ("DNI y celular 4567891 ya", [("phone", "4567891", CUED)]),
    # a number after a file cue is a file number, not a DNI
    ("expediente 45678912", [("file_number", "45678912", "number after 'expediente'")]),
    # numbers after one taken by a cue, or after a DNI, are still read
    ("DNI 45678912 y celular 987 654 321", [("dni", "45678912", "8 digits after 'DNI'"),
                                            ("phone", "987 654 321", PE)]),
    ("45678912 y 987 654 321", [("dni", "45678912", "8 digits: the form of a Peruvian DNI"),
                                ("phone", "987 654 321", PE)]),
    # file numbers: judicial ones alone; others after a cue, with 3 digits or more, and
    # neither a year nor a date
    ("expediente 00457-2016-0-1801-JR-PE-03.", [
        ("file_number", "00457-2016-0-1801-JR-PE-03", "Peruvian judicial file number")]),
    ("expediente 123 ya", [("file_number", "123", "number after 'expediente'")]),
    ("ficha 1234-AB", [("file_number", "1234-AB", "number after 'ficha'")]),
    ("expediente 12 ya", []), ("expediente 2016 ya", []), ("expediente 12/05/2016 ya", []),
    # plates: the Peruvian pattern alone; other shapes after a cue if they hold a digit
    ("placa BFK-482", [("plate", "BFK-482", "Peruvian licence plate pattern")]),
    ("la placa AB 1234 ya", [("plate", "AB 1234", "plate after 'placa'")]),
    ("la placa XYZW 5", []),
    # dates of birth need their cue; the cue is named by its first word
    ("nació el 14/02/1990", [("birth_date", "14/02/1990", "exact date after 'nació'")]),
    ("fecha de nacimiento: 14/02/1990", [
        ("birth_date", "14/02/1990", "exact date after 'nacimiento:'")]),
    ("el 14/02/1990 ya", []),
    ("escribió a ana@mail.pe ya", [("email", "ana@mail.pe", "e-mail address")]),
    # addresses: the street and its number, nothing after
    ("vive en Av. Túpac Amaru 2150 , Comas", [
        ("address", "Av. Túpac Amaru 2150", "street name with a number")]),
])
def test_each_detector_and_its_reason(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text, cues", [
    ("tel. (celular) 9", [("phone", "celular"), ("phone", "tel.")]),  # nearest first
    ("D.N.I. 4", [("id", "D.N.I.")]),             # dots and punctuation ignored
    ("N° de DNI: 4", [("id", "DNI")]),
    ("el código #4", [("file", "código")]),       # accents ignored
    ("la PLACA 4", [("plate", "PLACA")]),          # case ignored
    ("llamó, texted, calling 4", [("phone", "calling"), ("phone", "texted"),
                                  ("phone", "llamó")]),
    ("DNI a b c d 4", [("id", "DNI")]),            # four words between: still in reach
    ("DNI a b c d e 4", []),                       # five: out of reach
    # a line end, ; ! or ? cuts the link (the last of them before the number)
    ("DNI\n4", []), ("DNI; 4", []), ("DNI, ¡claro! 4", []), ("DNI, ¿no? 4", []),
    ("x\nDNI\n4", []), ("x; DNI; 4", []), ("a! DNI b! 4", []), ("a? DNI b? 4", []),
    ("DNIX 4", []), ("XDNI 4", []),               # a cue is a whole word
    ("DNI y\ncelular 4", [("phone", "celular")]),
    ("el 4", []),
])
def test_cue_words_before_a_number(text, cues):
    assert _cues_before(text, len(text) - 1) == cues


def test_cues_reach_back_60_characters():
    near = "DNI " + "x" * 55 + " 4"  # "DNI" starts 60 characters before the number
    far = "DNI " + "x" * 56 + " 4"
    assert _cues_before(near, len(near) - 1) == [("id", "DNI")]
    assert _cues_before(far, len(far) - 1) == []


def test_the_nearest_cue_but_eight_digits_prefer_an_id_cue():
    text = "DNI y celular 4"
    at = len(text) - 1
    assert _nearest_cue(text, at, "45678912") == ("id", "DNI")
    assert _nearest_cue(text, at, "4567891") == ("phone", "celular")
    assert _nearest_cue(text, at, "4567-891") == ("phone", "celular")  # 8 long, not digits
    assert _nearest_cue("y 4", 2, "45678912") == (None, "")


def test_windows_reach_around_each_digit_run_and_merge_when_they_touch():
    text = "x" * 30 + "5" + "x" * 100
    windows = DigitWindows(text)
    assert windows.runs == [(30, 31)]
    assert windows.narrow == [(10, 55)]  # 20 before, 24 after
    assert windows.wide == [(0, 71)]     # 70 before (from the start), 40 after
    assert DigitWindows("5" + "x" * 10).narrow == [(0, 11)]  # clipped at both ends
    touching = "x" * 30 + "5" + "x" * 44 + "6" + "x" * 100  # runs at 30 and 75
    assert DigitWindows(touching).narrow == [(10, 100)]  # (10, 55) and (55, 100) merge
    apart = "x" * 30 + "5" + "x" * 45 + "6" + "x" * 100  # runs at 30 and 76
    assert DigitWindows(apart).narrow == [(10, 55), (56, 101)]


def mails(text: str) -> list[str]:
    return [f.text for f in emails(text, DigitWindows(text))]


def test_each_email_is_found_once_even_where_the_searches_overlap():
    assert mails("a@b.pe y c@d.pe") == ["a@b.pe", "c@d.pe"]
    assert mails("x@y.com") == ["x@y.com"]


@pytest.mark.parametrize("text", ["ana [at] mail.com", "ana (at) mail.com",
                                  "ana [arroba] mail.com", "ana (arroba) mail.com"])
def test_every_spelled_out_at_is_read(text):
    assert mails(f"escribe a {text} ya") == [text]


def test_the_email_search_reaches_64_characters_either_side_of_the_at():
    # 64 characters is the longest local part an address may have (RFC 5321)
    local, domain = "a" * 64, "b" * 61 + ".pe"  # the domain: 64 characters too
    assert mails(f"es {local}@{domain} ya") == [f"{local}@{domain}"]
    assert mails(f"es a{local}@x.pe ya") == []      # 65 before the @
    assert mails(f"es x@b{domain} ya") == []        # 65 after it: the ending is cut


def test_each_detector_reads_each_window_once():
    # two numbers far apart (their windows do not touch), each found once by its detector
    gap = " y luego, mucho después, " + "x" * 60 + " "
    text = ("al 987 654 321" + gap + "al 912 345 678. DNI 45678912" + gap + "DNI 40123456."
            + gap + "Av. Perú 123" + gap + "Av. Lima 456" + gap + "placa ABC-123" + gap
            + "placa ABD-456" + gap + "nació el 1/2/1990" + gap + "nació el 3/4/1991" + gap
            + "expediente 12345" + gap + "expediente 67890")
    windows = DigitWindows(text)
    found = [f.text for detect in DETECTORS for f in detect(text, windows)]
    assert found == ["987 654 321", "912 345 678", "45678912", "40123456", "Av. Perú 123",
                     "Av. Lima 456", "1/2/1990", "3/4/1991", "12345", "67890", "ABC-123",
                     "ABD-456", "ABC-123", "ABD-456"]  # plates by pattern, then after "placa"


def test_a_street_name_may_begin_up_to_70_characters_before_its_number():
    words = "Aaaaaaaaaa " * 6  # six words of ten letters: "Av. " and these are 70 characters
    reach = f"vive en Av. {words}1234 ya"
    assert found(reach) == [("address", f"Av. {words}1234", "street name with a number")]
    beyond = f"vive en Av. A{words}1234 ya"  # 71
    assert found(beyond) == []


def test_the_phone_and_id_detector_leaves_a_number_after_a_file_cue_to_file_numbers():
    for text in ("expediente 45678912", "expediente 987 654 321"):
        assert list(phones_and_ids(text, DigitWindows(text))) == []
