"""Coding targets: spans snapped to words, segment numbers, labels, removal and export."""

import pytest

from qcode import InputError, NotFoundError
from qcode.codings import Target, snap
from tests import test_boundaries
from tests.conftest import write

# index:  0123456789012345678901234567890 1
WORDS = "dijo: don't re-use snake_case ok"


@pytest.mark.parametrize(("start", "end", "word"), [
    (7, 9, "don't"),        # inside a word, the end before an inner apostrophe
    (10, 11, "don't"),      # starting after the apostrophe walks back over it
    (15, 16, "re-use"),     # an inner hyphen joins the word on both sides
    (25, 26, "snake_case"),  # and so does an underscore
    (0, 2, "dijo"),         # from the first character
    (31, 32, "ok"),         # to the last
    (4, 6, ":"),            # punctuation is not widened; the space after it is trimmed
])
def test_snap_widens_a_span_to_whole_words(start, end, word):
    s, e = snap(WORDS, start, end)
    assert WORDS[s:e] == word


def test_snap_trims_white_space_first_and_keeps_whole_words_as_they_are():
    assert snap("  hola  chau ", 0, 13) == (2, 12)
    assert snap("  hola  chau ", 2, 6) == (2, 6)
    assert snap("a’b c", 2, 3) == (0, 3)  # the typographic apostrophe joins too


@pytest.mark.parametrize(("text", "start", "end", "expected"), [
    ("ab- cd", 0, 2, (0, 2)),   # a hyphen followed by a space ends the word
    ("ab-", 0, 2, (0, 2)),      # ... and so does a hyphen at the very end of the text
    ("ab-c", 0, 2, (0, 4)),     # a hyphen before the last letter joins it
    ("-ab", 1, 3, (1, 3)),      # a hyphen at the start of the text begins no word
    ("x -ab", 3, 5, (3, 5)),    # ... nor does a hyphen after a space
    ("ab_", 0, 2, (0, 3)),      # an underscore is a word character, even at the end
    ("_ab", 1, 3, (0, 3)),
])
def test_snap_joiners_join_only_between_letters(text, start, end, expected):
    assert snap(text, start, end) == expected


@pytest.mark.parametrize(("text", "start", "end", "trimmed"), [
    ("a   b", 1, 4, "4:4"),    # the span ends where the next word starts
    ("a    b", 1, 3, "3:3"),   # white space goes on after the span: it is not taken in
    ("a   ", 1, 4, "4:4"),     # the span runs to the end of the text
])
def test_a_span_of_white_space_only_is_refused(text, start, end, trimmed):
    with pytest.raises(InputError, match=rf"^span {trimmed} holds only white space; choose a "
                                         r"span with words$"):
        snap(text, start, end)


def test_target_labels():
    assert Target(3, 7, 2).label == "segment 2"
    assert Target(6, 11).label == "span 6:11"
    assert Target(6, 11, asked=(6, 11)).label == "span 6:11"
    assert Target(6, 11, asked=(7, 9)).label == (
        "span 6:11 (snapped to whole words from 7:9)")


# tiny: document d, "E: uno.\nR: dos dos.\nE: tres.\n" (29 characters), segments
# 1 "uno." [3, 7)  2 "dos dos." [11, 19)  3 "tres." [23, 28); codes x and y.
tiny = test_boundaries.tiny


def test_a_span_is_snapped_only_when_not_exact(tiny):
    # [12, 16) is "os d" inside "dos dos.": snapped, it is "dos dos" [11, 18)
    assert tiny.code("d", None, ["x"], span=(12, 16), exact=False) == [
        ("span 11:18 (snapped to whole words from 12:16)", "x", True)]
    assert tiny.code("d", None, ["y"], span=(12, 16)) == [("span 12:16", "y", True)]
    assert [(r["code"], r["start"], r["end"]) for r in tiny.codings()] == [
        ("x", 11, 18), ("y", 12, 16)]


def test_a_span_from_the_first_character_is_inside_the_document(tiny):
    assert tiny.code("d", None, ["x"], span=(0, 1)) == [("span 0:1", "x", True)]


def test_unknown_segment_numbers_name_the_range(tiny):
    with pytest.raises(NotFoundError, match=r"^document 'd' has no segment 4 \(it has 1-3\); "
                                            r"`qcode show d` numbers them$"):
        tiny.code("d", [1, 4], ["x"])
    assert tiny.codings() == []  # nothing was coded


def test_coding_twice_keeps_the_first_and_reports_it(tiny):
    assert tiny.code("d", [1, 2], ["x", "y"], memo="m") == [
        ("segment 1", "x", True), ("segment 1", "y", True),
        ("segment 2", "x", True), ("segment 2", "y", True)]
    assert tiny.code("d", [2], ["x"], memo="other") == [("segment 2", "x", False)]
    rows = tiny.codings()
    assert [(r["segment"], r["code"], r["coder"], r["memo"]) for r in rows] == [
        (1, "x", "ana", "m"), (1, "y", "ana", "m"), (2, "x", "ana", "m"), (2, "y", "ana", "m")]
    origin = {r[0] for r in tiny.conn.execute("SELECT origin FROM coding")}
    assert origin == {"manual"}


def test_export_rows_fill_the_segment_only_for_a_whole_segment_and_filter_by_coder(tiny):
    tiny.code("d", [3], ["y"], coder="ben")
    tiny.code("d", None, ["x"], span=(3, 19), coder="ana")   # two segments: no number
    tiny.code("d", None, ["x"], span=(11, 19), coder="ben")  # exactly segment 2
    assert tiny.codings() == [
        {"document": "d", "code": "x", "coder": "ana", "segment": "", "start": 3, "end": 19,
         "memo": ""},
        {"document": "d", "code": "x", "coder": "ben", "segment": 2, "start": 11, "end": 19,
         "memo": ""},
        {"document": "d", "code": "y", "coder": "ben", "segment": 3, "start": 23, "end": 28,
         "memo": ""}]
    assert [(r["code"], r["start"]) for r in tiny.codings("ben")] == [("x", 11), ("y", 23)]
    tiny.uncode("d", [2], ["x"], coder="ben")
    assert [r["code"] for r in tiny.codings("ben")] == ["y"]


def test_uncode_takes_codings_inside_the_target_and_refuses_ones_beyond(tiny):
    tiny.code("d", None, ["x"], span=(12, 14))   # inside segment 2 [11, 19)
    tiny.code("d", None, ["x"], span=(15, 18))   # inside too
    tiny.code("d", None, ["y"], span=(5, 12))    # runs from segment 1 into segment 2
    tiny.code("d", None, ["y"], span=(11, 19))
    with pytest.raises(InputError) as err:
        tiny.uncode("d", [2], ["x", "y"])
    assert str(err.value) == (
        "ana's coding of y at 5:12 runs beyond segment 2 of 'd'; nothing removed (remove it "
        "with `qcode uncode d --span 5:12 y --exact`)")
    assert len(tiny.codings()) == 4  # all or nothing: x's removals were rolled back
    assert tiny.uncode("d", [2], ["x"]) == [("span 12:14 inside segment 2", "x"),
                                            ("span 15:18 inside segment 2", "x")]
    assert tiny.uncode("d", None, ["y"], span=(5, 19)) == [("span 5:12 inside span 5:19", "y"),
                                                           ("span 11:19 inside span 5:19", "y")]
    removed = tiny.conn.execute("SELECT removed_by, removed_at IS NOT NULL FROM coding "
                                "WHERE removed_at IS NOT NULL").fetchall()
    assert [tuple(r) for r in removed] == [("ana", 1)] * 4
    assert tiny.codings() == []


def test_uncode_of_something_not_coded_removes_nothing(tiny):
    tiny.code("d", [1], ["x"], coder="ben")
    # a coding touching the target at its end is not inside it: [3, 7) and [7, 11)
    with pytest.raises(NotFoundError, match=r"^ana has not coded span 7:11 of 'd' with x; "
                                            r"nothing removed$"):
        tiny.uncode("d", None, ["x"], span=(7, 11), coder="ana")
    with pytest.raises(NotFoundError, match=r"^ana has not coded segment 1 of 'd' with x"):
        tiny.uncode("d", [1], ["x"])   # ben's coding is not ana's
    with pytest.raises(NotFoundError, match=r"^ben has not coded segment 1 of 'd' with y"):
        tiny.uncode("d", [1], ["y"], coder="ben")
    assert len(tiny.codings()) == 1


def test_uncode_names_every_coding_that_runs_beyond_and_offers_the_first(tiny):
    tiny.code("d", None, ["y"], span=(5, 12))    # from segment 1 into segment 2 [11, 19)
    tiny.code("d", None, ["y"], span=(15, 25))   # from segment 2 into segment 3
    with pytest.raises(InputError, match=r"^ana's coding of y at 5:12, 15:25 runs beyond "
                                         r"segment 2 of 'd'; nothing removed \(remove it with "
                                         r"`qcode uncode d --span 5:12 y --exact`\)$"):
        tiny.uncode("d", [2], ["y"])


def test_imported_codings_take_the_coder_map(tiny, tmp_path):
    path = write(tmp_path / "c.csv", "document,code,coder,segment\nd,x,ben,1\nd,y,cy,2\n")
    assert tiny.import_codings(path, coder_map={"ben": "beto"}) == (2, 0)
    assert [(r["coder"], r["code"], r["segment"]) for r in tiny.codings()] == [
        ("beto", "x", 1), ("cy", "y", 2)]


def test_a_code_retired_while_the_file_is_read_is_named_with_the_file(tiny, tmp_path,
                                                                      monkeypatch):
    import qcode.codings_import as codings_import

    read = codings_import.read_codings

    def read_then_retire(conn, *args):
        resolved = read(conn, *args)
        conn.execute("UPDATE code SET retired_at = 'now' WHERE id = 'x'")
        return resolved

    monkeypatch.setattr(codings_import, "read_codings", read_then_retire)
    path = write(tmp_path / "c.csv", "document,code,coder,segment\nd,x,ben,1\n")
    with pytest.raises(InputError, match=rf"^{path}: code 'x' was removed or renamed while "
                                         r"the file was being read"):
        tiny.import_codings(path)


def test_a_removed_coder_who_codes_again_is_a_coder_again(tiny):
    tiny.code("d", [1], ["x"], coder="ben")
    tiny.remove_coder("ben", by="ana")
    assert "ben" not in {c["coder"] for c in tiny.coders()}
    tiny.code("d", [2], ["x"], coder="ben")
    assert {c["coder"]: c["kind"] for c in tiny.coders()}["ben"] == "coder"
