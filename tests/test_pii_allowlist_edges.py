"""The allowlist in detail: how terms are folded, the defaults, phrases, and the project's
terms (its own plus the codebook's code names)."""

from __future__ import annotations

import pytest

from qcode.errors import InputError
from qcode.pii.allowlist import Allowlist, add_terms, fold, project_allowlist, project_terms


@pytest.mark.parametrize("text, folded", [
    ("  Patio   CHICO ", "patio chico"),          # ASCII: lower case, single spaces
    ("Ñúñez\tGARCÍA", "nunez garcia"),            # accents dropped, tabs are spaces
    ("STRAßE  Müller", "strasse muller"),         # casefold: ß is ss
    ("Ancón\n II", "ancon ii"),
])
def test_fold_ignores_case_accents_and_spacing(text, folded):
    assert fold(text) == folded


def test_the_defaults_are_there_unless_turned_off():
    assert "Lurigancho" in Allowlist() and "santa mónica" in Allowlist()
    assert Allowlist(defaults=False).terms == set()
    assert Allowlist(["Patio  Chico", "", "  "], defaults=False).terms == {"patio chico"}


def test_a_term_is_in_the_list_in_any_spelling():
    allow = Allowlist(["Pátio Chico"], defaults=False)
    assert "PATIO  chico" in allow
    assert "Patio" not in allow and "Patio Chico Grande" not in allow


def test_a_phrase_whose_first_word_begins_no_term_is_not_allowed():
    allow = Allowlist(["Patio Chico"], defaults=False)
    assert allow.phrase("Patio Chico") and allow.phrase("  PÁTIO chico")
    assert not allow.phrase("Chico Patio") and not allow.phrase("Patio")
    assert not allow.phrase("")
    allow.add(["Chico"])
    assert allow.phrase("chico") and not allow.phrase("Chico Patio")
    allow.add(["Penal de Ancón"])  # a phrase of three words: known by its first word
    assert allow.phrase("penal de  ANCON") and not allow.phrase("Penal de")


def test_project_terms_are_its_own_then_each_live_codes_name_and_long_words(project):
    conn = project.conn
    add_terms(conn, ["Zeta", "Alfa"])
    conn.execute("INSERT INTO code (id, position, name) VALUES ('a', 1, 'Ruta del penal')")
    conn.execute("INSERT INTO code (id, position, name, retired_at) "
                 "VALUES ('b', 2, 'Viejo código', '2020-01-01')")
    # words of three letters or fewer ("del") are not terms on their own; retired codes
    # lend nothing
    assert project_terms(conn) == ["Alfa", "Zeta", "Ruta del penal", "Ruta", "penal"]
    allow = project_allowlist(conn)
    assert "ruta del penal" in allow and "penal" in allow and "del" not in allow
    assert "Lurigancho" in allow  # the defaults come with it


def test_add_terms_keeps_one_of_each_and_single_spaces(project):
    conn = project.conn
    assert add_terms(conn, ["Patio  Chico", "Patio Chico", "patio chico"]) == ["Patio Chico"]
    assert project_terms(conn) == ["Patio Chico"]


@pytest.mark.parametrize("terms", [[], [""], ["Vega", "  "]])
def test_add_terms_refuses_no_term_or_an_empty_one(project, terms):
    with pytest.raises(InputError) as refused:
        add_terms(project.conn, terms)
    assert str(refused.value) == ("pii allow: give one or more non-empty terms, e.g. "
                                  "`qcode pii allow \"Penal de Ancón\" \"Patio Chico\"`")
    assert project_terms(project.conn) == []
