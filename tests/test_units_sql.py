"""Which segments a coding overlaps, found by SQLite (matrices.units_sql): the boundary cases
worked out by hand, and the index that serves it (migration "segments by position")."""

import sqlite3

import pytest

from qcode import store
from qcode.matrices import coded_units, units_sql
from tests.conftest import project_before, write
from tests.test_units_edges import (
    CODEBOOK,  # codes x and y
    A,  # segments [3, 7) [11, 19) [23, 38) [42, 49)
)

# one (18 characters): one paragraph "Una sola frase." [2, 17)
ONE = "\n\nUna sola frase.\n"


@pytest.fixture
def spans(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", A), write(tmp_path / "one.txt", ONE)])
    return project


def _units(project, **options) -> list[tuple]:
    """(code, document, segment ordinal, clip start, clip end) of every coded unit."""
    units, _ = coded_units(project.conn, **options)
    ordinal = {r[0]: r[1] for r in project.conn.execute("SELECT id, ordinal FROM segment")}
    return sorted(zip(units["code"], units["document"], units["segment_id"].map(ordinal),
                      units["clip_start"], units["clip_end"], strict=True))


def test_the_segments_are_where_the_comments_say(spans):
    rows = spans.conn.execute('SELECT d.name, s.ordinal, s.start, s."end" FROM segment s'
                              " JOIN document d ON d.id = s.document_id ORDER BY 1, 2")
    assert [tuple(r) for r in rows] == [("a", 1, 3, 7), ("a", 2, 11, 19), ("a", 3, 23, 38),
                                        ("a", 4, 42, 49), ("one", 1, 2, 17)]


def test_a_coding_over_three_segments_is_clipped_to_each(spans):
    spans.code("a", None, ["x"], span=(5, 30))
    assert _units(spans) == [("x", "a", 1, 5, 7), ("x", "a", 2, 11, 19), ("x", "a", 3, 23, 30)]
    frame = spans.matrix()
    assert frame.loc["x", "a"] == 3 and frame.loc["x", "Total"] == 3


def test_a_coding_ending_where_a_segment_starts_does_not_reach_it(spans):
    """[4, 11) ends at segment 2's start and [7, 12) starts at segment 1's end: half-open
    spans, so each touches one segment."""
    spans.code("a", None, ["x"], span=(4, 11))
    spans.code("a", None, ["y"], span=(7, 12))
    assert _units(spans) == [("x", "a", 1, 4, 7), ("y", "a", 2, 11, 12)]


def test_codings_before_after_and_around_a_documents_only_segment(spans):
    """No segment of `one` starts at or before 1, yet [1, 5) reaches into [2, 17); [0, 2)
    ends where the segment starts and [17, 18) starts where it ends."""
    spans.code("one", None, ["x"], span=(1, 5))
    spans.code("one", None, ["y"], span=(0, 2))
    spans.code("one", None, ["y"], span=(17, 18))
    spans.code("one", None, ["x"], span=(0, 18), coder="ben")
    assert _units(spans) == [("x", "one", 1, 2, 5), ("x", "one", 1, 2, 17)]
    frame = spans.matrix(count="codings")
    assert frame.loc["x", "one"] == 2 and frame.loc["y", "Total"] == 0
    assert spans.matrix(count="segments").loc["x", "one"] == 1  # the same segment, once


def test_a_coding_after_the_last_segment_has_no_unit(spans):
    spans.code("a", None, ["x"], span=(49, 50), coder="ben")
    spans.code("a", None, ["y"], span=(40, 50), coder="ana")
    assert _units(spans) == [("y", "a", 4, 42, 49)]
    frame = spans.matrix("coder")
    assert frame.attrs["coders"] == ["ana"]  # ben's only coding has no unit
    assert frame.loc["x", "Total"] == 0 and frame.loc["y", "ana"] == 1


def test_documents_and_coders_chosen_in_sql(spans):
    spans.code("a", [2], ["x"])
    spans.code("one", [1], ["x"])
    spans.code("one", [1], ["y"], coder="ben")
    assert _units(spans, documents="on*") == [("x", "one", 1, 2, 17), ("y", "one", 1, 2, 17)]
    assert _units(spans, coder="ben") == [("y", "one", 1, 2, 17)]
    frame = spans.matrix(documents="on*", count="documents")
    assert list(frame.columns) == ["one", "Total"] and frame.loc["x", "one"] == 1
    assert spans.matrix("coder", coder="ben").attrs["coders"] == ["ben"]


def test_a_parent_counts_its_new_children_when_the_tree_changes(spans, tmp_path):
    """The code tree is read again for every matrix on the same connection: x moved under a
    new parent p counts for p at once."""
    spans.code("a", [1, 2], ["x"])
    spans.code("a", [2], ["y"])
    assert "p" not in spans.matrix().index
    spans.load_codebook(write(tmp_path / "cb2.yaml", "codes:\n  - id: p\n    name: P\n"
                              "    children:\n      - {id: x, name: X}\n"
                              "      - {id: y, name: Y}\n"))
    frame = spans.matrix()
    assert frame.loc["p (with children)", "a"] == 2  # segments 1 and 2, the second once
    spans.load_codebook(write(tmp_path / "cb3.yaml", "codes:\n  - id: p\n    name: P\n"
                              "    children:\n      - {id: x, name: X}\n"
                              "  - {id: y, name: Y}\n"))
    assert spans.matrix().loc["p (with children)", "a"] == 2  # x alone: 1 and 2
    assert spans.matrix(include_children=True, count="codings").loc["p", "a"] == 2


def _indexes(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'segment'"
        " AND sql IS NOT NULL")}


def test_an_older_project_gets_the_position_index_when_opened(tmp_path, monkeypatch):
    old = project_before(tmp_path / "old.db", "segments by position", monkeypatch)
    old.execute("INSERT INTO document (id, name, text, sha256, language, format, imported_at)"
                " VALUES (1, 'd', 'E: a\nR: b', 'x', 'es', 'txt', 'now')")
    old.executemany('INSERT INTO segment (document_id, ordinal, start, "end", speaker)'
                    " VALUES (1, ?, ?, ?, ?)", [(1, 3, 4, "E"), (2, 8, 9, "R")])
    assert set(_indexes(old)) == {"segment_speaker"}
    old.close()
    conn = store.connect(tmp_path / "old.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert _indexes(conn) == {"segment_position": 'CREATE INDEX segment_position ON '
                                                  'segment(document_id, start, "end", speaker)'}
    sql, params = units_sql(conn, None, None, False)
    plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert plan.count("USING COVERING INDEX segment_position (document_id=? AND start") == 2


TREE = ("codes:\n  - id: p\n    name: P\n    children:\n      - {id: p.a, name: A}\n"
        "      - {id: p.b, name: B}\n  - {id: q, name: Q}\n")
B = "E: hola.\nR: chau.\n"  # segments [3, 8) [12, 17)


def _expected(project, count: str, by: str, children: bool) -> dict[tuple, int]:
    """The matrix's cells by brute force: every (coding, segment) pair tested for overlap."""
    segments = [tuple(r) for r in project.conn.execute(
        'SELECT s.id, d.name, s.start, s."end", s.speaker FROM segment s'
        " JOIN document d ON d.id = s.document_id")]
    codings = [tuple(r) for r in project.conn.execute(
        'SELECT c.id, d.name, c.code_id, c.coder, c.start, c."end" FROM coding c'
        " JOIN document d ON d.id = c.document_id WHERE c.removed_at IS NULL")]
    counted: dict[tuple, set] = {}
    for coding, doc, code, coder, start, end in codings:
        for segment, seg_doc, seg_start, seg_end, speaker in segments:
            if seg_doc != doc or not (seg_start < end and seg_end > start):
                continue
            group = {"document": doc, "speaker": speaker or "(none)", "coder": coder}[by]
            unit = {"segments": segment, "codings": coding, "documents": doc}[count]
            for row in {code, "p"} if children and code.startswith("p.") else {code}:
                counted.setdefault((row, group), set()).add(unit)
    return {key: len(units) for key, units in counted.items()}


@pytest.mark.parametrize("seed", range(4))
def test_sql_counts_equal_brute_force_over_random_codings(spans, tmp_path, seed):
    import random

    spans.load_codebook(write(tmp_path / "tree.yaml", TREE))
    spans.import_files([write(tmp_path / "b.txt", B)])
    chance = random.Random(seed)
    lengths = {"a": len(A), "one": len(ONE), "b": len(B)}
    for _ in range(25):
        doc = chance.choice(sorted(lengths))
        start = chance.randrange(lengths[doc])
        end = chance.randrange(start + 1, lengths[doc] + 1)
        spans.code(doc, None, [chance.choice(["p", "p.a", "p.b", "q"])], span=(start, end),
                   coder=chance.choice(["ana", "ben"]))
    for count in ("segments", "codings", "documents"):
        for by in ("document", "speaker", "coder"):
            for children in (False, True):
                frame = spans.matrix(by, count=count, include_children=children)
                found = {(code, group): int(frame.loc[code, group])
                         for code in ("p", "p.a", "p.b", "q")
                         for group in frame.columns.drop("Total") if frame.loc[code, group]}
                assert found == _expected(spans, count, by, children), (count, by, children)


def test_a_matrix_starts_loading_pandas_before_it_counts():
    """In a fresh interpreter the helper imports pandas in a thread (SQLite counts while it
    loads); where pandas is loaded already it starts nothing."""
    import subprocess
    import sys

    body = ("import sys, threading\nfrom qcode import matrices\n"
            "assert 'pandas' not in sys.modules\nmatrices._load_pandas_meanwhile()\n"
            "[t.join() for t in threading.enumerate() if t.daemon]\n"
            "print('pandas' in sys.modules, threading.active_count())\n"
            "matrices._load_pandas_meanwhile()\nprint(threading.active_count())")
    done = subprocess.run([sys.executable, "-c", body], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["True", "1", "1"]
