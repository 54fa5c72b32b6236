"""The name detector judges quiet capitalised words (one word whose context rules out a
title or cue) once per distinct word and every other capital where it stands. Its findings
must be those of the plain algorithm that judges every capitalised sequence in text order,
kept here as the reference."""

from __future__ import annotations

import random

import pytest

from qcode.pii import Allowlist
from qcode.pii import names as names_module
from qcode.pii.allowlist import fold, plain
from qcode.pii.names import (
    _SEQUENCE,
    _TOKEN,
    NOT_NAMES,
    _name_runs,
    _title_before,
    name_lists,
    names,
)


def reference(text: str, allow: Allowlist) -> list[tuple[int, int, str]]:
    """Every capitalised sequence in text order, each judged in place."""
    first, last = name_lists()
    found = []
    for match in _SEQUENCE.finditer(text):
        sequence, offset = match.group(0), match.start()
        if sequence.endswith(("'s", "’s")):
            sequence = sequence[:-2]
        if " " in sequence or "\t" in sequence:
            if fold(sequence) in allow.terms:
                continue
            words = [(m.start() + offset, m.end() + offset, m.group(0))
                     for m in _TOKEN.finditer(sequence) if m.group(0)[0].isupper()]
        else:
            key = plain(sequence)
            if key in NOT_NAMES or key in allow.terms or (
                    key not in first and key not in last and not _title_before(text, offset)):
                continue
            words = [(offset, offset + len(sequence), sequence)]
        found += _name_runs(text, words, first, last, allow)
    return found


def found(text: str, allow: Allowlist | None = None) -> list[tuple[int, int, str]]:
    return [(f.start, f.end, f.reason) for f in names(text, allow or Allowlist())]


# Each context a capital can stand in: after a sentence's last word (long, short, or an
# abbreviation, in any case and with accents: "Líc." folds to "lic", "ſr." to "sr"), after
# punctuation, a digit, a line end or a quote, inside a sequence (a quoted nickname, "st."),
# with a possessive, a hyphen, a tab or two spaces before it.
CASES = [
    "Vino ayer. Quispe no.", "Vino de. Quispe no.", "Vino el Sr. Quispe.", "Vino el sr. Vega.",
    "Vino la SRTA. Vega.", "Vino el Lic. Vega.", "Vino el Líc. Vega.", "Vino el ſr. Vega.",
    "Vino el Prof. Vega.", "Vino el prof.. Vega.", "Vino el dr. Trabajo.", "Vino la Dra. Luz.",
    "Vino él. Quispe no.", "Vino más. Rosa no.", "Dijo: Quispe.", "Dijo (Quispe).",
    "Dijo —Quispe.", 'Juan "Toño" Ruiz vino.', "Vimos a Juan st. Pierre.", "Era O'Brien.",
    "Era María-José.", "Es de Quispe's.", "E: Hola.\nR: Quispe.", "En 12. Quispe vino.",
    "Vino casa.\tQuispe.", "Vino casa.  Quispe.", "Vino, Quispe.", "Se llama. Vega.",
    "se llama Vega.", "El señor, Vega.", "el señor Trabajo vino.", "Vino Rosa Flores.",
    "Vino ROSA FLORES.", "Castro Castro es. Castro.", "San Pedro. Pedro vino.", "Q. Vega",
    "Vino. Ñato. Vega Pérez.", "Vino ayer.Quispe.", "vino @Quispe. x.Vega", "A. B. C. Quispe.",
]


@pytest.mark.parametrize("text", CASES)
def test_each_context_gives_the_findings_of_the_plain_algorithm(text):
    assert found(text) == reference(text, Allowlist())


def test_listed_names_at_sentence_starts_are_found_where_each_stands():
    # "Quispe" is a strong listed surname: flagged at each of its three sentence starts
    # ("Hola. " is 6 characters, "Quispe vino. " 13, "Quispe no. " 11), and inside
    # 'Juan "Quispe" Ruiz' (41 to 41 + 18) only as part of that one sequence.
    text = "Hola. Quispe vino. Quispe no. Quispe sí. Juan \"Quispe\" Ruiz."
    assert [f[:2] for f in found(text)] == [(6, 12), (19, 25), (30, 36), (41, 59)]
    assert found(text) == reference(text, Allowlist())


def test_an_allowed_phrase_is_judged_the_same_way():
    allow = Allowlist(["Patio Chico", "Rosa Flores"])
    text = "Vino a Patio Chico. Rosa Flores no. Patio Chico Vega sí."
    assert found(text, allow) == reference(text, allow)


WORDS = ("casa de la que el trabajo muy bien sí más él Quispe Rosa Flores Vega Pedro Juan "
         "señor Sr. sr. Dr. Lic. se llama me llamo San Castro INPE Lima O'Brien María-José "
         "Quispe's \"Toño\" st. del E: R: 1990 ( ) — , ; : ? !").split()


def test_random_texts_give_the_findings_of_the_plain_algorithm():
    rng = random.Random(15)
    for _ in range(300):
        tokens = rng.choices(WORDS, k=40)
        text = "".join(t + rng.choice((" ", " ", " ", ". ", "\n", ".\t", "  ", ",")) for t in
                       (w.capitalize() if rng.random() < 0.3 else w for w in tokens))
        assert found(text) == reference(text, Allowlist()), text


# Verdicts on quiet words are kept from one text to the next (names._listed); they leave
# the allowlist out, so an allowlist that changes between scans is still obeyed.
def test_a_kept_verdict_obeys_the_allowlist_of_each_scan():
    text = "Llegamos. Quispe vino."  # "Quispe", a strong surname, quiet after "Llegamos. "
    allow = Allowlist()
    assert [f[:2] for f in found(text, allow)] == [(10, 16)]
    assert "Quispe" in names_module._LISTED and "Llegamos" in names_module._UNLISTED
    allow.add(["Quispe"])  # what `qcode pii allow Quispe` adds to the next scan's list
    assert found(text, allow) == []
    assert [f[:2] for f in found(text)] == [(10, 16)]  # another allowlist: flagged again


def test_kept_verdicts_stay_within_their_bound(monkeypatch):
    monkeypatch.setattr(names_module, "VERDICTS", 50)
    monkeypatch.setattr(names_module, "_LISTED", set())
    monkeypatch.setattr(names_module, "_UNLISTED", set())
    letters = "abcdefghij"
    for n in range(40):  # 40 texts of 5 new quiet words each (Zzaaaxx ...): 200 in all
        words = [f"Zz{letters[n // 10]}{letters[n % 10]}{letters[i]}xx" for i in range(5)]
        assert found(". ".join(words) + ".") == []
        assert len(names_module._LISTED) + len(names_module._UNLISTED) <= 50
    assert "Zzaaaxx" not in names_module._UNLISTED  # the first texts' words were let go
    assert "Zzdjexx" in names_module._UNLISTED  # and the last text's kept
    # a listed name is still judged right after that
    assert [f[:2] for f in found("Llegamos. Quispe vino.")] == [(10, 16)]
    assert sorted(names_module._LISTED) == ["Quispe"]


def test_a_listed_word_judged_before_the_verdicts_are_let_go_is_still_found(monkeypatch):
    monkeypatch.setattr(names_module, "VERDICTS", 3)
    monkeypatch.setattr(names_module, "_LISTED", set())
    monkeypatch.setattr(names_module, "_UNLISTED", set())
    assert [f[:2] for f in found("Llegamos. Quispe vino.")] == [(10, 16)]  # 2 verdicts kept
    # Quispe is known; Llegaron and Fuimos are new and overflow the bound of 3 words
    text = "Llegamos. Quispe vino. Llegaron. Fuimos."
    assert [f[:2] for f in found(text)] == [(10, 16)]
    assert sorted(names_module._UNLISTED) == ["Fuimos", "Llegaron"]  # the rest let go
