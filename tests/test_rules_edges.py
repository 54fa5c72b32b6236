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


def test_a_pattern_spacy_rejects_is_named_by_code_language_and_number():
    """The second es pattern of x has an operator spaCy does not know ("INN"): the whole
    matcher is refused, naming the pattern as written and spaCy's first line."""
    import pytest

    from qcode import CodebookError

    bad = [{"LEMMA": {"INN": ["a"]}}]
    with pytest.raises(CodebookError) as raised:
        RuleMatcher([("x", {"es": ["bien", bad]})], annotator("es"))
    assert raised.value.problems == [
        "code 'x', es pattern 2 {'LEMMA': {'INN': ['a']}}: spaCy rejects it: Invalid token "
        "patterns for matcher rule 'x#1'"]


def test_codes_without_patterns_in_the_language_keep_their_numbers():
    """Codes with patterns only in English, or none, match nothing in Spanish text but keep
    their place: the third code's hit is named as the third code."""
    nlp = annotator("es")
    matcher = RuleMatcher([("en_only", {"en": ["yard"]}), ("none", {}),
                           ("y", {"es": ["patio"]})], nlp)
    assert matcher.codes == ["en_only", "none", "y"]
    assert [(h.code, h.start, h.end) for h in matcher.hits(nlp("el patio y the yard"))] == [
        ("y", 3, 8)]


def test_a_text_without_hits_gives_empty_integer_arrays():
    """No hit: four empty arrays of the same integer type as when there are hits."""
    nlp = annotator("es")
    for codes in ([("y", {"es": ["patio"]})], []):
        found = RuleMatcher(codes, nlp).matches(nlp("nada que ver"))
        assert len(found) == 0
        assert [getattr(found, n).dtype for n in ("start", "end", "code", "pattern")] == [
            np.dtype("int64")] * 4


def test_one_hit_per_code_and_span_the_first_matcher_s_kept():
    """y's token pattern (number 0) and phrase (number 1) both match "patio": one hit is
    kept, the phrase's (phrases are matched first, by lemma, then by lower case, then token
    patterns). z matches the same span and keeps its own hit; "celda" and "celdas" are two
    spans of y. Offsets: "Patio" 3-8, "celdas" 11-17, "celda" 19-24."""
    nlp = annotator("es")
    matcher = RuleMatcher([("y", {"es": [[{"LOWER": "patio"}], "patio", "celda"]}),
                           ("z", {"es": [[{"LEMMA": "patio"}]]})], nlp)
    hits = matcher.hits(nlp("El Patio y celdas, celda."))
    assert [(h.code, h.start, h.end, h.pattern) for h in hits] == [
        ("y", 3, 8, "patio"), ("z", 3, 8, "{'LEMMA': 'patio'}"),
        ("y", 11, 17, "celda"), ("y", 19, 24, "celda")]
