"""The shortcuts that keep the anonymisation scan fast give the answers of the long way."""

from __future__ import annotations

import pytest

from qcode.pii import Allowlist, scan_text
from qcode.pii.allowlist import fold
from qcode.pii.patterns import DigitWindows


def test_latin1_holds_no_decimal_digit_but_0_to_9():
    # a text that encodes to Latin-1 is searched for [0-9] instead of \d
    assert [c for c in map(chr, range(256)) if c.isdecimal()] == list("0123456789")


@pytest.mark.parametrize("text, runs", [
    ("sin números aquí", []),
    ("año 1990, piso 3", [(4, 8), (15, 16)]),
    # Arabic-Indic digits are decimal digits too (the text is not Latin-1): one run of 8
    ("DNI ٤٠١٢٣٤٥٦ ya", [(4, 13)]),
    ("“entre comillas” 40123456", [(17, 25)]),
])
def test_digit_runs_in_any_script(text, runs):
    assert DigitWindows(text).runs == runs


def test_a_dni_in_another_script_of_digits_is_found():
    assert [f.kind for f in scan_text("mi DNI es ٤٠١٢٣٤٥٦.")] == ["dni"]


@pytest.mark.parametrize("text, kinds", [
    ("escribe a ana (at) mail (dot) com", ["email"]),  # no @: the brackets are enough
    ("escribe a ana [arroba] mail.com", ["email"]),
    ("escribe a ana@mail.com", ["email"]),
    ("nada (sí) [no] que ver", []),
])
def test_the_email_shortcut_keeps_every_written_form(text, kinds):
    assert [f.kind for f in scan_text(text)] == kinds


@pytest.mark.parametrize("phrase", ["Castro Castro", "castro  CASTRO", "Castro Grande",
                                    "Patio Chico", "Pátio chico", " Patio Chico", "", "   ",
                                    "Lima", "Zzz Castro Castro"])
def test_an_allowed_phrase_is_what_its_folded_form_says(phrase):
    allow = Allowlist(["Patio Chico"])
    assert allow.phrase(phrase) == (fold(phrase) in allow.terms)
    allow.add(["Castro Grande"])  # the first words of the terms are learnt again
    assert allow.phrase(phrase) == (fold(phrase) in allow.terms)
