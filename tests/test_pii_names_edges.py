"""The name detector's judgement in detail: each reason it gives and where it gives none,
titles and naming cues, allowed phrases and place prefixes inside a run of capitals,
sentence starts, speaker labels, and the name lists themselves.

Facts about the lists used below (qcode/pii/data): Wilber and María are strong first names,
Julio a weak one; Quispe, Mamani and Huamán strong surnames, Brown a weak one; Zegarra,
Ccoyllo and Chalaca are in neither list; Trabajo and Cayo are common words (Cayo is also a
weak surname), Vera and Dara common words and first names (Dara no surname)."""

from __future__ import annotations

import pytest

from qcode.pii import Allowlist
from qcode.pii.names import (
    _blocked,
    _sentence_start,
    _title_before,
    common_words,
    label_is_name,
    name_lists,
    names,
)


def found(text: str, allow: Allowlist | None = None) -> list[tuple[str, str]]:
    return [(f.text, f.reason) for f in names(text, allow or Allowlist())]


def test_the_facts_about_the_lists_this_file_relies_on():
    first, last = name_lists()
    assert (first["wilber"], first["maria"], first["julio"]) == (True, True, False)
    assert (last["quispe"], last["mamani"], last["huaman"], last["brown"]) == (
        True, True, True, False)
    assert not {"zegarra", "ccoyllo", "chalaca"} & (first.keys() | last.keys())
    assert {"trabajo", "cayo", "vera", "dara"} <= common_words() and "cayo" in last
    assert "dara" in first and "dara" not in last and "cayo" not in first
    assert "vera" in first and "julio" not in last and "wilber" not in last


def test_a_name_listed_strong_in_any_spelling_is_strong():
    # first_names.txt lists "Ambar" strong and "Ámbar" weak, "Adrian" weak and "Adrián"
    # strong: both fold to one key, which is strong
    first, _ = name_lists()
    assert first["ambar"] is True and first["adrian"] is True


def test_comment_lines_of_the_data_files_are_not_words():
    first, last = name_lists()
    assert not any(k.startswith("#") for k in (*first, *last, *common_words()))
    assert "" not in first and "" not in common_words()


@pytest.mark.parametrize("text, expected", [
    # after a title or cue, any capitalised word not a common one
    ("Lo vio el señor Zegarra.", [("Zegarra", "capitalised after 'señor'")]),
    ("Lo vio Sr. Zegarra", [("Zegarra", "capitalised after 'Sr.'")]),
    ("his name is Zegarra", [("Zegarra", "capitalised after 'name is'")]),
    ("el señor Quispe's casa", [("Quispe", "capitalised after 'señor'")]),
    ("el señor Trabajo vino.", []),                                   # a common word
    ("el señor Cayo vino.", [("Cayo", "capitalised after 'señor'")]),  # common, but a surname
    ("la señora Vera vino.", [("Vera", "capitalised after 'señora'")]),  # common, but a name
    ("la señora Dara vino.", [("Dara", "capitalised after 'señora'")]),  # (first name only)
    ("vino Quispe’s hijo", [("Quispe", "listed surname")]),  # a possessive with ’
    ("vino Wilber\tHuamán ayer", [("Wilber\tHuamán", "first name and surname")]),
    ("el señor ZEGARRA vino", []),                                    # capitals: a heading
    ("vino el señor. Zegarra", []),        # "señor." is no abbreviation: a sentence ended
    # two listed names
    ("con Wilber Huamán ayer", [("Wilber Huamán", "first name and surname")]),
    ("así que Quispe Mamani vino", [("Quispe Mamani", "two listed surnames")]),
    ("con WILBER QUISPE ayer", [("WILBER QUISPE", "first name and surname")]),
    ("con ZEGARRA QUISPE ayer", []),       # in capitals only whole listed names count
    # a strong first name and any capitalised word
    ("vino con Wilber Zegarra", [("Wilber Zegarra",
                                  "listed first name followed by a capitalised word")]),
    ("vino con Julio Zegarra", []),        # a weak first name is not enough
    # one word
    ("vino Quispe ayer", [("Quispe", "listed surname")]),
    ("vino Wilber ayer", [("Wilber", "listed first name")]),
    ("Wilber vino.", [("Wilber", "listed first name")]),  # strong: even at a sentence start
    ("Muchas gracias, Julio.", [("Julio", "listed first name (capitalised mid-sentence)")]),
    ("Julio vino.", []),                   # weak, where a capital is expected anyway
    ("vino Brown ayer", []),               # a weak surname alone
    ("Fue el Zegarra's.", []),             # listed nowhere, no title
    # capitalised words mid-sentence with a listed name among them
    ("vino con Zegarra Quispe", [("Zegarra Quispe",
                                  "capitalised words including a listed name")]),
    ("vino con Zegarra Brown", [("Zegarra Brown", "capitalised words including a listed name")]),
    ("Zegarra Quispe vino.", []),          # at a sentence start
    ("vino con ZEGARRA Brown", []),        # the weak surname after a word in capitals
    ("vino con Brown Zegarra", []),        # a weak surname not last
    ("vino con Zegarra Brown Ccoyllo", []),
    ("vino con Zegarra Ccoyllo Brown", [("Zegarra Ccoyllo Brown",
                                         "capitalised words including a listed name")]),
])
def test_each_judgement_and_its_reason(text, expected):
    assert found(text) == expected


def test_an_allowed_phrase_inside_a_run_splits_it_and_each_part_is_judged():
    allow = Allowlist(["Patio Chico"])
    assert found("vino Wilber Patio Chico Quispe ayer", allow) == [
        ("Wilber", "listed first name"), ("Quispe", "listed surname")]
    assert found("vino Quispe Patio Chico", allow) == [("Quispe", "listed surname")]
    assert found("vino Patio Chico Quispe", allow) == [("Quispe", "listed surname")]
    assert found("vino Patio Chico", allow) == []


def test_an_allowed_phrase_as_a_whole_run_is_no_name():
    allow = Allowlist(["Wilber Quispe"])
    assert found("con Wilber Quispe ayer", allow) == []
    assert found("con Wilber Quispe Mamani ayer", allow) == [("Mamani", "listed surname")]


def test_after_a_place_prefix_the_next_words_are_a_place_until_a_blocked_word():
    assert found("vino de San Pedro ayer") == []
    assert found("vino de San Pedro La Quispe") == [("Quispe", "listed surname")]
    assert found("vino de Santa Zegarra Quispe") == []
    # "Santa Rosa" is an allowed place: what follows it is judged again
    assert found("vino de Santa Rosa Quispe") == [("Quispe", "listed surname")]


def test_blocked_words_split_a_run_even_with_a_possessive():
    # "Director's" is a role word; the possessive does not hide it
    assert found("con Wilber Director's Quispe") == [
        ("Wilber", "listed first name"), ("Quispe", "listed surname")]


def test_a_possessive_is_taken_off_a_word_before_it_is_judged():
    # "Santo" is never a name on its own; "Santos" is a name, possessive or not
    assert _blocked("Santo's", Allowlist()) and _blocked("Santo’s", Allowlist())
    assert not _blocked("Santos's", Allowlist()) and not _blocked("Santos", Allowlist())
    assert _blocked("X's", Allowlist()) and not _blocked("Xo's", Allowlist())  # one letter


@pytest.mark.parametrize("text, title", [
    ("el señor Zegarra", "señor"), ("la Dra. Zegarra", "Dra."), ("el\tseñor\tZegarra", "señor"),
    ("se llama Zegarra", "llama"), ("my name is Zegarra", "name is"),
    ("de apellido Zegarra", "apellido"), ("surname is Zegarra", "surname is"),
    ("el señor. Zegarra", None), ("el señor,Zegarra", None), ("Zegarra", None),
    ("el casa Zegarra", None), (" Zegarra", None), ("el señorX Zegarra", None),
    ("el señor " + " " * 22 + "Zegarra", "señor"),   # "señor" ends 23 characters before
    ("el señor " + " " * 25 + "Zegarra", None),      # now it begins 31 before: out of reach
])
def test_the_title_or_cue_right_before_a_word(text, title):
    assert _title_before(text, text.index("Zegarra")) == title


@pytest.mark.parametrize("before", list("\n.?!:;\"«“'¿¡—-–([*>"))
def test_a_capital_is_expected_after_these_marks(before):
    assert _sentence_start(f"x{before} \tQuispe", 4)
    assert _sentence_start(f"x{before}Quispe", 2)


@pytest.mark.parametrize("text", ["x Quispe", "xX Quispe", "x,Quispe", "x) Quispe",
                                  "x.X Quispe"])
def test_a_capital_is_not_expected_mid_sentence(text):
    assert not _sentence_start(text, text.index("Quispe"))


def test_a_capital_is_expected_at_the_start_of_the_text():
    assert _sentence_start("Quispe", 0) and _sentence_start("  Quispe", 2)


@pytest.mark.parametrize("label, reason", [
    ("Rosa", "speaker label is a listed name"),
    ("[Rosa]", "speaker label is a listed name"),
    ("**Wilber_Zegarra**", "speaker label is a listed name"),
    ("Zegarra Ccoyllo", "speaker label is a full name"),
    ("Zegarra-Ccoyllo", "speaker label is a full name"),
    ("Zegarra.Ccoyllo", "speaker label is a full name"),
    ("Zegarra Ccoyllo 2", "speaker label is a full name"),
    ("s1_Zegarra_Ccoyllo", "speaker label is a full name"),  # a letter and digits: a number
    ("Zegarra", None), ("Zegarra ccoyllo", None), ("rosa", None), ("he said", None),
    ("Rosa 2", "speaker label is a listed name"), ("P3 Rosa", "speaker label is a listed name"),
    ("Guard Rosa", None), ("Speaker 1", None), ("12", None), ("", None), ("Q1 Z9", None),
])
def test_speaker_labels_and_why_they_are_names(label, reason):
    assert label_is_name(label) == reason
