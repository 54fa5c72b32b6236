"""Boundaries the code states: `>=` against `>`, inclusive ends, empty inputs, the last
character of a text. Each test would fail if the boundary moved by one step."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from qcode import InputError
from qcode.agreement import coefficients as co
from qcode.codings import parse_segments
from qcode.suggest.evidence import render
from tests.conftest import write

# -- reading bands, exactly at their limits ---------------------------------------------------


def test_alpha_bands_include_their_lower_limit():
    """Krippendorff (2004: 241): rely on alpha >= .800, tentative for .667 <= alpha < .800."""
    assert co.read_alpha(0.800) == "reliable (α ≥ .800)"
    assert co.read_alpha(math.nextafter(0.800, 0)) == "tentative (.667 ≤ α < .800)"
    assert co.read_alpha(0.667) == "tentative (.667 ≤ α < .800)"
    assert co.read_alpha(math.nextafter(0.667, 0)) == "unreliable (α < .667)"
    assert co.read_alpha(1.0) == "reliable (α ≥ .800)"
    assert co.read_alpha(-1.0) == "unreliable (α < .667)"


@pytest.mark.parametrize(("value", "band"), [
    # Landis & Koch (1977): < 0 poor, 0-.20 slight, .21-.40 fair, .41-.60 moderate,
    # .61-.80 substantial, .81-1 almost perfect: each upper limit belongs to its band.
    (math.nextafter(0.0, -1), "poor (below chance)"),
    (0.0, "slight"), (0.20, "slight"), (math.nextafter(0.20, 1), "fair"),
    (0.40, "fair"), (math.nextafter(0.40, 1), "moderate"),
    (0.60, "moderate"), (math.nextafter(0.60, 1), "substantial"),
    (0.80, "substantial"), (math.nextafter(0.80, 1), "almost perfect"),
    (1.0, "almost perfect"), (-1.0, "poor (below chance)"),
])
def test_kappa_bands_include_their_upper_limit(value, band):
    assert co.read_kappa(value) == band


def test_undefined_values_read_as_undefined():
    assert co.read_alpha(None) == co.read_kappa(None) == "undefined"


# -- coefficients at the edges of their definitions -------------------------------------------


def test_a_unit_rated_once_is_not_pairable():
    """Unit 3 has one rating: it is left out of every coefficient (r_u >= 2)."""
    nan = np.nan
    data = np.array([[1, 1], [0, 0], [1, nan]], dtype=float)
    assert co.percent_agreement(data) == 1.0
    # Two pairable units, one coder each gave 1 and 0: alpha = 1 (no disagreement),
    # and with the lone rating counted alpha would still be 1: check the counts instead.
    counts, values = co.value_counts(data)
    assert values.tolist() == [0.0, 1.0]
    assert counts.tolist() == [[0, 2], [2, 0], [0, 1]]
    # Fleiss with units 1-2 only: p_a = 1, pi = (.5, .5), p_e = .5 -> kappa 1.
    assert co.fleiss_kappa(data) == 1.0
    one_each = np.array([[1, nan], [nan, 0]], dtype=float)
    assert co.percent_agreement(one_each) is None and co.fleiss_kappa(one_each) is None
    # two values seen (q = 2) but no pair to compare: still undefined
    assert co.brennan_prediger(one_each) is None and co.gwet_ac1(one_each) is None
    assert co.krippendorff_alpha(one_each) is None and co.cohen_kappa(one_each) is None


def test_brennan_prediger_and_ac1_need_two_categories():
    """q = 1 leaves p_e undefined (1/q = 1 or a division by q - 1 = 0): None, not a value."""
    same = np.array([[1, 1], [1, 1]], dtype=float)
    assert co.brennan_prediger(same) is None and co.gwet_ac1(same) is None
    # With q = 2 stated, all agreement: BP = (1 - .5)/.5 = 1; AC1: pi_1 = 1, p_e = 0 -> 1.
    assert co.brennan_prediger(same, categories=2) == 1.0
    assert co.gwet_ac1(same, categories=2) == 1.0
    # Three categories stated though two are seen: BP p_e = 1/3, p_a = 1/2 (one of two
    # units agrees) -> (1/2 - 1/3) / (2/3) = 1/4.
    half = np.array([[1, 1], [1, 2]], dtype=float)
    assert co.brennan_prediger(half, categories=3) == pytest.approx(0.25)
    assert co.brennan_prediger(half) == pytest.approx(0.0)  # q = 2 seen: (1/2 - 1/2) / (1/2)


def test_cohen_kappa_only_for_two_coders_and_only_units_both_rated():
    nan = np.nan
    assert co.cohen_kappa(np.zeros((3, 3))) is None
    # Unit 3 is rated by one coder only and must not count: over units 1, 2, 4
    # coder 1 = 1, 0, 1, coder 2 = 1, 0, 0 -> p_o = 2/3; p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9;
    # kappa = (2/3 - 4/9) / (5/9) = 2/5.
    data = np.array([[1, 1], [0, 0], [1, nan], [1, 0]], dtype=float)
    assert co.cohen_kappa(data) == pytest.approx(0.4)


def test_chance_agreement_of_one_is_undefined_not_a_division():
    every_unit_the_same = np.array([[2, 2], [2, 2], [2, 2]], dtype=float)
    assert co.fleiss_kappa(every_unit_the_same) is None
    assert co.cohen_kappa(every_unit_the_same) is None
    assert co.krippendorff_alpha(every_unit_the_same) is None


def test_alpha_levels_differ_on_the_same_data():
    """Two units, values (1, 2) and (1, 3). Nominal: every pair disagrees -> D_o = 1;
    n = 4, n_1 = 2, n_2 = n_3 = 1: D_e = (2*2*1 + 2*2*1 + 2*1*1) / (4*3) = 10/12;
    alpha = 1 - 12/10 = -0.2. Interval: D_o = (2*1 + 2*4) / 4 = 2.5; D_e = (2*2*1*1 +
    2*2*1*4 + 2*1*1*1) / 12 = 22/12; alpha = 1 - 2.5*12/22 = -4/11."""
    data = np.array([[1, 2], [1, 3]], dtype=float)
    assert co.krippendorff_alpha(data) == pytest.approx(-0.2)
    assert co.krippendorff_alpha(data, "interval") == pytest.approx(-4 / 11)
    with pytest.raises(ValueError, match="unknown level 'cardinal'"):
        co.krippendorff_alpha(data, "cardinal")  # type: ignore[arg-type]


def test_ratio_alpha_with_a_zero_value_is_defined_and_silent():
    """Ratio distance ((c - k)/(c + k))^2 is 0/0 for c = k = 0: taken as 0, with no
    warning. Units (0, 0) and (1, 2): delta(0, 1) = delta(0, 2) = 1, delta(1, 2) = 1/9;
    n = 4 (two 0s, one 1, one 2): D_o = (2/9)/4 = 1/18; D_e = 2(2 + 2 + 1/9)/12 = 74/108;
    alpha = 1 - (1/18)/(74/108) = 1 - 6/74."""
    import warnings

    data = np.array([[0, 0], [1, 2]], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert co.krippendorff_alpha(data, "ratio") == pytest.approx(1 - 6 / 74)


# -- segment numbers and spans ----------------------------------------------------------------


@pytest.mark.parametrize(("spec", "numbers"), [
    ("3", [3]), ("3-5", [3, 4, 5]), ("3,7", [3, 7]), ("1-2,9", [1, 2, 9]), ("4-4", [4]),
])
def test_segment_ranges_and_lists(spec, numbers):
    assert parse_segments(spec) == numbers


@pytest.mark.parametrize("spec", ["x", "3-y", "", "3,,4", "1.5"])
def test_bad_segment_specs_say_how_to_write_them(spec):
    with pytest.raises(InputError, match=rf"^'{spec}' is not a segment number; use e.g. 3, "
                                         r"3-5 or 3,7 \(numbers as shown by `qcode show`\)$"):
        parse_segments(spec)


def test_spans_are_start_colon_end():
    from qcode.codings import parse_span

    assert parse_span("12:40") == (12, 40) and parse_span("0:7") == (0, 7)
    for bad in ("12-40", "1:2:3", "a:b", "12"):
        with pytest.raises(InputError, match=rf"^--span {bad}: write START:END in characters, "
                                             r"e.g. 120:245$"):
            parse_span(bad)


# Segments of DOC: 1 "uno." [3, 7)  2 "dos dos." [11, 19)  3 "tres." [23, 28); 29 characters.
DOC = "E: uno.\nR: dos dos.\nE: tres.\n"
CODEBOOK = "codes:\n  - {id: x, name: X}\n  - {id: y, name: Y}\n"


@pytest.fixture
def tiny(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "d.txt", DOC)])
    return project


def test_a_span_may_run_to_the_last_character(tiny):
    assert len(DOC) == 29
    assert tiny.code("d", None, ["x"], span=(0, 29)) == [("span 0:29", "x", True)]
    for bad in ((0, 30), (5, 5), (6, 5), (-1, 4)):
        with pytest.raises(InputError, match=rf"^span {bad[0]}:{bad[1]} is outside document "
                                             r"'d' \(0:29\) or empty"):
            tiny.code("d", None, ["y"], span=bad)


def test_ranges_code_and_uncode_every_segment_named(tiny):
    assert [r[0] for r in tiny.code("d", parse_segments("1-3"), ["x"])] == [
        "segment 1", "segment 2", "segment 3"]
    assert tiny.uncode("d", parse_segments("1,3"), ["x"]) == [("segment 1", "x"),
                                                              ("segment 3", "x")]
    assert [(r["segment"], r["code"]) for r in tiny.codings()] == [(2, "x")]


def test_a_span_in_the_gap_between_segments_counts_no_segment(tiny):
    """[7, 11) is "\\nR: ", between segment 1 (ends at 7) and segment 2 (starts at 11):
    it touches neither. [6, 12) takes one character of each: both count."""
    from qcode.matrices import coded_units

    tiny.code("d", None, ["x"], span=(7, 11))
    tiny.code("d", None, ["y"], span=(6, 12))
    units, _ = coded_units(tiny.conn)
    segment = {r["id"]: r["ordinal"] for r in tiny.conn.execute("SELECT id, ordinal FROM segment")}
    found = sorted((c, segment[s]) for c, s in zip(units["code"], units["segment_id"],
                                                   strict=True))
    assert found == [("y", 1), ("y", 2)]
    clipped = units.sort_values("clip_start")[["clip_start", "clip_end"]].values.tolist()
    assert clipped == [[6, 7], [11, 12]]
    frame = tiny.matrix()
    assert frame.loc["x", "Total"] == 0 and frame.loc["y", "d"] == 2


def test_words_counted_up_to_the_last_character(tiny):
    """Words are counted inside segments (speaker labels lie outside them), each once, when
    its first character is coded: a span over the whole text holds uno, dos, dos, tres = 4.
    [24, 29) starts inside "tres" (its first character is 23): no word."""
    tiny.code("d", None, ["x"], span=(0, 29))
    tiny.code("d", None, ["y"], span=(24, 29))
    words = tiny.matrix(count="words")
    assert words.loc["x", "d"] == 4 and words.loc["y", "d"] == 0
    tiny.code("d", None, ["y"], span=(23, 24))
    assert tiny.matrix(count="words").loc["y", "d"] == 1


# -- agreement: the overlap share exactly at its boundary ---------------------------------


@pytest.fixture
def pair(project, tmp_path):
    """ana and ben both code document 'a' (so both are in the selection)."""
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt",
                                "E: uno.\nR: dos dos.\nE: tres tres tres.\nR: cuatro.\n")])
    project.code("a", [4], ["y"], coder="ana")
    project.code("a", [4], ["y"], coder="ben")
    return project


def _x_values(project, overlap: float) -> list[list[float]]:
    from qcode.agreement.units import segment_units, select

    selection = select(project.conn, ["ana", "ben"])
    return segment_units(project.conn, selection, overlap).data["x"].tolist()


def test_overlap_share_exactly_at_the_boundary_counts(pair):
    """Segment 2 "dos dos." is [11, 19), 8 characters; segment 3 is [23, 38).
    ana codes [15, 38): 4 of segment 2's 8 characters (1/2 of the segment, 4/23 of the
    coding) and all of segment 3. At overlap .5 segment 2 counts (share = .5 exactly); at
    .51 it does not. ben codes [16, 38): 3/8 of segment 2, never enough."""
    pair.code("a", None, ["x"], span=(15, 38), coder="ana")
    pair.code("a", None, ["x"], span=(16, 38), coder="ben")
    assert _x_values(pair, 0.5) == [[0, 0], [1, 0], [1, 1], [0, 0]]
    assert _x_values(pair, 0.51) == [[0, 0], [0, 0], [1, 1], [0, 0]]
    assert _x_values(pair, 0.375) == [[0, 0], [1, 1], [1, 1], [0, 0]]


def test_overlap_share_of_the_coding_counts_too(pair):
    """ben codes [12, 14) inside segment 2: 2/8 of the segment but 2/2 of the coding.
    A coding from the first character [0, 7) holds all of segment 1 [3, 7)."""
    pair.code("a", None, ["x"], span=(12, 14), coder="ben")
    pair.code("a", None, ["x"], span=(0, 7), coder="ana")
    assert _x_values(pair, 1.0) == [[1, 0], [0, 1], [0, 0], [0, 0]]


def test_overlap_outside_its_range_is_refused(pair):
    """agree, disagreements and consensus read --overlap the same way: a share in (0, 1]."""
    for call in (pair.agree, pair.disagreements, lambda **kw: pair.consensus("cons", **kw)):
        for bad in (0, -0.1, 1.01):
            with pytest.raises(InputError,
                               match=rf"^--overlap {bad}: use a share between 0 and 1"):
                call(overlap=bad)
    assert pair.agree(overlap=1).rows  # 1 itself is allowed
    pair.disagreements(overlap=1)  # and so do disagreements (no error)


def test_threshold_flags_alpha_strictly_below_it(pair):
    """x: ana codes segments 1 and 2, ben only 2; y both code 4. Per code 4 units.
    x: values ana 1,1,0,0 / ben 0,1,0,0: D_o = 2/8; n_1 = 3, n_0 = 5: D_e = 2*3*5/(8*7)
    = 30/56; alpha = 1 - (2/8)/(30/56) = 1 - 7/15 = 8/15 = .5333."""
    pair.code("a", [1, 2], ["x"], coder="ana")
    pair.code("a", [2], ["x"], coder="ben")
    exact = 8 / 15
    at = {r["code"]: r for r in pair.agree(threshold=exact).rows}
    assert at["x"]["alpha"] == pytest.approx(exact) and "below" not in at["x"]["flags"]
    above = {r["code"]: r for r in pair.agree(threshold=math.nextafter(exact, 1)).rows}
    assert above["x"]["flags"].startswith("below 0.533")
    assert "below" not in {r["code"]: r for r in pair.agree().rows}["y"]["flags"]


# -- text decoding limits -------------------------------------------------------------------


def test_control_characters_up_to_the_allowance_are_accepted(tmp_path):
    """check_text allows max(3, 1%) control characters: 3 pass in a short text, 4 do not."""
    from qcode.importers.decoding import check_text

    check_text("abc\x01\x02\x03", tmp_path / "t.txt")
    with pytest.raises(InputError, match="looks like a binary file"):
        check_text("abc\x01\x02\x03\x04", tmp_path / "t.txt")
    long = "a" * 996 + "\x01" * 10  # 1,006 characters: 1% is 10 -> allowed
    check_text(long, tmp_path / "t.txt")
    with pytest.raises(InputError, match="looks like a binary file"):
        check_text(long + "\x01", tmp_path / "t.txt")
    check_text("a\tb\fc\n" * 10, tmp_path / "t.txt")  # tab, form feed and newline are text


def test_nul_beyond_the_sniffed_prefix_is_not_binary_sniffing(tmp_path):
    """decode looks for NUL in the first 64 KiB only; a NUL at byte 65,536 decodes."""
    from qcode.importers.decoding import decode

    text, encoding = decode(b"a" * 65536 + b"\x00", tmp_path / "t.txt")
    assert encoding == "utf-8" and len(text) == 65537
    with pytest.raises(InputError, match="contains NUL bytes"):
        decode(b"a" * 65535 + b"\x00", tmp_path / "t.txt")


def test_undecodable_byte_names_its_line_and_value(tmp_path):
    from qcode.importers.decoding import decode

    # 0x81 is undefined in cp1252 and invalid UTF-8; it sits on line 3.
    with pytest.raises(InputError, match=r"t.txt, line 3: byte 0x81 is not valid UTF-8 nor "
                                         r"Windows-1252"):
        decode(b"uno\ndos\ntr\x81es\n", tmp_path / "t.txt")
    # a first line that is empty still counts: the bad byte is on line 3
    with pytest.raises(InputError, match=r"t.txt, line 3: byte 0x9d is not valid UTF-8"):
        decode(b"\nuno\n\x9d", tmp_path / "t.txt")
    with pytest.raises(InputError, match=r"t.txt, line 1: byte 0xff is not valid utf-8"):
        decode(b"\xef\xbb\xbfok\xff", tmp_path / "t.txt")
    assert decode(b"\xef\xbb\xbfok", tmp_path / "t.txt") == ("ok", "utf-8-sig")
    assert decode("sí".encode("utf-16-be"), tmp_path / "t.txt", "utf-16-be") == (
        "sí", "utf-16-be")


# -- rule hits: one per (code, span) --------------------------------------------------------

RULES = """\
languages: [es]
codes:
  - id: uno
    name: One
    patterns: {es: [visitante, visitantes]}
  - id: dos
    name: Two
    patterns: {es: [visitante]}
"""


def test_rule_hits_are_deduplicated_per_code_not_across_codes(project, tmp_path):
    """"visitantes" is hit by both of uno's patterns (lemma and lower case): one piece of
    evidence for uno. dos has the same pattern: it gets its own suggestion."""
    project.load_codebook(write(tmp_path / "cb.yaml", RULES))
    project.import_files([write(tmp_path / "v.txt", "E: ¿Quién?\nR: Las visitantes.\n")])
    project.suggest(method="rules")
    rows = project.conn.execute("SELECT code_id, score, evidence FROM suggestion"
                                " ORDER BY code_id").fetchall()
    assert [(r["code_id"], r["score"]) for r in rows] == [("dos", 0.5), ("uno", 0.5)]
    text = project.conn.execute("SELECT text FROM document").fetchone()[0]
    for row in rows:
        # stored compactly as [start, end, pattern]; the first pattern found is kept (the
        # lemma matcher runs first: pattern 0, "visitante", for both codes)
        assert json.loads(row["evidence"]) == [[18, 28, 0]]
        assert [(e["text"], e["start"], e["end"]) for e in render(row["evidence"], text)] == [
            ("visitantes", 18, 28)]


@pytest.mark.parametrize(("raw", "message"), [
    (b"%PDF-1.7\n", "this is a PDF; export the transcript as .txt or .docx first"),
    (b"{\\rtf1\\ansi hola}", "this is an RTF file; save it as .docx or .txt first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1", "this is an old Word .doc file; save it as .docx first"),
])
def test_binary_signatures_name_the_format(tmp_path, raw, message):
    from qcode.importers.decoding import decode

    with pytest.raises(InputError, match=rf"^{tmp_path / 't.txt'}: {message}$"):
        decode(raw, tmp_path / "t.txt")


def test_a_single_nul_in_decoded_text_is_binary(tmp_path):
    from qcode.importers.decoding import check_text

    with pytest.raises(InputError, match=r"t.txt: looks like a binary file, not a transcript; "
                                         r"export it as .txt, .docx, .vtt or .srt$"):
        check_text("E: hola\x00 y chau\n", tmp_path / "t.txt")
    with pytest.raises(InputError, match=r"t.txt: the file has no text; check you exported"):
        check_text(" \n", tmp_path / "t.txt")


def test_read_text_file_decodes_and_normalises(tmp_path):
    from qcode.importers.decoding import read_text_file

    path = write(tmp_path / "c.csv", b"document,code\r\nse\xf1or,x\r\n")  # Windows-1252
    assert read_text_file(path) == "document,code\nseñor,x\n"
    path = write(tmp_path / "u.csv", "\ufeffdocument\r\ncamio\u0301n\r".encode())
    assert read_text_file(path) == "document\ncamión\n"  # BOM, CR LF, CR, NFC
    with pytest.raises(InputError, match=r"^.*missing.csv: no such attributes file$"):
        read_text_file(tmp_path / "missing.csv", "attributes file")
    with pytest.raises(InputError, match=r"^.*folder: no such file$"):
        (tmp_path / "folder").mkdir()
        read_text_file(tmp_path / "folder")


def test_forced_encoding_errors_name_the_encoding_and_line(tmp_path):
    from qcode.importers.decoding import decode

    with pytest.raises(InputError, match=r"^--encoding klingon: unknown encoding; use e.g. "
                                         r"utf-8, windows-1252, latin-1 or utf-16$"):
        decode(b"hola", tmp_path / "t.txt", "klingon")
    with pytest.raises(InputError, match=r"t.txt, line 2: byte 0xf1 is not valid ascii; "
                                         r"convert the file to UTF-8 or pass --encoding$"):
        decode(b"uno\nse\xf1or\n", tmp_path / "t.txt", "ascii")


# -- agreement: which coders, codes and documents are compared ----------------------------


def test_selection_errors_and_document_filter(pair, tmp_path):
    from qcode.agreement.units import select

    with pytest.raises(InputError, match=r"^no codings by zed, zoe; coders in this project: "
                                         r"ana, ben$"):
        select(pair.conn, ["zed", "ana", "zoe"])
    with pytest.raises(InputError, match=r"^agreement needs at least two coders \(found: "
                                         r"ana\); import another coder's codings or merge"):
        select(pair.conn, ["ana"])
    with pytest.raises(InputError, match=r"^--codes q\*: matches no code; use a pattern such "
                                         r"as 'route.\*'$"):
        select(pair.conn, codes="q*")
    with pytest.raises(InputError, match=r"^no segment has been read by all of ana, ben in "
                                         r"documents matching 'z\*'; choose --coders who "
                                         r"coded the same documents$"):
        select(pair.conn, documents="z*")
    assert select(pair.conn, codes="[y]").codes == ["y"]
    # a second document coded by ana alone is not compared
    pair.import_files([write(tmp_path / "solo.txt", "E: solo.\n")])
    pair.code("solo", [1], ["x"], coder="ana")
    selection = select(pair.conn)
    assert [name for _, name in selection.documents] == ["a"]
    assert selection.coded_by["ana"] == {r[0] for r in pair.conn.execute(
        "SELECT id FROM document")}


# -- unitizing: sections, distances and the edges of alpha-u -------------------------------


def test_sections_cover_the_continuum_from_first_to_last_character():
    from qcode.agreement.unitizing import sections

    assert sections([], 5) == [(0, 5, False)]
    assert sections([(2, 4)], 10) == [(0, 2, False), (2, 4, True), (4, 10, False)]
    # units at both ends leave no empty gap before or after them
    assert sections([(6, 10), (0, 4)], 10) == [(0, 4, True), (4, 6, False), (6, 10, True)]
    assert sections([(0, 4), (4, 10)], 10) == [(0, 4, True), (4, 10, True)]


def test_distances_between_sections():
    from qcode.agreement.unitizing import distance

    # two overlapping units: (b1 - b2)^2 + (e1 - e2)^2 = 1 + 4
    assert distance((2, 6, True), (3, 8, True)) == 5
    assert distance((0, 5, True), (5, 9, True)) == 0          # touching: no overlap
    assert distance((2, 4, True), (2, 4, False)) == 4         # a unit exactly filling a gap
    assert distance((2, 4, False), (1, 4, True)) == 0         # a unit reaching past the gap
    assert distance((2, 4, False), (2, 3, True)) == 1         # ... and one inside it
    assert distance((2, 5, True), (3, 6, False)) == 0
    assert distance((0, 9, False), (0, 9, False)) == 0


def test_union_merges_overlaps_but_keeps_touching_spans_apart():
    from qcode.agreement.unitizing import union

    assert union([(3, 8), (0, 5), (8, 10)]) == [(0, 8), (8, 10)]
    assert union([(0, 10), (2, 3)]) == [(0, 10)]
    assert union([]) == []


def test_unitizing_edges():
    from qcode.agreement.unitizing import Unitizing, overall, unitizing_alpha

    empty = unitizing_alpha(0, [[(0, 1)], [(0, 1)]])
    assert (empty.alpha, empty.units, empty.observed, empty.expected) == (None, 2, 0.0, 0.0)
    assert unitizing_alpha(10, [[(1, 2)]]).units == 1
    assert overall([]) is None
    assert overall([Unitizing(0.0, 0.0, None, 0)]) is None
    # two codes: mean D_o = (.1 + .3)/2, mean D_e = (.4 + .4)/2 -> 1 - .2/.4 = .5
    assert overall([Unitizing(0.1, 0.4, 0.75, 1), Unitizing(0.3, 0.4, 0.25, 1)]) == (
        pytest.approx(0.5))
    # Both coders mark the whole continuum of 10: no gap, D_o = 0. D_e: N = 2 units of
    # l = 10: each (N - 1)(2l^3 - 3l^2 + l)/3 = 1710/3 = 570, no gaps -> sum 1140;
    # denominator R L (R L - 1) - sum l(l - 1) = 20*19 - 2*90 = 200; D_e = (2/10)(1140/200)
    whole = unitizing_alpha(10, [[(0, 10)], [(0, 10)]])
    assert whole.expected == pytest.approx(1.14) and whole.alpha == 1.0
    # One coder marks [0, 4), the other nothing: D_o = 2/(2*1*100) * 16 (a unit inside a gap)
    # = .16; D_e: N = 1, no (N - 1) term; gaps 6 and 10 hold l = 4 in 3 + 7 positions:
    # sum = 16 * 10 = 160; denominator 20*19 - 4*3 = 368; D_e = (2/10)(160/368)
    one = unitizing_alpha(10, [[(0, 4)], []])
    assert one.observed == pytest.approx(0.16)
    assert one.expected == pytest.approx(0.2 * 160 / 368)
    assert one.alpha == pytest.approx(1 - 0.16 / (0.2 * 160 / 368))


def test_span_agreement_needs_a_document_every_coder_read_whole(pair, tmp_path):
    """ben's review record in a says he read segment 1 only (and he coded segment 4): the
    segments both read are a#1 and a#4, so segment agreement has 2 units per code and span
    agreement, which needs whole documents, has none. With a third coder cy who coded only
    another document, no segment is read by all three."""
    pair.conn.execute("INSERT INTO reviewed (coder, segment_id, reviewed_at) SELECT 'ben', id,"
                      " 'now' FROM segment WHERE ordinal = 1")
    assert {r["code"]: r["units"] for r in pair.agree().rows}["x"] == 2
    with pytest.raises(InputError, match=r"^span agreement needs documents read entirely by "
                                         r"every chosen coder; none is \(choose fewer "
                                         r"--coders\)$"):
        pair.agree(unit="span")
    pair.import_files([write(tmp_path / "b.txt", "E: otra.\nR: cosa.\n")])
    pair.code("b", [1], ["x"], coder="ana")
    pair.code("b", [1], ["x"], coder="cy")
    with pytest.raises(InputError, match=r"^no segment has been read by all of ana, ben, cy; "
                                         r"choose --coders who coded the same documents$"):
        pair.agree()
    assert pair.agree(unit="span", coders=["ana", "cy"]).documents == ["b"]
# -- matrices: counting units ---------------------------------------------------------------


def test_jaccard_in_full_precision_and_zero_for_codes_nobody_used(tiny):
    """x on segments 1-3, y on 1: both 1, union 3 + 1 - 1 = 3 -> 1/3 (kept in full: rounding
    is for screens). z, never used, is left out unless asked for, and then all zero."""
    tiny.code("d", [1, 2, 3], ["x"])
    tiny.code("d", [1], ["y"])
    tiny.load_codebook(write(tiny.path.parent / "cb2.yaml", CODEBOOK + "  - {id: z, name: Z}\n"))
    jaccard = tiny.cooccurrence(jaccard=True)
    assert jaccard.loc["x", "y"] == pytest.approx(1 / 3) and jaccard.loc["x", "x"] == 1.0
    assert "z" not in jaccard.index
    jaccard = tiny.cooccurrence(jaccard=True, keep_empty=True)
    assert jaccard.loc["z", "z"] == 0.0 and jaccard.loc["x", "z"] == 0.0
    counts = tiny.cooccurrence(keep_empty=True)
    assert counts.loc["x", "y"] == 1 and counts.loc["x", "x"] == 3 and counts.loc["z", "z"] == 0
    with pytest.raises(InputError, match=r"^--unit turn: choose segment or document$"):
        tiny.cooccurrence(unit="turn")


def test_segments_without_a_speaker_are_grouped_as_none(tiny, tmp_path):
    tiny.import_files([write(tmp_path / "p.txt", "Un párrafo sin hablante.\n\nOtro más.\n")])
    tiny.code("p", [2], ["x"])
    tiny.code("d", [2], ["x"])
    by_speaker = tiny.matrix("speaker")
    assert by_speaker.loc["x", "(none)"] == 1 and by_speaker.loc["x", "R"] == 1


def test_coder_filter_on_a_project_without_codings(project):
    from qcode.matrices import coded_units

    with pytest.raises(InputError, match=r"^no codings by coder 'ana'; coders in this project: "
                                         r"none yet$"):
        coded_units(project.conn, "ana")


def test_words_of_overlapping_codings_count_once_and_groups_add_up(tiny, tmp_path):
    """x: [11, 15) and [13, 19) overlap inside segment 2 ("dos dos.": 2 words), then
    segment 3 ("tres.": 1 word) -> 3 words, each counted once. By speaker, R's words add up
    over two documents: d#2 "dos dos." (2) and e#2 "uno dos tres." (3) -> 5."""
    tiny.code("d", None, ["x"], span=(11, 15))
    tiny.code("d", None, ["x"], span=(13, 19))
    tiny.code("d", [3], ["x"])
    assert tiny.matrix(count="words").loc["x", "d"] == 3
    tiny.import_files([write(tmp_path / "e.txt", "E: hola.\nR: uno dos tres.\n")])
    tiny.code("d", [2], ["y"])
    tiny.code("e", [2], ["y"])
    assert tiny.matrix("speaker", count="words").loc["y", "R"] == 5


def test_library_defaults_of_cooccurrence(tiny):
    from qcode.matrices import cooccurrence

    tiny.code("d", [1, 2], ["x"])
    tiny.code("d", [2], ["y"])
    both = cooccurrence(tiny.conn)  # segments, counts
    assert both.loc["x", "y"] == 1 and both.loc["x", "x"] == 2


def test_an_undecodable_csv_is_named_in_the_error(tmp_path):
    from qcode.importers.decoding import read_text_file

    path = write(tmp_path / "bad.csv", b"document\n\x81\n")
    with pytest.raises(InputError, match=r"bad.csv, line 2: byte 0x81 is not valid UTF-8 nor "
                                         r"Windows-1252"):
        read_text_file(path)
