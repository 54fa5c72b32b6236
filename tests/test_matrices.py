"""Matrices, co-occurrence and quotations against counts worked out by hand."""

import pytest

from qcode import InputError
from tests.conftest import write
from tests.test_matrices_edges import DEEP, two_documents

CODEBOOK = """\
codes:
  - id: P
    name: Parent
    children:
      - {id: P.a, name: Child A}
      - {id: P.b, name: Child B}
  - {id: Q, name: Other}
"""
# a: 1 "Pregunta uno." [3,16)  2 "Respuesta uno." [20,34)  3 "Pregunta dos." [38,51)
#    4 "Respuesta dos." [55,69);  b: 1 "Hola." [3,8)  2 "Chau." [12,17)
DOC_A = "E: Pregunta uno.\nR: Respuesta uno.\nE: Pregunta dos.\nR: Respuesta dos.\n"
DOC_B = "E: Hola.\nR: Chau.\n"


@pytest.fixture
def worked(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", DOC_A), write(tmp_path / "b.txt", DOC_B),
                          write(tmp_path / "empty.txt", "E: Nada.\nR: Nada más.\n")],
                         attributes=write(tmp_path / "attrs.csv",
                                          "document,role\na,guard\nb,admin\n"))
    project.code("a", [2], ["P.a", "P.b"], coder="ana")
    project.code("a", [2], ["P.a"], coder="ben")
    project.code("a", None, ["Q"], span=(25, 45), coder="ana")  # spans a#2 and a#3
    project.code("b", [2], ["P.a"], coder="ana")
    project.code("a", [4], ["Q"], coder="ana")
    project.uncode("a", [4], ["Q"], coder="ana")                 # removed: never counted
    return project


def cells(frame):
    return {row: {col: frame.loc[row, col] for col in frame.columns} for row in frame.index}


def test_segments_by_document(worked):
    frame = worked.matrix(include_children=False)
    assert list(frame.columns) == ["a", "b", "empty", "Total"]   # the empty document shows
    assert frame.index.name == "code (segments)"                  # the unit is named
    assert cells(frame) == {
        "P": {"a": 0, "b": 0, "empty": 0, "Total": 0},
        "P.a": {"a": 1, "b": 1, "empty": 0, "Total": 2},   # a#2 by two coders counts once
        "P.b": {"a": 1, "b": 0, "empty": 0, "Total": 1},
        "Q": {"a": 2, "b": 0, "empty": 0, "Total": 2},     # one coding over two segments
        "Total": {"a": 4, "b": 1, "empty": 0, "Total": 5},
    }


def test_parent_without_codings_shows_its_children_by_default(worked):
    frame = worked.matrix()
    # P has no codings of its own: its row is its children's distinct segments (a#2 carries
    # P.a and P.b: one segment; b#2 P.a), marked; the Total row adds the children, not P.
    assert list(frame.index) == ["P (with children)", "P.a", "P.b", "Q", "Total"]
    assert frame.loc["P (with children)"].tolist() == [1, 1, 0, 2]
    assert frame.loc["Total"].tolist() == [4, 1, 0, 5]          # as without aggregation
    assert frame.attrs["aggregated"] == ["P"]
    worked.code("a", [1], ["P"], coder="ana")                   # P now has a coding itself
    again = worked.matrix()
    assert "P" in again.index and again.loc["P"].tolist() == [1, 0, 0, 1]
    assert worked.matrix(labels="name").index[0] == "Parent"


def test_children_aggregate_distinct_units(worked):
    frame = worked.matrix(include_children=True)
    assert frame.loc["P", "a"] == 1          # a#2 carries P.a and P.b: one segment for P
    assert frame.loc["P", "Total"] == 2
    assert frame.loc["Total", "a"] == 3      # roots only: P (1) + Q (2)
    top = worked.matrix(level=1)
    assert list(top.index) == ["P", "Q", "Total"]
    assert top.loc["Total", "Total"] == 4


def test_other_counts(worked):
    codings = worked.matrix(count="codings")
    assert (codings.loc["P.a", "a"], codings.loc["P.a", "Total"], codings.loc["Q", "a"]) == \
        (2, 3, 1)
    speaker = worked.matrix("speaker", count="codings")
    assert (speaker.loc["Q", "R"], speaker.loc["Q", "E"]) == (1, 1)  # counted for both
    presence = worked.matrix(count="presence")
    assert presence.loc["P.a"].tolist() == [1, 1, 0, 2]
    words = worked.matrix(count="words")
    # P.a: "Respuesta uno." (2) in a, "Chau." (1) in b; Q: of [25,45) only "uno." and
    # "Pregunta" start inside the coded text.
    assert (words.loc["P.a", "a"], words.loc["P.a", "b"], words.loc["Q", "a"]) == (2, 1, 2)
    by_speaker = worked.matrix("speaker", count="words")
    assert (by_speaker.loc["Q", "R"], by_speaker.loc["Q", "E"]) == (1, 1)
    documents = worked.matrix("attribute:role", count="documents")
    assert list(documents.columns) == ["(none)", "admin", "guard", "Total"]
    assert documents.loc["P.a"].tolist() == [0, 1, 1, 2]
    assert documents.loc["Q"].tolist() == [0, 0, 1, 1]


def test_coder_filter_percent_and_labels(worked):
    ben = worked.matrix(coder="ben")
    assert ben.loc["P.a", "a"] == 1 and ben.loc["Total", "Total"] == 1
    by_coder = worked.matrix("coder")
    assert by_coder.loc["P.a"].tolist() == [2, 1, 3]   # ana: a#2 and b#2; ben: a#2
    row = worked.matrix(percent="row")
    assert row.loc["P.a"].tolist() == [50.0, 50.0, 0.0, 100.0]
    assert row.index.name == "code (% of row, segments)"
    thirds = worked.matrix(percent="row", count="codings")     # full precision, not 66.7
    assert thirds.loc["P.a", "a"] == pytest.approx(200 / 3)   # 2 of P.a's 3 codings
    column = worked.matrix(percent="column")
    assert column.loc["Q", "a"] == 50.0                # 2 of the 4 in column a
    total = worked.matrix(percent="total")
    assert total.loc["Total", "Total"] == 100.0 and total.loc["P.b", "a"] == 20.0
    assert list(worked.matrix(labels="indent").index[:3]) == [
        "Parent (with children)", "  Child A", "  Child B"]
    assert worked.matrix(labels="path").index[1] == "Parent > Child A"


def test_bad_options(worked):
    with pytest.raises(InputError, match=r"unknown attribute 'rol'; attributes in this "
                                         r"project: role"):
        worked.matrix("attribute:rol")
    with pytest.raises(InputError, match=r"--by place: use document, speaker, role, coder or "
                                         r"attribute:NAME"):
        worked.matrix("place")
    with pytest.raises(InputError, match=r"--count lines: choose from segments, codings, "
                                         r"presence, words, documents"):
        worked.matrix(count="lines")
    with pytest.raises(InputError, match=r"--level 0: levels start at 1"):
        worked.matrix(level=0)


def test_cooccurrence(worked):
    both = worked.cooccurrence(keep_empty=True)
    assert cells(both) == {
        "P": {"P": 0, "P.a": 0, "P.b": 0, "Q": 0},
        "P.a": {"P": 0, "P.a": 2, "P.b": 1, "Q": 1},
        "P.b": {"P": 0, "P.a": 1, "P.b": 1, "Q": 1},
        "Q": {"P": 0, "P.a": 1, "P.b": 1, "Q": 2},
    }
    used = worked.cooccurrence()                       # P, never used, is left out
    assert list(used.index) == ["P.a", "P.b", "Q"] and list(used.columns) == list(used.index)
    assert used.attrs["dropped"] == 1 and used.index.name == "code (segments)"
    jaccard = worked.cooccurrence(jaccard=True)
    assert jaccard.loc["P.a", "Q"] == pytest.approx(1 / 3)   # 1 / (2 + 2 - 1)
    documents = worked.cooccurrence(unit="document")
    assert (documents.loc["P.a", "P.a"], documents.loc["P.a", "Q"],
            documents.loc["Q", "Q"]) == (2, 1, 1)


def test_quotes_frame(worked):
    frame = worked.quotes()
    assert list(frame.columns) == ["code", "name", "document", "segment", "speaker", "role",
                                   "coder", "memo", "start", "end", "text"]
    # a#2 coded P.a by ana and ben: one passage with both coders, not two
    assert frame[["code", "name", "document", "segment", "coder", "text"]].values.tolist() == [
        ["P.a", "Child A", "a", 2, "ana, ben", "Respuesta uno."],
        ["P.a", "Child A", "b", 2, "ana", "Chau."],
        ["P.b", "Child B", "a", 2, "ana", "Respuesta uno."],
        ["Q", "Other", "a", 2, "ana", "esta uno.\nE: Pregunt"]]
    assert worked.quotes("P")["code"].tolist() == ["P.a", "P.a", "P.b"]
    by_role = worked.quotes("P.a", by="attribute:role")
    assert by_role["role"].tolist() == ["admin", "guard"]


def test_quotes_list_each_coders_memo(worked):
    worked.code("b", [2], ["P.a"], coder="ben", memo="short")
    worked.conn.execute("UPDATE coding SET memo = 'long' WHERE coder = 'ana' AND"
                        " code_id = 'P.a' AND document_id = (SELECT id FROM document"
                        " WHERE name = 'b')")
    row = worked.quotes("P.a").iloc[1]
    assert (row["coder"], row["memo"]) == ("ana, ben", "ana: long; ben: short")


def test_empty_project_gives_an_empty_valid_table(project):
    frame = project.matrix()
    assert list(frame.index) == ["Total"] and list(frame.columns) == ["Total"]
    assert project.quotes().empty and project.cooccurrence(keep_empty=True).empty


# -- options past the worked example: the messages for a bad --by or --coder, each kind of
# percentage at its edges (a row, a column, a table of zeros) and the code labels ---------

BY = (r"^--by {}: use document, speaker, role, coder or attribute:NAME "
      r"\(e\.g\. attribute:role\)$")


@pytest.fixture
def tree(project, tmp_path):
    """DEEP's codes on two documents (a, b: segments 1 E, 2 R, 3 E). ben codes before ana:
    r.s b#1 by ben; r.v.f a#1 a#2 and o a#3 by ana. r.v.b is never used."""
    two_documents(project, tmp_path, DEEP)
    project.code("b", [1], ["r.s"], coder="ben")
    project.code("a", [1, 2], ["r.v.f"], coder="ana")
    project.code("a", [3], ["o"], coder="ana")
    return project


def test_by_names_its_choices_and_the_attributes_there_are(tree):
    with pytest.raises(InputError, match=r"^unknown attribute 'site'; attributes in this "
                                         r"project: none \(import with --attributes\)$"):
        tree.matrix("attribute:site")
    for bad in ("attribute:", "attributes", "Document"):
        with pytest.raises(InputError, match=BY.format(bad)):
            tree.matrix(bad)
    # zone is given first, site to both documents: each name once, in order
    tree.conn.execute("INSERT INTO attribute (document_id, name, value)"
                      " SELECT id, 'zone', 'x' FROM document WHERE name = 'b'")
    tree.conn.execute("INSERT INTO attribute (document_id, name, value)"
                      " SELECT id, 'site', name FROM document")
    with pytest.raises(InputError, match=r"^unknown attribute 'place'; attributes in this "
                                         r"project: site, zone$"):
        tree.matrix("attribute:place")
    # zone: b has x, a has none: a's codings count under "(none)" (r.v.f a#1 a#2, o a#3)
    zone = tree.matrix("attribute:zone", include_children=False)
    assert zone.columns.tolist() == ["(none)", "x", "Total"] and zone.columns.name == "zone"
    assert zone.loc["r.v.f"].tolist() == [2, 0, 2] and zone.loc["r.s"].tolist() == [0, 1, 1]
    assert tree.matrix().columns.name == "document"


def test_a_coder_with_no_codings_is_told_who_coded(tree, project):
    """ben coded first and ana three times: each once, by name."""
    with pytest.raises(InputError, match=r"^no codings by coder 'cy'; coders in this "
                                         r"project: ana, ben$"):
        tree.matrix(coder="cy")
    assert tree.matrix(coder="ben").loc["r.s"].tolist() == [0, 1, 1]


def test_roles_are_columns_and_every_role_found_is_one(tree):
    """E is guessed interviewer and R respondent in both documents: segments r.v.f a#1 (E),
    a#2 (R); r.s b#1 (E); o a#3 (E)."""
    frame = tree.matrix("role", include_children=False)
    assert frame.columns.tolist() == ["interviewer", "respondent", "Total"]
    assert frame.loc["r.v.f"].tolist() == [1, 1, 2] and frame.loc["r.s"].tolist() == [1, 0, 1]
    assert frame.columns.name == "role"


def test_row_percentages_of_a_single_unit_and_of_an_empty_row(tree):
    """r.s: one segment, in b: 100% of its row; r.v.b (never used) and r (no codings of
    its own, not aggregated) are all 0, not undefined."""
    frame = tree.matrix(percent="row", include_children=False)
    assert frame.loc["r.s"].tolist() == [0.0, 100.0, 100.0]
    assert frame.loc["r.v.b"].tolist() == [0.0, 0.0, 0.0] == frame.loc["r"].tolist()


def test_column_percentages_with_an_empty_column(tree, tmp_path):
    """c has no codings: its column is 0, not undefined. b: r.s is its single unit (100%)."""
    tree.import_files([write(tmp_path / "c.txt", "E: otra.\nR: nada.\n")])
    frame = tree.matrix(percent="column", include_children=False)
    assert frame["c"].tolist() == [0.0] * 7
    assert frame.loc["r.s", "b"] == 100.0 and frame.loc["Total", "b"] == 100.0
    # a: r.v.f 2 and o 1 of 3
    assert frame.loc["r.v.f", "a"] == pytest.approx(200 / 3)


def test_percentages_of_a_table_of_zeros_are_zeros(project, tmp_path):
    two_documents(project, tmp_path, DEEP)
    for how in ("row", "column", "total"):
        frame = project.matrix(percent=how)
        assert frame.to_numpy().tolist() == [[0.0, 0.0, 0.0]] * 7, how  # 6 codes, Total


def test_total_percentages_are_shares_of_the_whole_table(tree):
    """4 segments in all (a#1, a#2, a#3, b#1): r.s is 1 of 4, r.v.f 2 of 4."""
    frame = tree.matrix(percent="total", include_children=False)
    assert frame.loc["r.s"].tolist() == [0.0, 25.0, 25.0]
    assert frame.loc["r.v.f"].tolist() == [50.0, 0.0, 50.0]
    assert frame.loc["Total"].tolist() == [75.0, 25.0, 100.0]


def test_labels_by_name_indent_and_path_at_every_depth(tree):
    index = {style: tree.matrix(labels=style, include_children=False).index.tolist()
             for style in ("id", "name", "indent", "path")}
    assert index["id"] == ["r", "r.v", "r.v.f", "r.v.b", "r.s", "o", "Total"]
    assert index["name"] == ["Routes", "Visitors", "Food", "Body", "Staff", "Other", "Total"]
    assert index["indent"] == ["Routes", "  Visitors", "    Food", "    Body", "  Staff",
                               "Other", "Total"]
    assert index["path"] == ["Routes", "Routes > Visitors", "Routes > Visitors > Food",
                             "Routes > Visitors > Body", "Routes > Staff", "Other", "Total"]


def test_coder_columns_leave_consensus_out_unless_it_is_named(tree):
    """final (consensus) codes a#3 with o: not a column of its own unless named; a named
    coder is the only column."""
    tree.code("a", [3], ["o"], coder="final")
    tree.mark_coder("final", "consensus")
    assert tree.matrix("coder").columns.tolist() == ["ana", "ben", "Total"]
    assert tree.matrix("coder", coder="ben").columns.tolist() == ["ben", "Total"]
    final = tree.matrix("coder", coder="final")
    assert final.columns.tolist() == ["final", "Total"] and final.loc["o", "final"] == 1
