"""Mapping REFI-QDA positions onto qcode's stored text (LF, no BOM, NFC)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.importers.decoding import normalise
from qcode.refi.positions import Convention, OffsetMap, to_stored, tool_map

# Pieces that normalisation changes (CRLF, CR, decomposed accents, jamo that compose) or
# that UTF-16 counts twice (emoji), mixed with plain ones.
TOKENS = ["a", "b ", "\r\n", "\r", "\n", "é", "e\u0301", "o\u0308\u0301", "😀", "𝔘",
          "\u1100\u1161", "한", "Å", "A\u030a", "ñ", "n\u0303", "手", " "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_every_token_boundary_maps_onto_the_normalised_text(tokens):
    raw = "".join(tokens)
    stored, to = to_stored(raw)
    assert stored == normalise(raw)
    bounds = [0]
    for token in tokens:
        bounds.append(bounds[-1] + len(token))
    # a boundary between "\r" and "\n" is inside one line end, not a real boundary
    bounds = [b for b in bounds if not (0 < b < len(raw) and raw[b - 1:b + 1] == "\r\n")]
    for i, a in enumerate(bounds):
        for b in bounds[i:]:
            assert stored[to(a, "start"):to(b, "end")] == normalise(raw[a:b]), (a, b)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30), st.booleans(), st.booleans())
def test_tool_positions_round_trip_through_the_raw_text(tokens, crlf_as_one, utf16):
    raw = "".join(t for t in tokens if t != "\r")  # a lone CR is one character either way
    convention = Convention(crlf_as_one=crlf_as_one, utf16=utf16)
    to_raw = tool_map(raw, convention)
    tool, raw_pos = 0, 0
    for token in tokens:
        if token == "\r":
            continue
        units = sum(2 if ord(c) > 0xFFFF and utf16 else 1 for c in token)
        if token == "\r\n" and crlf_as_one:
            units = 1
        assert to_raw(tool) == raw_pos
        tool, raw_pos = tool + units, raw_pos + len(token)
    assert to_raw(tool, "end") == raw_pos == len(raw)


def test_inside_a_piece_snaps_outwards():
    # "x\r\ny": raw 1-3 is the CRLF, stored 1-2 is its LF
    mapping = OffsetMap([(1, 2, 1, 1)])
    assert mapping(2, "start") == 1 and mapping(2, "end") == 2 and mapping(4) == 3
