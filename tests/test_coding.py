"""Manual coding, removal records, CSV exchange, quotes, and the code x document matrix."""

import pytest

from qcode import InputError, NotFoundError, Project
from tests.conftest import SAMPLES, data_rows, write

CODEBOOK = """\
codes:
  - id: route
    name: Routes
    children:
      - {id: route.visitors, name: Visitors}
      - {id: route.staff, name: Staff}
  - id: motive
    name: Motives
    children:
      - {id: motive.family, name: Family}
"""
# Segments: 1 "Pregunta uno." [3, 16)  2 "Respuesta uno." [20, 34)
#           3 "Pregunta dos." [38, 51) 4 "Respuesta dos." [55, 69); the text has 70 characters
DOC_A = "E: Pregunta uno.\nR: Respuesta uno.\nE: Pregunta dos.\nR: Respuesta dos.\n"


@pytest.fixture
def small(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", DOC_A),
                          write(tmp_path / "b.txt", "E: Hola.\nR: Chau.\n"),
                          write(tmp_path / "empty_codes.txt", "E: Nada.\nR: Nada más.\n")])
    return project


def test_segment_offsets_of_the_worked_example(small):
    segments = small.document("a")["segments"]
    assert [(s["start"], s["end"]) for s in segments] == [(3, 16), (20, 34), (38, 51), (55, 69)]


def test_code_segments_ranges_and_spans(small):
    results = small.code("a", [2, 4], ["route.visitors", "motive.family"], memo="nota")
    assert results == [("segment 2", "route.visitors", True), ("segment 2", "motive.family", True),
                       ("segment 4", "route.visitors", True), ("segment 4", "motive.family", True)]
    assert small.code("a", [2], ["route.visitors"]) == [("segment 2", "route.visitors", False)]
    assert small.code("a", None, ["route.staff"], span=(25, 45)) == [
        ("span 25:45", "route.staff", True)]
    rows = small.codings()
    assert rows[0] == {"document": "a", "code": "route.visitors", "coder": "ana", "segment": 2,
                       "start": 20, "end": 34, "memo": "nota"}
    assert {"document": "a", "code": "route.staff", "coder": "ana", "segment": "", "start": 25,
            "end": 45, "memo": ""} in rows


def test_unknown_code_document_segment_and_span(small):
    with pytest.raises(NotFoundError, match=r"^unknown code 'route.visitor'; did you mean "
                                            r"route.visitors"):
        small.code("a", [1], ["route.visitor"])
    with pytest.raises(NotFoundError, match=r"^unknown code 'Family'; did you mean "
                                            r"motive.family\?$"):
        small.code("a", [1], ["Family"])
    with pytest.raises(NotFoundError, match=r"^no document 'aa'; did you mean a\?$"):
        small.code("aa", [1], ["route"])
    with pytest.raises(NotFoundError, match=r"^document 'a' has no segment 9 \(it has 1-4\); "
                                            r"`qcode show a` numbers them$"):
        small.code("a", [9], ["route"])
    with pytest.raises(InputError, match=r"^span 60:80 is outside document 'a' \(0:70\)"):
        small.code("a", None, ["route"], span=(60, 80))
    assert small.codings() == []


def test_coder_comes_from_argument_then_environment_then_setting(small, monkeypatch):
    small.code("b", [1], ["route"], coder="explicit")
    monkeypatch.setenv("QCODE_CODER", "from_env")
    small.code("b", [1], ["route"])
    monkeypatch.delenv("QCODE_CODER")
    small.code("b", [1], ["route"])
    assert sorted(r["coder"] for r in small.codings()) == ["ana", "explicit", "from_env"]
    small.conn.execute("DELETE FROM setting WHERE key = 'coder'")
    with pytest.raises(InputError, match=r"who is coding\? pass --coder NAME, set QCODE_CODER"):
        small.code("b", [1], ["route"])


def test_uncode_records_the_removal(small):
    small.code("a", [2], ["route.staff"])
    assert small.uncode("a", [2], ["route.staff"]) == [("segment 2", "route.staff")]
    assert small.codings() == []
    row = small.conn.execute("SELECT removed_at, removed_by FROM coding").fetchone()
    assert row["removed_at"] and row["removed_by"] == "ana"
    with pytest.raises(NotFoundError, match=r"^ana has not coded segment 2 of 'a' with "
                                            r"route.staff; nothing removed$"):
        small.uncode("a", [2], ["route.staff"])
    small.code("a", [2], ["route.staff"])  # can be coded again after removal
    assert len(small.codings()) == 1


def test_codings_csv_round_trip(small, tmp_path):
    small.code("a", [1, 3], ["route.visitors"], memo="con, coma")
    small.code("a", None, ["route.staff"], span=(25, 45), coder="ben")
    from qcode.codings import CSV_COLUMNS
    from qcode.exporters import rows_to_text

    exported = write(tmp_path / "out.csv", rows_to_text(small.codings(), CSV_COLUMNS, "csv"))
    with Project.init(tmp_path / "second", coder="zoe") as other:
        other.load_codebook(tmp_path / "cb.yaml")
        other.import_files([tmp_path / "a.txt", tmp_path / "b.txt"])
        assert other.import_codings(exported) == (3, 0)
        assert other.import_codings(exported) == (0, 3)
        assert other.codings() == small.codings()


def test_codings_csv_errors_name_file_and_line(small, tmp_path):
    cases = {
        "document,code\na,route\n": r"line 1: missing column\(s\) segment \(or start,end\)",
        "document,code,coder,segment\na,route,ana,1\na,nope,ana,1\n":
            r"line 3: unknown code 'nope'",
        "document,code,coder,segment\na,route,ana,x\n":
            r"line 2: segment, start and end must be whole numbers",
        "document,code,coder,segment\nzz,route,ana,1\n": r"line 2: no document 'zz'",
        "document,code,coder,start,end\na,route,ana,5,500\n": r"line 2: span 5:500 is outside",
    }
    for number, (content, message) in enumerate(cases.items()):
        path = write(tmp_path / f"c{number}.csv", content)
        with pytest.raises((InputError, NotFoundError), match=rf"c{number}.csv, {message}"):
            small.import_codings(path)
    assert small.codings() == []  # the good first row of case 2 was rolled back too


def test_sample_codings_import(sample_project):
    # every row of each file is a distinct coding: 90 rows for ana, 83 for ben
    ana, ben = data_rows(SAMPLES / "codings_ana.csv"), data_rows(SAMPLES / "codings_ben.csv")
    assert (ana, ben) == (90, 83)
    assert sample_project.import_codings(SAMPLES / "codings_ana.csv") == (ana, 0)
    assert sample_project.import_codings(SAMPLES / "codings_ben.csv") == (ben, 0)
    coders = {r["coder"] for r in sample_project.codings()}
    assert coders == {"ana", "ben"}
    quotes = sample_project.quotes("route.suppliers", coder="ana").to_dict("records")
    assert quotes[-1]["text"] == "Nadie revisa cada saco de arroz."
    assert quotes[-1]["memo"].startswith("Suppliers:")


def test_quotes_with_children_and_context(small):
    small.code("a", [2], ["route.visitors"])
    small.code("a", None, ["route.staff"], span=(55, 64), coder="ben")
    assert small.quotes("route", include_children=False).empty
    quotes = small.quotes("route").to_dict("records")  # children included by default
    assert [(q["document"], q["segment"], q["speaker"], q["code"], q["coder"], q["text"])
            for q in quotes] == [
        ("a", 2, "R", "route.visitors", "ana", "Respuesta uno."),
        ("a", 4, "R", "route.staff", "ben", "Respuesta")]


def test_matrix_worked_by_hand(small):
    """Hand count of distinct coded segments per code and document.

    route.visitors: a#2 by ana and by ben (one segment), b#1            -> a 1, b 1
    route.staff:    span 25:45 overlaps a#2 [20,34) and a#3 [38,51)     -> a 2
    motive.family:  a#4 coded then removed, and span 51:55, which falls in the gap between
                    a#3 [38,51) and a#4 [55,69) and so touches no segment  -> 0
    """
    small.code("a", [2], ["route.visitors"])
    small.code("a", [2], ["route.visitors"], coder="ben")
    small.code("b", [1], ["route.visitors"])
    small.code("a", None, ["route.staff"], span=(25, 45))
    small.code("a", [4], ["motive.family"])
    small.code("a", None, ["motive.family"], span=(51, 55))
    small.uncode("a", [4], ["motive.family"])
    frame = small.matrix()
    assert list(frame.columns) == ["a", "b", "empty_codes", "Total"]
    assert frame.to_dict("index") == {
        "route": {"a": 0, "b": 0, "empty_codes": 0, "Total": 0},
        "route.visitors": {"a": 1, "b": 1, "empty_codes": 0, "Total": 2},
        "route.staff": {"a": 2, "b": 0, "empty_codes": 0, "Total": 2},
        "motive": {"a": 0, "b": 0, "empty_codes": 0, "Total": 0},
        "motive.family": {"a": 0, "b": 0, "empty_codes": 0, "Total": 0},
        "Total": {"a": 3, "b": 1, "empty_codes": 0, "Total": 4},
    }
    ben = small.matrix(coder="ben")
    assert ben.loc["route.visitors", "a"] == 1 and ben.loc["Total", "Total"] == 1
    with pytest.raises(InputError, match=r"no codings by coder 'zed'; coders in this project: "
                                         r"ana, ben"):
        small.matrix(coder="zed")


def test_matrix_of_a_project_without_codebook_is_empty(project):
    assert project.matrix().to_dict() == {"Total": {"Total": 0}}
