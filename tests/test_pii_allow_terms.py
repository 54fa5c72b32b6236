"""The project's allowlist (`qcode pii allow` / `--remove`): terms are compared folded (case
and accents), so a term already there in another spelling is neither added again nor kept
when removed."""

from __future__ import annotations

from qcode.pii.allowlist import add_terms, project_terms, remove_terms


def test_terms_already_allowed_in_another_spelling_are_not_added_again(project):
    conn = project.conn
    assert add_terms(conn, ["Patio Chico", "Vega"]) == ["Patio Chico", "Vega"]
    assert add_terms(conn, ["patio  chico", "VEGA", "Véga", "Ancón"]) == ["Ancón"]
    assert project_terms(conn) == ["Ancón", "Patio Chico", "Vega"]


def test_removing_a_term_removes_it_in_any_spelling(project):
    conn = project.conn
    add_terms(conn, ["Patio Chico", "Vega"])
    assert remove_terms(conn, ["PATIO CHICO", "nada"]) == 1
    assert project_terms(conn) == ["Vega"]
