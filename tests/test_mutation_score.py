"""tools/mutation_score.py: the figures `make mutate` prints, from mutmut's result files."""

import json

import pytest

pytest.importorskip("mutmut")

from tools.mutation_score import equivalents, main  # noqa: E402

# mutmut's exit codes: 1 = the tests failed (killed), 0 = they passed (survived),
# 33 = no test reaches the mutant (counted as survived), None = not run yet.
RESULTS = {
    "qcode.m.x_f__mutmut_1": 1,
    "qcode.m.x_f__mutmut_2": 1,
    "qcode.m.x_f__mutmut_3": 1,
    "qcode.m.x_f__mutmut_4": 0,
    "qcode.m.x_f__mutmut_5": 0,
    "qcode.m.x_f__mutmut_6": 33,
    "qcode.m.x_g__mutmut_1": None,
}


def run(tmp_path, capsys, listed: str, patterns=()):
    (tmp_path / "mutants" / "qcode").mkdir(parents=True)
    meta = tmp_path / "mutants" / "qcode" / "m.py.meta"
    meta.write_text(json.dumps({"exit_code_by_key": RESULTS}), encoding="utf-8")
    (tmp_path / "eq.txt").write_text(listed, encoding="utf-8")
    assert main(list(patterns), tmp_path / "mutants", tmp_path / "eq.txt") == 0
    return capsys.readouterr().out


def test_score_is_killed_over_tested_with_equivalents_left_out(tmp_path, capsys):
    # 3 killed; survivors 4, 5 and 6 (no tests), of which 5 is listed as equivalent:
    # tested = 3 + 2 = 5, score 60.0%, 1 equivalent, 1 unchecked (g_1).
    out = run(tmp_path, capsys, "# why\nqcode.m.x_f__mutmut_5  # a case-insensitive key\n")
    row = next(line for line in out.splitlines() if line.startswith("qcode.m "))
    assert row.split()[1:] == ["3", "5", "60.0%", "1", "1"]
    assert "survived: qcode.m.x_f__mutmut_4" in out
    assert "no tests: qcode.m.x_f__mutmut_6" in out
    assert "x_f__mutmut_5" not in out  # an equivalent is not listed among the survivors


def test_stale_equivalents_are_reported_and_still_counted_as_killed(tmp_path, capsys):
    out = run(tmp_path, capsys, "qcode.m.x_f__mutmut_1\nqcode.m.x_gone__mutmut_9\n")
    row = next(line for line in out.splitlines() if line.startswith("qcode.m "))
    assert row.split()[1:4] == ["3", "6", "50.0%"]
    assert "listed as equivalent but not a survivor: qcode.m.x_f__mutmut_1 (killed)" in out
    assert "listed as equivalent but no such mutant: qcode.m.x_gone__mutmut_9" in out


def test_patterns_select_mutants(tmp_path, capsys):
    out = run(tmp_path, capsys, "", ["qcode.m.x_g*"])
    row = next(line for line in out.splitlines() if line.startswith("qcode.m "))
    assert row.split()[1:] == ["0", "0", "-", "0", "1"]


def test_equivalents_file_skips_comments_and_blanks(tmp_path):
    path = tmp_path / "eq.txt"
    path.write_text("# header\n\n a.b__mutmut_1 # why # more\n", encoding="utf-8")
    assert equivalents(path) == {"a.b__mutmut_1"}
    assert equivalents(tmp_path / "absent.txt") == set()
