"""Rule matches as numbers: the pattern each hit names, and matches of a long text's windows
shifted and joined back into text order."""

from __future__ import annotations

import numpy as np

from qcode.nlp import annotator
from qcode.suggest.rules import Matches, RuleMatcher


def test_each_hit_names_its_pattern_as_written():
    """"patio" is code y's second pattern; a token pattern is described token by token."""
    nlp = annotator("es")
    token = [{"LOWER": "sin"}, {"LOWER": "luz"}]
    matcher = RuleMatcher([("x", {"es": [token]}), ("y", {"es": ["celda", "patio"]})], nlp)
    hits = matcher.hits(nlp("En el patio, sin luz."))
    assert [(h.code, h.text, h.start, h.end, h.pattern) for h in hits] == [
        ("y", "patio", 6, 11, "patio"),
        ("x", "sin luz", 13, 20, "{'LOWER': 'sin'} {'LOWER': 'luz'}")]


def arrays(*values: list[int]) -> Matches:
    return Matches(*(np.array(v, dtype="int64") for v in values))


def test_windows_are_shifted_and_joined_in_text_order():
    first = arrays([0, 4], [3, 9], [1, 0], [0, 2])
    second = arrays([2], [5], [1], [1])
    assert first.shifted(0) is first
    moved = second.shifted(100)
    assert (moved.start.tolist(), moved.end.tolist()) == ([102], [105])
    assert (moved.code.tolist(), moved.pattern.tolist()) == ([1], [1])
    assert Matches.joined([first]) is first
    joined = Matches.joined([first, moved])
    assert [getattr(joined, n).tolist() for n in ("start", "end", "code", "pattern")] == [
        [0, 4, 102], [3, 9, 105], [1, 0, 1], [0, 2, 1]]
    assert len(joined) == 3 and joined.start.dtype == np.int64
