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


def two_documents(project, tmp_path, codebook: str) -> None:
    project.load_codebook(write(tmp_path / "cb.yaml", codebook))
    project.import_files([write(tmp_path / "a.txt", TEXT),
                          write(tmp_path / "b.txt", TEXT.replace("uno", "one"))])


@pytest.fixture
def appendix(project, tmp_path):
    """route: ana a#1 a#2, ben a#2, ana b#1 (then removed), final (consensus) b#3.
    pay: never coded."""
    two_documents(project, tmp_path, CODEBOOK)
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
    empty = project.codebook_table()  # no codebook yet: no rows, the same columns
    assert empty.empty and list(empty.columns) == ["name", "definition", "include", "exclude",
                                                   "examples", "codings", "segments",
                                                   "documents"]
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


def test_cooccurrence_names_its_axes_and_counts_in_whole_numbers(appendix):
    both = appendix.cooccurrence(unit="document", keep_empty=True)
    assert (both.index.name, both.columns.name) == ("code (documents)", "code")
    assert (both.attrs["unit"], both.attrs["jaccard"]) == ("document", False)
    assert both.dtypes.tolist() == ["int64", "int64"]
    assert both.loc["route", "route"] == 1                      # a only (b's are gone)
    jaccard = appendix.cooccurrence(jaccard=True)
    assert jaccard.attrs["jaccard"] is True and jaccard.index.name == "code (Jaccard, segments)"


DEEP = """\
codes:
  - id: r
    name: Routes
    children:
      - {id: r.v, name: Visitors, children: [{id: r.v.f, name: Food}, {id: r.v.b, name: Body}]}
      - {id: r.s, name: Staff}
  - {id: o, name: Other}
"""


@pytest.fixture
def deep(project, tmp_path):
    """Three levels. r.v.f: ana a#1 a#2; r.v.b: ana a#2; r.s: ben b#1; o: ana a#3.
    Neither r nor r.v has codings of its own."""
    two_documents(project, tmp_path, DEEP)
    project.code("a", [1, 2], ["r.v.f"], coder="ana")
    project.code("a", [2], ["r.v.b"], coder="ana")
    project.code("b", [1], ["r.s"], coder="ben")
    project.code("a", [3], ["o"], coder="ana")
    return project


def test_every_uncoded_ancestor_aggregates_by_default(deep):
    """r and r.v have no codings: both count their subtree's distinct segments (r: a#1, a#2
    and b#1; r.v: a#1, a#2). The Total row adds the codes that are not aggregated:
    a = 2 + 1 + 0 + 1 = 4, b = 1."""
    frame = deep.matrix(labels="indent")
    assert frame.to_dict("split") == {
        "index": ["Routes (with children)", "  Visitors (with children)", "    Food",
                  "    Body", "  Staff", "Other", "Total"],
        "columns": ["a", "b", "Total"],
        "data": [[2, 1, 3], [2, 0, 2], [2, 0, 2], [1, 0, 1], [0, 1, 1], [1, 0, 1], [4, 1, 5]]}
    assert frame.attrs["aggregated"] == ["r", "r.v"]
    assert deep.matrix(labels="path").index[2] == "Routes > Visitors > Food"


def test_levels_and_code_patterns_total_the_top_shown_codes(deep):
    """level 2 keeps r, r.v, r.s, o, each aggregating its subtree; the Total row adds r and
    o only (r.v and r.s are inside r): a = 2 + 1, b = 1 + 0."""
    two = deep.matrix(level=2)
    assert two.to_dict("split")["index"] == ["r", "r.v", "r.s", "o", "Total"]
    assert two["a"].tolist() == [2, 2, 0, 1, 3] and two["b"].tolist() == [1, 0, 1, 0, 1]
    # only r.v's subtree shown: r.v is the top, its children are inside it
    visitors = deep.matrix(codes="r.v*", include_children=True)
    assert visitors["a"].to_dict() == {"r.v": 2, "r.v.f": 2, "r.v.b": 1, "Total": 2}
    # a pattern that skips r.v: r.v.f and r.v.b are still inside r, shown above them
    skipped = deep.matrix(codes="*[!v]", include_children=True)
    assert skipped["a"].to_dict() == {"r": 2, "r.v.f": 2, "r.v.b": 1, "r.s": 0, "o": 1,
                                      "Total": 3}
    # siblings only: each is a top code and a#2 counts for both
    leaves = deep.matrix(codes="r.v.*", include_children=True)
    assert leaves["a"].to_dict() == {"r.v.f": 2, "r.v.b": 1, "Total": 3}


def test_a_matrix_records_how_it_was_made(deep):
    frame = deep.matrix("coder", count="codings", percent="row", level=2)
    assert frame.attrs == {
        "count": "codings", "by": "coder", "coder": None, "percent": "row",
        "include_children": True, "level": 2, "aggregated": [], "coders": ["ana", "ben"],
        "number_formats": {"*": (100, "0.0%")}}
    assert frame.index.name == "code (% of row, codings)"
    # codings (one per coded segment): r counts r.v.f's 2 and r.v.b's 1 by ana, r.s's 1 by
    # ben: ana 3 of 4
    assert frame.loc["r", "ana"] == 75.0
    plain = deep.matrix(coder="ben")
    assert (plain.attrs["coder"], plain.attrs["coders"]) == ("ben", ["ben"])
    assert "number_formats" not in plain.attrs and plain.attrs["include_children"] is None


def test_bad_percent_and_labels_name_the_choices(deep):
    with pytest.raises(InputError, match=r"^--percent rows: choose from row, column, total$"):
        deep.matrix(percent="rows")
    with pytest.raises(InputError, match=r"^--labels ids: choose from id, name, indent, path$"):
        deep.matrix(labels="ids")


def test_words_of_a_code_nobody_used_in_a_coded_document(appendix):
    """The slice holds documents with codings (route's), but none of pay: no words, and no
    error from an empty list of documents."""
    words = appendix.matrix(count="words", codes="pay")
    assert words.loc["pay"].tolist() == [0, 0, 0]


def test_a_document_pattern_matching_nothing_leaves_no_columns(appendix):
    appendix.conn.execute("INSERT INTO attribute (document_id, name, value)"
                          " SELECT id, 'site', 'x' FROM document")
    for by in ("speaker", "role", "attribute:site"):
        frame = appendix.matrix(by, documents="nothing*")
        assert list(frame.columns) == ["Total"] and frame["Total"].tolist() == [0, 0, 0]


def test_a_marked_parent_with_a_used_code_hidden_is_totalled_itself(deep):
    """By default the Total row adds the codes below a marked parent (its row repeats
    theirs). When --codes hides a used code below it, only the parent's row holds that
    code's units: the parent is totalled, and the rows below it are inside it.
    r: a#1, a#2 (r.v.f, r.v.b) and b#1 (r.s); r.v: a#1, a#2; o: a#3."""
    alone = deep.matrix(codes="r")
    assert alone.loc["r (with children)"].tolist() == [2, 1, 3]
    assert alone.loc["Total"].tolist() == [2, 1, 3]
    nested = deep.matrix(codes="*[!fbs]")  # r, r.v, o: r.v is inside r
    assert nested.index.tolist() == ["r (with children)", "r.v (with children)", "o", "Total"]
    assert nested.loc["Total"].tolist() == [3, 1, 4]
    # r and r.s show, r.v.f and r.v.b do not: r, with r.s inside it
    partial = deep.matrix(codes="*[rs]")
    assert partial.index.tolist() == ["r (with children)", "r.s", "Total"]
    assert partial.loc["Total"].tolist() == [2, 1, 3]
    # every used code below r.v shows: r.v repeats them, they are totalled
    shown = deep.matrix(codes="r.v*")
    assert shown.loc["Total"].tolist() == [3, 0, 3]
    # no column's Total is below one of its cells, so shares stay within 100%
    assert deep.matrix(codes="*[rs]", percent="column").loc["r (with children)"].tolist() == [
        100.0, 100.0, 100.0]


def test_cooccurrence_of_some_documents_and_of_respondents_only(deep):
    """Segments 1 and 3 are E's (guessed the interviewer), 2 is R's (the respondent).
    Only b: r.s on b#1. Respondents only: a#2, coded r.v.f and r.v.b."""
    assert deep.cooccurrence(documents="b").to_dict() == {"r.s": {"r.s": 1}}
    answers = deep.cooccurrence(respondents_only=True)
    assert answers.to_dict() == {"r.v.f": {"r.v.f": 1, "r.v.b": 1},
                                 "r.v.b": {"r.v.f": 1, "r.v.b": 1}}


def test_jaccard_of_a_code_used_once_and_of_unused_codes_without_warnings(deep):
    """r.s is on one segment: 1 of 1 with itself. r.v.f (a#1, a#2) and r.v.b (a#2): 1 of
    2 + 1 - 1 = 2. r and r.v are never used: 0, and no 0/0 warning reaches the user."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = deep.cooccurrence(jaccard=True, keep_empty=True)
    assert frame.loc["r.s", "r.s"] == 1.0 and frame.loc["r.v.f", "r.v.b"] == 0.5
    assert frame.loc["r", "r"] == 0.0 and frame.loc["r.v", "r.s"] == 0.0


@pytest.mark.parametrize("count", ["segments", "words"])
def test_a_matrix_counted_one_document_at_a_time_is_the_same(deep, monkeypatch, count):
    """Slices of one document (a, then b): which codes were used, by whom, and the cells
    add up over the slices. Segments as in test_every_uncoded_ancestor_aggregates_by_default;
    words: a#1 "uno." 1, a#2 "dos dos." 2, a#3 "tres." 1, b#1 "one." 1."""
    from qcode import matrices

    monkeypatch.setattr(matrices, "SLICE_DOCUMENTS", 1)
    frame = deep.matrix(count=count)
    assert frame.attrs["aggregated"] == ["r", "r.v"]
    assert frame.attrs["coders"] == ["ana", "ben"]
    expected = {"segments": {"a": [2, 2, 2, 1, 0, 1, 4], "b": [1, 0, 0, 0, 1, 0, 1]},
                "words": {"a": [3, 3, 3, 2, 0, 1, 6], "b": [1, 0, 0, 0, 1, 0, 1]}}[count]
    assert {column: frame[column].tolist() for column in ("a", "b")} == expected


def test_codings_of_a_code_the_codebook_no_longer_has(deep):
    """A project can hold live codings of a retired code (a copy made before codings were
    marked removed on retirement): the matrix leaves them out, quotations show them last,
    under the code's id."""
    deep.conn.execute("UPDATE code SET retired_at = 't' WHERE id = 'r.v.b'")
    frame = deep.matrix()
    assert "r.v.b" not in frame.index
    assert frame.loc["r (with children)"].tolist() == [2, 1, 3]   # a#1, a#2 by r.v.f; b#1
    assert frame.loc["Total"].tolist() == [3, 1, 4]               # r.v.f 2, r.s 1, o 1
    quotes = deep.quotes()
    assert quotes[["code", "name"]].values.tolist()[-1] == ["r.v.b", "r.v.b"]
    assert quotes["code"].tolist() == ["r.v.f", "r.v.f", "r.s", "o", "r.v.b"]


def test_an_unknown_coder_is_refused_even_where_nothing_is_coded(deep, tmp_path):
    deep.import_files([write(tmp_path / "c.txt", "E: otra.\nR: nada.\n")])
    with pytest.raises(InputError, match=r"^no codings by coder 'cy'; coders in this "
                                         r"project: ana, ben$"):
        deep.matrix(coder="cy", documents="c")


def test_presence_counts_a_coding_that_holds_no_whole_word(deep):
    """[24, 28) is "res." inside a#3 "tres." (whose first character, 23, lies outside it):
    no word, but the code is present in a, on one segment."""
    deep.code("a", None, ["r.s"], span=(24, 28), coder="ana")
    assert deep.matrix(count="words").loc["r.s"].tolist() == [0, 1, 1]       # b#1 "one."
    assert deep.matrix(count="presence").loc["r.s"].tolist() == [1, 1, 2]


def test_library_defaults_presence_and_whole_numbers(appendix):
    """`matrix(conn)` alone: by document, segments, ids as labels, every speaker. route: ana
    a#1 a#2 and ben a#2 -> 2 distinct segments in a; b only by final (a consensus coder,
    left out unless named) -> 0. Presence turns a's 2 into 1. Cells stay whole numbers."""
    from qcode.matrices import matrix

    frame = matrix(appendix.conn)
    assert list(frame.columns) == ["a", "b", "Total"]
    assert list(frame.index) == ["route", "pay", "Total"]
    assert frame.loc["route"].tolist() == [2, 0, 2]
    assert frame.index.name == "code (segments)"
    assert (frame.dtypes == "int64").all()
    presence = matrix(appendix.conn, count="presence")
    assert presence.loc["route"].tolist() == [1, 0, 1]
    assert (presence.dtypes == "int64").all()


def test_respondents_only_leaves_out_other_speakers(appendix):
    """Speaker E of both documents is set to `other` (R is guessed a respondent): route's
    a#1 (E) is left out, a#2 (R) stays -> 1; by role, one segment each."""
    from qcode.matrices import matrix

    appendix.set_speaker_role("E", "other")
    assert matrix(appendix.conn, respondents_only=True).loc["route"].tolist() == [1, 0, 1]
    assert matrix(appendix.conn).loc["route"].tolist() == [2, 0, 2]
    by_role = matrix(appendix.conn, by="role")
    assert list(by_role.columns) == ["other", "respondent", "Total"]
    assert by_role.loc["route"].tolist() == [1, 1, 2]


def test_a_speaker_without_a_role_counts_under_the_no_role_column(project, tmp_path):
    """Ana and Luis are names, not roles (pseudonyms, so --allow-pii): no role is guessed
    for them, so route's one coded turn (Ana's, segment 1) is counted in the no-role column
    of a matrix by role."""
    from qcode.matrices import NONE, matrix

    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", "Ana: uno.\nLuis: dos dos.\n")],
                         allow_pii=True)
    project.code("a", [1], ["route"], coder="ana")
    frame = matrix(project.conn, by="role")
    assert list(frame.columns) == [NONE, "Total"]
    assert frame.loc["route"].tolist() == [1, 1]
