"""Findings (qcode.pii.findings): their dictionary form, line numbers, and one finding kept per
stretch of text where detectors overlap."""

from __future__ import annotations

from qcode.pii.findings import Finding, resolve_overlaps, with_lines


def f(start: int, end: int, kind: str = "name") -> Finding:
    return Finding(start, end, "x" * (end - start), kind, "why")


def test_as_dict_names_every_field():
    finding = Finding(4, 9, "Vega.", "name", "after 'señor'", 3)
    assert finding.as_dict() == {"line": 3, "kind": "name", "text": "Vega.",
                                 "reason": "after 'señor'", "start": 4, "end": 9}
    assert Finding(0, 1, "a", "name", "r").line == 0  # no line until with_lines gives one


def test_lines_are_one_based_and_count_every_line_break_before_the_start():
    text = "\nab\n\ncd ef\ngh"
    # "ab" starts at 1 (line 2), "cd" at 5 and "ef" at 8 (line 4), "gh" at 11 (line 5)
    given = [f(11, 13), f(5, 7), f(1, 3), f(8, 10)]
    assert [(x.start, x.line) for x in with_lines(text, given)] == [
        (1, 2), (5, 4), (8, 4), (11, 5)]
    assert [x.line for x in with_lines("ab cd", [f(0, 2), f(3, 5)])] == [1, 1]
    assert with_lines("", []) == []


def test_with_lines_changes_nothing_but_the_line():
    finding = Finding(3, 5, "cd", "phone", "because", 99)
    [out] = with_lines("ab\ncd", [finding])
    assert (out.start, out.end, out.text, out.kind, out.reason, out.line) == (
        3, 5, "cd", "phone", "because", 2)


def test_the_earliest_then_the_longest_finding_is_kept():
    # same start: the longer wins; one inside the kept one is dropped; touching ones both stay
    given = [f(0, 3, "dni"), f(0, 5, "phone"), f(2, 4), f(5, 7, "email"), f(9, 10),
             f(8, 10, "plate")]
    assert [(x.start, x.end, x.kind) for x in resolve_overlaps(given)] == [
        (0, 5, "phone"), (5, 7, "email"), (8, 10, "plate")]


def test_between_findings_of_the_same_stretch_the_first_given_is_kept():
    # the sort is stable: the scan sorts by priority before resolving overlaps
    first, second = f(2, 6, "email"), f(2, 6, "name")
    assert resolve_overlaps([first, second]) == [first]
    assert resolve_overlaps([second, first]) == [second]
    assert resolve_overlaps([]) == []
