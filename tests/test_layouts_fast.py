"""The shortcuts that spare lines of speech the layout patterns (issue 15, import speed).

Each test pins a line a shortcut must still hand to its pattern: without the shortcut's
character (or with a shortcut that took too much) the line would be classified differently.
Lines count from 0; expected values are read off each text by hand.
"""

import pickle
import random

import pytest

from qcode.importers.layouts import find_layout
from qcode.importers.markers import (
    HEADER,
    INLINE,
    NOISE_FIRST,
    NOTICE_LAST,
    PLAIN,
    TIME_LINE,
    notice,
)
from qcode.importers.model import Span
from qcode.importers.turns import split

MARKERS = "E: a.\nR: b.\n"  # two markers, so that a layout is found


def test_plain_lines_get_what_inline_would_give():
    # PLAIN stands in for INLINE on `Name: words` lines: wherever it matches, INLINE's match
    # holds only the name and a gap of one space, and ends where PLAIN's does; and such a line
    # is never a time line or a header, which _scan does not try on it
    rng = random.Random(15)
    alphabet = "AaAaé²1_ :\t[(])*-'’.0"
    lines = ["E: a", "Ana: [00:01] x", "Ana: (00:01) x", "Ana:  x", "Ana: \tx", "Ana:",
             "_a: x", "1: x", "²: x", "Ana María: x", "O'Neill: x", "Ana(a): x", "Ana: ",
             "Ana: 0:03", "Ana: 00:05:00", "Ana  0:03", "[Ana] 0:03", "0:03 Ana"]
    for _ in range(20000):
        head, tail = ("".join(rng.choices(alphabet, k=rng.randint(0, 6))) for _ in "ht")
        lines.append(head + rng.choice([":", ": ", ":  ", ": [", ": (", ":\t", " "]) + tail)
    matched = 0
    for line in lines:
        if plain := PLAIN.match(line):
            matched += 1
            full = INLINE.match(line)
            assert full and full.end() == plain.end(), line
            assert full.groups() == ("", None, None, None, None, plain.group(1), None, " ",
                                     None), line
            assert not HEADER.match(line) and not TIME_LINE.match(line), line
    assert matched > 100  # the random lines reach the pattern


@pytest.mark.parametrize("line, matches", [
    ("Ana: hola", True), ("Ana: ", True), ("é²: x", True),
    ("Ana:  hola", False),  # a wider gap: a padded column (INLINE's gap "  ")
    ("Ana: \thola", False), ("Ana: [00:01] hola", False), ("Ana: (00:01) hola", False),
    ("_a: x", False), ("1: x", False), ("Ana María: x", False), ("Ana:", False),
])
def test_plain_takes_only_the_simplest_marker_line(line, matches):
    assert bool(PLAIN.match(line)) is matches


def test_a_gap_of_two_spaces_still_makes_a_padded_layout():
    # "Ana:  " has a gap of two spaces (signature: column 6), PLAIN leaves it to INLINE
    assert split("Ana:  hola.\nBeto:  sí.\nAna:  bien.\n").layout == "padded"
    assert split("Ana: hola.\nBeto: sí.\nAna: bien.\n").layout == "colon"


def test_a_time_after_the_label_still_times_the_turn():
    # `Name: [00:00:12] words` is not PLAIN's: the time (12 s) is INLINE's t3
    done = split("E: [00:00:12] hola.\nR: (00:00:15) sí.\n")
    assert [(s.speaker, s.time_start) for s in done.spans] == [("E", 12.0), ("R", 15.0)]


@pytest.mark.parametrize("line, seconds", [
    ("00:05:00", 300.0), ("\t00:05:00", 300.0), ("  00:05:00", 300.0), ("[00:05:00]", 300.0),
    ("(00:05:00)", 300.0), ("١:٠٥", 65.0),  # Arabic-Indic digits are \d and isdecimal
])
def test_a_time_line_opens_with_a_blank_a_bracket_or_a_digit(line, seconds):
    found = find_layout(f"{MARKERS}{line}\nE: c.\nR: d.\n")
    assert found.noise == {2: seconds} and found.name == "google-meet"


@pytest.mark.parametrize("line", [
    "page 2", "Page 2 of 5", "PÁGINA 3 DE 9", "pagina 3", "Seite 2 von 3", "ſeite 2",
    "- 3 -", "-3-", "  - 3 -", "\tPage 2", "Transcribed by Ana", "transcript by x",
    "Transcription powered by x", "Transcrito por Ana", "transcripción realizada por x",
    "https://rev.com/x", "HTTP://otter.ai", "www.temi.com", "rev.com", "Otter.ai", "temi.com",
    "This transcript was exported on 2 May", "MEETING ENDED AFTER 30 minutes",
])
def test_every_kind_of_page_line_is_still_found(line):
    # each alternative of NOISE, in either case, indented or not: the line is not speech
    assert line[:1] in NOISE_FIRST and line[1:2] != ":"
    found = find_layout(f"{MARKERS}{line}\nE: c.\n")
    assert found.noise == {2: None}
    # and at the very start of the text too
    assert find_layout(f"{line}\n{MARKERS}").noise == {0: None}


@pytest.mark.parametrize("line", [
    "Ana started transcription", "ANA STARTED TRANSCRIPTION", "Ana stopped recording",
    "TRANSCRIPT: ANA STOPPED RECORDING", "Ana Started Transcription", "Ana stopped Recording",
    "Ana inició la transcripción", "Ana ha detenido la Grabación", "Ana detuvo la grabación",
    "audio.mp3 (completed 2 min)", "AUDIO.MP3 (COMPLETED)", "Ana started transcription  ",
    "Ana started transcription\t", "  Ana started transcription",
])
def test_every_kind_of_notice_is_still_found(line):
    assert line[-1:] in NOTICE_LAST and notice(line)
    assert find_layout(f"{MARKERS}{line}\nE: c.\n").noise == {2: None}


@pytest.mark.parametrize("line", [
    "Ana started TrAnScRiPtIoN",  # NOTICE would match; no hint in its case: speech
    "ANA STOPPED RECORDING",
    "Ana started transcription.",  # ends in a full stop: NOTICE does not match
    "Ana started transcription\r",
])
def test_a_line_without_a_hint_or_the_notice_end_is_no_notice(line):
    assert not notice(line) or line[-1:] not in NOTICE_LAST
    assert find_layout(f"{MARKERS}{line}\nE: c.\n").noise == {}


def test_a_one_off_label_among_core_labels_still_needs_its_checks():
    # E and R are core; "Nota" is a note (never a speaker); "Carla" is used once and opens a
    # turn after a finished sentence, "Pedro" follows an unfinished one and does not
    text = "E: a.\nR: b.\nNota: c.\nCarla: d.\nR: e\nPedro: f.\n"
    found = find_layout(text)
    assert sorted(found.markers) == [0, 1, 3, 4] and found.name == "colon"


def test_span_is_an_immutable_record_that_pickles():
    span = Span(3, 9, "Ana", 1.5)
    assert (span.start, span.end, span.speaker, span.time_start, span.time_end) == (
        3, 9, "Ana", 1.5, None)
    assert span == Span(3, 9, speaker="Ana", time_start=1.5, time_end=None)
    assert span != Span(3, 9, "Ana", 1.5, 2.0)
    assert pickle.loads(pickle.dumps(span)) == span
    assert repr(span) == "Span(start=3, end=9, speaker='Ana', time_start=1.5, time_end=None)"
    with pytest.raises(AttributeError):
        span.start = 4


def test_the_layout_is_named_after_the_marker_lines_only():
    # two markers without times; two notes in Rev's `Name (00:01):` form are not markers, so
    # they do not make the transcript a Rev one
    text = "Nota (00:01): x.\nE: a.\nFecha (00:02): y.\nR: b.\n"
    found = find_layout(text)
    assert sorted(found.markers) == [1, 3] and found.name == "colon"


def test_a_notice_in_the_form_of_a_marker_line_is_a_notice():
    # "Ana: started transcription" is a PLAIN line and a Teams notice: the notice wins
    found = find_layout(f"{MARKERS}Ana: started transcription\nE: c.\nR: d.\n")
    assert found.noise == {2: None} and sorted(found.markers) == [0, 1, 3, 4]


def test_a_plain_label_with_only_a_space_after_it_has_its_words_below():
    # "E: " (a trailing space, nothing said on the line) is PLAIN's: its words start on the
    # next line (body None), as on "E:" lines; most markers so: a label-line layout
    found = find_layout("E: \nHola.\nR: \nSí.\n")
    assert found.name == "label-line"
    assert found.markers == {0: ("E", None, None), 2: ("R", None, None)}
