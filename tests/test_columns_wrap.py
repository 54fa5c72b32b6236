"""`columns.wrap` breaks lines exactly as textwrap does (no long word split), with a fast
path for a line that fits as it is; `fit` measures multi-line cells by their widest line."""

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from qcode.cli.columns import Col, fit, shorten, wrap

PIECES = st.sampled_from(["a", "bb", "palabra", "x" * 30, " ", "  ", "\t", "\n", "\r\n", "\x0b",
                          "\x0c", "\xa0", "é", ""])


def reference(value: str, width: int) -> list[str]:
    """textwrap, paragraph by paragraph; a word longer than the width shortened with …"""
    lines = []
    for paragraph in value.splitlines() or [""]:
        for line in textwrap.wrap(paragraph, width, break_long_words=False,
                                  break_on_hyphens=False) or [""]:
            lines.append(line if len(line) <= width else shorten(line, width))
    return lines


@given(st.lists(PIECES, max_size=12).map("".join), st.integers(min_value=1, max_value=40))
def test_wrap_gives_what_textwrap_gives(value, width):
    assert wrap(value, width) == reference(value, width)


def test_lines_that_fit_are_kept_as_they_are_and_white_space_is_textwraps():
    assert wrap("speakers: E, R", 20) == ["speakers: E, R"]
    assert wrap(" leading kept", 20) == [" leading kept"]  # textwrap keeps a paragraph's indent
    assert wrap("trailing  ", 20) == ["trailing"]
    assert wrap("a\tb", 20) == ["a       b"]  # a tab expanded to the next multiple of 8


def test_a_multi_line_cell_is_as_wide_as_its_longest_line():
    fitted = fit([{"note": "short\na longer line"}, {"note": "mid size"}], [Col("note")], 80)
    assert fitted.lines[1] == "-" * len("a longer line")
