"""Matrices and the codebook table past test_matrices.py: the codebook appendix table, codes
that match nothing, deeper trees, empty rows and columns in percentages."""

from __future__ import annotations

import pytest

from qcode import InputError
from tests.conftest import write

CODEBOOK = """\
codes:
  - id: route
    name: Routes
    definition: How phones get in.
    include:
      - Visitors hiding phones.
      - "  Guards selling them.  "
    exclude: [Phones already inside.]
    examples: ["Lo traía en el pan.", "En la comida."]
  - {id: pay, name: Pay}
"""
# a: 1 "uno." [3, 7)  2 "dos dos." [11, 19)  3 "tres." [23, 28); b the same with "one."
TEXT = "E: uno.\nR: dos dos.\nE: tres.\n"


@pytest.fixture
def appendix(project, tmp_path):
    """route: ana a#1 a#2, ben a#2, ana b#1 (then removed), final (consensus) b#3.
    pay: never coded."""
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", TEXT),
                          write(tmp_path / "b.txt", TEXT.replace("uno", "one"))])
    project.code("a", [1, 2], ["route"], coder="ana")
    project.code("a", [2], ["route"], coder="ben")
    project.code("b", [1], ["route"], coder="ana")
    project.uncode("b", [1], ["route"], coder="ana")
    project.code("b", [3], ["route"], coder="final")
    project.mark_coder("final", "consensus")
    return project


def test_codebook_table_lists_criteria_and_counts_live_codings(appendix):
    """route: codings ana 2 + ben 1 = 3 (the removed one and final's left out); distinct
    segments a#1, a#2 = 2; documents a = 1. Criteria are one item per line, stripped."""
    frame = appendix.codebook_table()
    assert list(frame.columns) == ["name", "definition", "include", "exclude", "examples",
                                   "codings", "segments", "documents"]
    assert frame.index.name == "code" and list(frame.index) == ["route", "pay"]
    route = frame.loc["route"].to_dict()
    assert route == {"name": "Routes", "definition": "How phones get in.",
                     "include": ["Visitors hiding phones.", "Guards selling them."],
                     "exclude": ["Phones already inside."],
                     "examples": ["Lo traía en el pan.", "En la comida."],
                     "codings": 3, "segments": 2, "documents": 1}
    pay = frame.loc["pay"].to_dict()
    assert pay == {"name": "Pay", "definition": "", "include": [], "exclude": [],
                   "examples": [], "codings": 0, "segments": 0, "documents": 0}
    assert frame.attrs == {"kind": "codebook", "coders": ["ana", "ben"]}


def test_codebook_table_of_a_project_without_codings(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    frame = project.codebook_table()
    assert frame[["codings", "segments", "documents"]].values.tolist() == [[0, 0, 0], [0, 0, 0]]
    assert frame.attrs["coders"] == []


def test_codes_matching_nothing_are_one_clear_error(appendix):
    message = r"^--codes nope\*: matches no code; use a pattern such as 'route\.\*'$"
    with pytest.raises(InputError, match=message):
        appendix.matrix(codes="nope*")
    with pytest.raises(InputError, match=message):
        appendix.cooccurrence(codes="nope*")


def test_cooccurrence_of_one_coder_and_without_unused_codes_by_default(appendix):
    """Segments coded route: ana a#1, a#2; ben a#2 (final, a consensus coder, is left out
    unless named). pay is never used: left out unless keep_empty."""
    from qcode.matrices import cooccurrence

    everyone = cooccurrence(appendix.conn)
    assert everyone.to_dict() == {"route": {"route": 2}}
    assert everyone.attrs["coders"] == ["ana", "ben"] and everyone.attrs["dropped"] == 1
    ben = cooccurrence(appendix.conn, coder="ben", keep_empty=True)
    assert ben.to_dict() == {"route": {"route": 1, "pay": 0}, "pay": {"route": 0, "pay": 0}}
    assert (ben.attrs["coder"], ben.attrs["coders"]) == ("ben", ["ben"])
    final = cooccurrence(appendix.conn, coder="final")
    assert final.loc["route", "route"] == 1          # b#3
