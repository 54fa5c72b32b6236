"""Word counts equal `str.split()`'s, for whole texts and for any stretch of them."""

import sys

from hypothesis import given
from hypothesis import strategies as st

from qcode.words import WIDE_SPACES, WordCount, count_words

# every kind of character that matters: ASCII and Latin-1 spaces (\x1c-\x1f, \x85, \xa0),
# wide spaces, Latin-1 letters, characters above U+00FF (“ — …) and astral ones
CHARACTERS = st.sampled_from(list("ab é \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\xff“—…\U0001F600")
                             + ["\u2003", "\u3000"])


def test_the_wide_spaces_are_every_space_above_latin_1_in_this_python():
    assert "".join(c for c in map(chr, range(0x100, sys.maxunicode + 1))
                                  if c.isspace()) == WIDE_SPACES


@given(st.lists(CHARACTERS, max_size=40).map("".join), st.data())
def test_counts_equal_str_split_on_any_stretch(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text)))
    counted = WordCount(text)
    assert counted.between(start, end) == len(text[start:end].split())
    assert counted.total() == count_words(text) == len(text.split())


def test_worked_examples():
    text = "E: ¿Cómo entró?\nR: Por la visita.\xa0Sí"  # NBSP separates words too
    counted = WordCount(text)
    assert counted.total() == 8  # E: ¿Cómo entró? R: Por la visita. Sí
    assert counted.between(3, 15) == 2  # "¿Cómo entró?"
    assert counted.between(4, 6) == 1  # "Có": part of a word is one word
    assert counted.between(15, 15) == 0
    wide = "dos\u2003palabras “y” más"  # an em space: counted the slow way, same answer
    assert WordCount(wide).marks is None and WordCount(wide).total() == 4  # dos palabras “y” más
    quoted = "dos “palabras”"  # above Latin-1 but no wide space: marked, "?" for the quotes
    assert WordCount(quoted).marks is not None and WordCount(quoted).total() == 2
