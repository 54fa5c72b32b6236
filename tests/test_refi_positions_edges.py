"""qcode.refi.positions on small hand-worked texts: the offset map's pieces, conventions and
their descriptions, and the evidence (selection names) that picks a convention."""

from __future__ import annotations

import pytest

from qcode.refi.positions import (
    Convention,
    OffsetMap,
    _clusters,
    agreement,
    candidates,
    selection_names,
    to_stored,
    tool_map,
)


def test_an_empty_map_keeps_every_position():
    for mapping in (OffsetMap(), OffsetMap(None), OffsetMap([])):
        assert [mapping(p) for p in (0, 1, 7)] == [0, 1, 7]
        assert mapping(3, "end") == 3


def test_positions_before_between_inside_and_after_pieces():
    # piece 1: source 1-3 (2 long) is target 1-2; piece 2: source 5-8 (3 long) is target 4-5
    mapping = OffsetMap([(1, 2, 1, 1), (5, 3, 4, 1)])
    starts = [mapping(p) for p in range(10)]
    ends = [mapping(p, "end") for p in range(10)]
    # 0 before any piece; 1 and 5 begin pieces; 2, 6, 7 inside (start snaps to the piece's
    # start, end to its end); after piece 1 the shift is -1, after piece 2 it is -3
    assert starts == [0, 1, 1, 2, 3, 4, 4, 4, 5, 6]
    assert ends == [0, 1, 2, 2, 3, 4, 5, 5, 5, 6]


def test_a_side_is_start_or_end():
    mapping = OffsetMap([(1, 2, 1, 1)])
    with pytest.raises(KeyError):
        mapping(2, "middle")


def test_conventions_describe_themselves():
    assert Convention().describe() == "code points, a CRLF line end as 2 characters"
    assert Convention(crlf_as_one=True, utf16=True, bom_counted=True).describe() == (
        "UTF-16 units, a CRLF line end as 1 character, the byte-order mark as character 0")


def test_stored_text_and_its_pieces_for_line_ends_and_accents():
    # raw: a \r\n b \r e+U+0301 ␠ c \r d  (indices 0 1 2 3 4 5 6 7 8 9 10)
    stored, mapping = to_stored("a\r\nb\re\u0301 c\rd")
    assert stored == "a\nb\né c\nd"
    # the CRLF (raw 1, 2 long) is stored 1 (1 long); "e\u0301" (raw 5, 2 long) is stored 4;
    # a lone CR is one character either way and needs no piece
    assert mapping.pieces == [(1, 2, 1, 1), (5, 2, 4, 1)]
    assert [mapping(p) for p in range(12)] == [0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9]


def test_each_composed_cluster_of_a_run_of_marks_is_a_piece():
    # one region, raw 1-5: "e"+U+0301 is stored "é" (1), U+1100 U+1161 is stored "가" (2)
    stored, mapping = to_stored("ae\u0301\u1100\u1161b")
    assert (stored, mapping.pieces) == ("aé가b", [(1, 2, 1, 1), (3, 2, 2, 1)])


def test_text_normalisation_leaves_alone_has_no_pieces():
    stored, mapping = to_stored("año 😀 한 \u00e9\r")
    assert (stored, mapping.pieces) == ("año 😀 한 \u00e9\n", [])


def test_a_cr_inside_a_run_of_marks_becomes_a_line_feed():
    # "\r" then U+0301: one region (the mark and the character before it); the CR is an LF
    # (the CRLF after it is mapped as usual: raw 4-6 is stored 4)
    stored, mapping = to_stored("x\r\u0301y\r\n")
    assert stored == "x\n\u0301y\n" and mapping.pieces == [(4, 2, 4, 1)]


def test_a_byte_order_mark_is_dropped():
    stored, _ = to_stored("\ufeffhola")
    assert stored == "hola"


def test_clusters_cut_between_characters_that_do_not_compose():
    # "e"+U+0301 composes; U+1100 U+1161 (Hangul L, V) compose with each other, not with é
    assert _clusters("e\u0301\u1100\u1161") == [(0, "e\u0301"), (2, "\u1100\u1161")]
    assert _clusters("é") == [(0, "é")]  # composed already: one piece, not examined
    # two Hangul L jamo: the first stands alone, the second composes with the V after it
    assert _clusters("\u1100\u1100\u1161") == [(0, "\u1100"), (1, "\u1100\u1161")]
    assert _clusters("a\u0308\u0301b\u0303") == [(0, "a\u0308\u0301"), (3, "b\u0303")]


def test_tool_positions_with_a_counted_bom_a_crlf_as_one_and_an_emoji_as_two():
    raw = "a\r\nb😀c"  # raw: a 0, CRLF 1-2, b 3, emoji 4, c 5
    mapping = tool_map(raw, Convention(crlf_as_one=True, utf16=True, bom_counted=True))
    # tool: BOM 0, a 1, CRLF 2, b 3, emoji 4-5, c 6
    assert mapping.pieces == [(0, 1, 0, 0), (2, 1, 1, 2), (4, 2, 4, 1)]
    assert [mapping(p) for p in range(8)] == [0, 0, 1, 3, 4, 4, 5, 6]
    assert mapping(5, "end") == 5
    plain = tool_map(raw, Convention())
    assert plain.pieces == [] and plain(6) == 6


def test_each_convention_counts_only_its_own_feature():
    raw = "a\r\nb😀c"
    assert tool_map(raw, Convention(crlf_as_one=True)).pieces == [(1, 1, 1, 2)]
    assert tool_map(raw, Convention(utf16=True)).pieces == [(4, 2, 4, 1)]
    assert tool_map(raw, Convention(bom_counted=True)).pieces == [(0, 1, 0, 0)]


def test_candidates_vary_only_what_the_text_holds():
    assert candidates("plain\ntext", False) == [Convention()]
    assert candidates("a\r\nb", False) == [Convention(), Convention(crlf_as_one=True)]
    assert candidates("a😀", True) == [Convention(), Convention(bom_counted=True),
                                        Convention(utf16=True),
                                        Convention(utf16=True, bom_counted=True)]
    assert len(candidates("a\r\n😀", True)) == 8


def test_selection_names_agree_with_the_convention_that_placed_them():
    raw = "Hola Señor\r\nadiós"
    stored, to_stored_map = to_stored(raw)
    # "adiós" is at 11 when the CRLF counts as one character, at 12 in code points
    names = [("hola", 0, 4), ("adiós", 11, 16), ("zzzz", 0, 4), ("", 5, 5)]
    as_one = tool_map(raw, Convention(crlf_as_one=True))
    as_two = tool_map(raw, Convention())
    # "" quotes nothing (5-5), "zzzz" is not the start of "hola": neither is evidence
    assert agreement(names, raw, stored, as_one, to_stored_map) == 2
    assert agreement(names, raw, stored, as_two, to_stored_map) == 1


def test_a_selection_starting_or_ending_inside_a_composed_character_takes_it_whole():
    raw = "ae\u0301lan"  # stored "aélan": raw 1-3 ("e" and the accent) is stored 1
    stored, to_stored_map = to_stored(raw)
    same = OffsetMap()
    # starting at the accent (raw 2) starts at "é"; ending after "e" (raw 2) ends after "é"
    assert agreement([("élan", 2, 6)], raw, stored, same, to_stored_map) == 1
    assert agreement([("aé", 0, 2)], raw, stored, same, to_stored_map) == 1


def test_a_selection_starting_or_ending_inside_an_emojis_utf16_units_takes_it_whole():
    # UTF-16 counts the emoji as units 0-1 (start) or 2-3 (end): unit 1 and unit 3 are inside
    utf16 = Convention(utf16=True)
    start_raw = "😀abc"
    stored, to_stored_map = to_stored(start_raw)
    to_raw = tool_map(start_raw, utf16)
    assert agreement([("😀abc", 1, 5)], start_raw, stored, to_raw, to_stored_map) == 1
    end_raw = "ab😀"
    stored, to_stored_map = to_stored(end_raw)
    to_raw = tool_map(end_raw, utf16)
    assert agreement([("ab😀", 0, 3)], end_raw, stored, to_raw, to_stored_map) == 1


def test_names_are_squashed_and_short_ones_dropped():
    selections = [(None, 0, 1), ("Hola…", 1, 2), ("abc...", 2, 3), ("  E\u0301l  sí... ", 3, 4),
                  ("abcd", 4, 5), ("ABCDE", 5, 6), ("ALEX", 6, 7)]
    assert selection_names(selections) == [("hola", 1, 2), ("él sí", 3, 4), ("abcd", 4, 5),
                                           ("abcde", 5, 6), ("alex", 6, 7)]
