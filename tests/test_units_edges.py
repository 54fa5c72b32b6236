"""Reliability data from a project's codings: which coders, codes and documents are
compared, and the segment and span units built from them."""

import numpy as np
import pytest

from qcode import InputError
from qcode.agreement.units import segment_units, select, span_units
from tests.conftest import write

CODEBOOK = "codes:\n  - {id: x, name: X}\n  - {id: y, name: Y}\n"
# a (50 characters): segments 1 "uno." [3, 7)  2 "dos dos." [11, 19)
#                    3 "tres tres tres." [23, 38)  4 "cuatro." [42, 49)
A = "E: uno.\nR: dos dos.\nE: tres tres tres.\nR: cuatro.\n"
# b (18 characters): segments 1 "hola." [3, 8)  2 "chau." [12, 17)
B = "E: hola.\nR: chau.\n"


@pytest.fixture
def two(project, tmp_path):
    """b is imported before a; ana and ben code both documents."""
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "b.txt", B)])
    project.import_files([write(tmp_path / "a.txt", A)])
    project.code("a", [1, 2], ["x"], coder="ana")
    project.code("a", None, ["x"], span=(12, 16), coder="ana")  # inside a#2: merged
    project.code("b", [2], ["x"], coder="ana")
    project.code("a", [4], ["y"], coder="ana")
    project.code("a", [2], ["x"], coder="ben")
    project.code("a", [3], ["x"], coder="ben")
    project.uncode("a", [3], ["x"], coder="ben")                 # removed: not compared
    project.code("b", [2], ["x"], coder="ben")
    project.code("b", None, ["y"], span=(3, 8), coder="ben")
    return project


def _ids(project) -> dict[str, int]:
    return {r[1]: r[0] for r in project.conn.execute("SELECT id, name FROM document")}


def test_documents_come_in_name_order_and_each_coder_is_a_column(two):
    selection = select(two.conn)
    assert selection.coders == ["ana", "ben"] and selection.codes == ["x", "y"]
    ids = _ids(two)
    assert selection.documents == [(ids["a"], "a"), (ids["b"], "b")]
    units = segment_units(two.conn, selection)
    assert [(s["document"], s["ordinal"]) for s in units.segments] == [
        ("a", 1), ("a", 2), ("a", 3), ("a", 4), ("b", 1), ("b", 2)]
    # x: ana a#1, a#2, b#2; ben a#2, b#2 (his a#3 was removed)
    np.testing.assert_array_equal(units.data["x"], [[1, 0], [1, 1], [0, 0], [0, 0],
                                                    [0, 0], [1, 1]])
    # y: ana a#4, ben [3, 8) in b = b#1
    np.testing.assert_array_equal(units.data["y"], [[0, 0], [0, 0], [0, 0], [1, 0],
                                                    [0, 1], [0, 0]])


def test_only_the_chosen_codes_and_coders_make_units(two):
    two.code("a", [3], ["y"], coder="cy")  # cy is not compared: her coding is ignored
    units = segment_units(two.conn, select(two.conn, ["ben", "ana"], codes="y"))
    assert list(units.data) == ["y"]
    # columns follow the coders as named: ben first
    np.testing.assert_array_equal(units.data["y"], [[0, 0], [0, 0], [0, 0], [0, 1],
                                                    [1, 0], [0, 0]])


def test_span_units_lay_documents_end_to_end_in_name_order(two):
    units = span_units(two.conn, select(two.conn, ["ana", "ben"]))
    assert (units.length, units.documents) == (68, ["a", "b"])
    # b starts at 50: b#2 [12, 17) -> [62, 67), ben's y [3, 8) -> [53, 58); ana's [12, 16)
    # lies inside her a#2 [11, 19) and is merged into it
    assert units.spans == {"x": [[(3, 7), (11, 19), (62, 67)], [(11, 19), (62, 67)]],
                           "y": [[(42, 49)], [(53, 58)]]}
    only_y = span_units(two.conn, select(two.conn, ["ben", "ana"], codes="y"))
    assert only_y.spans == {"y": [[(53, 58)], [(42, 49)]]}


def test_span_units_leave_out_a_document_not_read_entirely(two):
    # ben's review record in a is segment 1; he coded a#2: a#3 and a#4 are not read by him
    two.conn.execute("INSERT INTO reviewed (coder, segment_id, reviewed_at) SELECT 'ben', id,"
                     " 'now' FROM segment WHERE ordinal = 1 AND document_id = ?",
                     (_ids(two)["a"],))
    selection = select(two.conn, ["ana", "ben"])
    assert [name for _, name in selection.documents] == ["a", "b"]  # a#1, a#2 are shared
    units = span_units(two.conn, selection)
    assert (units.length, units.documents) == (18, ["b"])
    assert units.spans == {"x": [[(12, 17)], [(12, 17)]], "y": [[], [(3, 8)]]}


def test_a_document_filter_limits_what_each_coder_covered(two):
    selection = select(two.conn, documents="b")
    ids = _ids(two)
    assert selection.documents == [(ids["b"], "b")]
    assert selection.coded_by == {"ana": {ids["b"]}, "ben": {ids["b"]}}
    b_segments = {r[0] for r in two.conn.execute("SELECT id FROM segment WHERE document_id = ?",
                                                 (ids["b"],))}
    assert selection.covered == {"ana": b_segments, "ben": b_segments}
    assert (selection.left_out, selection.missing) == (0, {"ana": 0, "ben": 0})


def test_consensus_and_removed_coders_are_left_out_unless_named(two):
    two.code("a", [1], ["x"], coder="con")
    two.mark_coder("con", "consensus")
    two.code("a", [1], ["x"], coder="dan")
    two.conn.execute("INSERT INTO reviewed (coder, segment_id, reviewed_at) SELECT 'dan', id,"
                     " 'now' FROM segment")
    two.remove_coder("dan", by="ana")   # his review records stay, but he is gone
    default = select(two.conn)
    assert default.coders == ["ana", "ben"] and default.consensus_left_out == ["con"]
    named = select(two.conn, ["ana", "con"])
    assert named.coders == ["ana", "con"] and named.consensus_left_out == []
    with pytest.raises(InputError, match=r"^no codings by dan; coders in this project: ana, "
                                         r"ben, con$"):
        select(two.conn, ["ana", "dan"])


def test_a_coder_who_only_reviewed_is_a_coder(two):
    two.conn.execute("INSERT INTO reviewed (coder, segment_id, reviewed_at) SELECT 'eve', id,"
                     " 'now' FROM segment")
    selection = select(two.conn)
    assert selection.coders == ["ana", "ben", "eve"]
    # eve read everything and coded nothing: a column of zeros
    assert segment_units(two.conn, selection).data["x"][:, 2].tolist() == [0] * 6


def test_a_project_without_coders_says_so(project):
    with pytest.raises(InputError, match=r"^agreement needs at least two coders \(found: "
                                         r"none\); import another coder's codings or merge "
                                         r"their project$"):
        select(project.conn)
    with pytest.raises(InputError, match=r"^no codings by zed; coders in this project: "
                                         r"none yet$"):
        select(project.conn, ["zed"])


def test_at_overlap_zero_a_coding_must_still_share_a_character_with_the_segment(two):
    """`qcode disagreements --overlap 0`: any shared character counts, none does not. cy's
    [7, 11) lies in the gap between a#1 [3, 7) and a#2 [11, 19) and touches both; [6, 12)
    takes one character of each."""
    two.code("a", None, ["y"], span=(7, 11), coder="cy")
    two.code("a", None, ["y"], span=(6, 12), coder="ana")
    units = segment_units(two.conn, select(two.conn, ["ana", "cy"], documents="a"), overlap=0)
    np.testing.assert_array_equal(units.data["y"], [[1, 0], [1, 0], [0, 0], [1, 0]])
