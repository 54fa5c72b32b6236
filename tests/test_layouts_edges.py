"""Layout detection details (qcode/importers/layouts.py): forced layouts and their markers.

Expected markers are read off each test's text by hand (lines count from 0).
"""

from qcode.importers.layouts import find_layout


def test_the_paragraphs_layout_finds_no_markers_even_in_an_interview():
    text = "E: Hola.\nR: Sí.\n"
    assert find_layout(text, "paragraphs") is None
    found = find_layout(text)
    assert found.name == "colon"
    # "Hola." starts at offset 3 on line 0, "Sí." at 9 + 3 = 12 on line 1
    assert found.markers == {0: ("E", None, 3), 1: ("R", None, 12)}
