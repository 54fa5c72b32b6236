"""Codebook validation rules one by one: what each field accepts and turns into, and the
exact message (file, line, path) for each thing it refuses."""

from __future__ import annotations

import pytest

from qcode import CodebookError, load_codebook, validate_codebook
from qcode.codebook import parse_codebook
from tests.conftest import write


def problems(text: str) -> list[str]:
    """The problems of `text` as a codebook called cb.yaml, without the file name."""
    try:
        parse_codebook(text, "cb.yaml")
    except CodebookError as exc:
        return [p.removeprefix("cb.yaml:") for p in exc.problems]
    return []


def test_fields_are_read_as_written():
    book = parse_codebook(
        "name: Estudio\nversion: '3'\nlanguages: [es]\ncodes:\n"
        "  - id: a\n    name: '  Alpha  '\n    definition: [one, two]\n"
        "    include: ' inc '\n    exclude: [x]\n    examples: solo\n    color: '#A1b'\n"
        "    renamed_from: old\n    patterns: {es: [visita]}\n"
        "  - {id: b, name: B, parent: a, examples: [e1, e2], renamed_from: [o1, o2],"
        " color: red}\n", "cb.yaml", default_name="unused")
    a, b = book.codes
    # criteria written as a list are joined one per line; names and criteria are stripped;
    # a single example or earlier id is a list of one
    assert (a.name, a.definition, a.include, a.exclude) == ("Alpha", "one\ntwo", "inc", "x")
    assert (a.examples, a.color, a.renamed_from, a.patterns) == (
        ("solo",), "#A1b", ("old",), {"es": ["visita"]})
    assert (b.parent, b.examples, b.renamed_from, b.color) == ("a", ("e1", "e2"),
                                                               ("o1", "o2"), "red")
    assert (book.name, book.version) == ("Estudio", "3")
    # b is a leaf without definition, include, exclude or an es pattern; a is a parent
    assert book.warnings == ["code 'b' has no definition, include, exclude, patterns.es"]


def test_the_file_name_is_the_default_name_and_the_hash_is_of_the_text(tmp_path):
    import hashlib

    text = "codes:\n  - {id: a, name: A}\n"
    book = load_codebook(write(tmp_path / "mine.yaml", text))
    assert (book.name, book.version) == ("mine", None)
    assert book.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert book.ids() == ["a"]


def test_a_missing_file_is_one_line(tmp_path):
    from qcode import InputError

    with pytest.raises(InputError, match=r"nope.yaml: no such codebook file$"):
        load_codebook(tmp_path / "nope.yaml")


@pytest.mark.parametrize("text", ["", "# nothing\n", "42\n", "codes\n"])
def test_not_a_mapping_is_refused_on_line_1(text):
    assert problems(text) == ["1: a codebook is a mapping with a `codes:` list"]


def test_codes_is_required_and_must_be_a_list():
    assert problems("name: x\n") == ["1: codes: required field 'codes' is missing"]
    assert problems("name: x\ncodes: 3\n") == ["2: codes: input should be a valid list"]


def test_language_codes():
    assert problems("languages: [es, EN, english, e]\ncodes: []\n") == [
        "1: languages: 'EN' is not a language code such as es or en",
        "1: languages: 'english' is not a language code such as es or en",
        "1: languages: 'e' is not a language code such as es or en"]
    assert problems("languages: [spa]\ncodes:\n  - id: a\n    name: A\n    patterns:\n"
                    "      spa: [x]\n      Es: [y]\n") == [
        "7: codes[0].patterns.Es: 'Es' is not a language code such as es or en"]


@pytest.mark.parametrize("color, ok", [("#abc", True), ("#A0B1C2", True), ("teal", True),
                                       ("#abcd", False), ("Red", False), ("#ggg", False),
                                       ("red ", False), ("", True)])
def test_colours(color, ok):
    found = problems(f"codes:\n  - id: a\n    name: A\n    color: '{color}'\n")
    assert found == ([] if ok else [f"4: codes[0].color: '{color}' is not a colour; use "
                                    "#rrggbb or a name such as red"])


def test_empty_phrase_patterns_and_empty_token_lists():
    assert problems("codes:\n  - id: a\n    name: A\n    patterns:\n      es:\n"
                    "        - '  '\n        - []\n        - [{LOWER: x}, 3]\n") == [
        "6: codes[0].patterns.es[0]: empty phrase pattern",
        "7: codes[0].patterns.es[1]: code 'a': a pattern is a phrase (string) or a list of "
        "token dicts such as [{LEMMA: visitante}]",
        "8: codes[0].patterns.es[2]: code 'a': a pattern is a phrase (string) or a list of "
        "token dicts such as [{LEMMA: visitante}]"]


def test_an_unknown_parent_gets_a_hint_only_when_one_is_close():
    text = "codes:\n  - {id: route, name: R}\n  - {id: b, name: B, parent: %s}\n"
    assert problems(text % "rout") == [
        "3: codes[1].parent: parent 'rout' is not a code in this codebook (did you mean "
        "'route'?)"]
    assert problems(text % "zzz") == [
        "3: codes[1].parent: parent 'zzz' is not a code in this codebook"]


def test_a_code_may_name_an_earlier_or_a_later_parent():
    book = parse_codebook("codes:\n  - {id: b, name: B, parent: a}\n  - {id: a, name: A}\n"
                          "  - {id: c, name: C, parent: b}\n")
    assert [(c.id, c.parent) for c in book.codes] == [("b", "a"), ("a", None), ("c", "b")]


def test_cycles_report_only_the_codes_on_them():
    # d hangs below the cycle a -> b -> c -> a without being on it; e is its own parent
    text = ("codes:\n  - {id: a, name: A, parent: c}\n  - {id: b, name: B, parent: a}\n"
            "  - {id: c, name: C, parent: b}\n  - {id: d, name: D, parent: a}\n"
            "  - {id: e, name: E, parent: e}\n")
    assert problems(text) == [f"{n}: codes[{n - 2}]: '{c}' is its own ancestor; break the "
                              "parent cycle" for n, c in ((2, "a"), (3, "b"), (4, "c"),
                                                          (6, "e"))]


def test_duplicate_ids_name_the_first_line_each_time():
    text = "codes:\n  - {id: a, name: A}\n  - {id: a, name: B}\n  - {id: a, name: C}\n"
    assert problems(text) == ["3: codes[1].id: duplicate id 'a' (first at line 2)",
                              "4: codes[2].id: duplicate id 'a' (first at line 2)"]


def test_an_id_with_a_control_character_is_shown_escaped():
    assert problems('codes:\n  - {id: "a\\tb", name: A}\n') == [
        "2: codes[0].id: 'a\\tb' is not a valid id; use letters, digits, _ and -, with dots "
        "between levels, at most 100 characters"]


@pytest.mark.parametrize("length, valid", [(100, True), (101, False)])
def test_the_id_length_limit(length, valid):
    assert (problems(f"codes:\n  - {{id: {'a' * length}, name: A}}\n") == []) is valid


def test_problems_are_in_file_order_and_keep_their_order_on_one_line():
    # found in this order: the colour and the id (first pass), then the parent (second pass)
    text = ("codes:\n  - {id: b, name: B, color: '#12', parent: zz}\n"
            "  - {id: 'x y', name: X}\n")
    assert problems(text) == [
        "2: codes[0].color: '#12' is not a colour; use #rrggbb or a name such as red",
        "2: codes[0].parent: parent 'zz' is not a code in this codebook",
        "3: codes[1].id: 'x y' is not a valid id; use letters, digits, _ and -, with dots "
        "between levels, at most 100 characters"]


def test_true_false_read_as_text_says_to_quote_it():
    assert problems("codes:\n  - id: a\n    name: no\n") == [
        '3: codes[0].name: no is read as true/false, not text; put it in quotes: name: "no"']


def test_validate_returns_the_warnings_of_a_good_file(tmp_path):
    path = write(tmp_path / "cb.yaml", "codes:\n  - {id: a, name: A, definition: D, include: I,"
                 " exclude: E, examples: [x]}\n  - {id: b, name: B}\n")
    assert validate_codebook(path) == ([], ["code 'b' has no definition, include, exclude, "
                                            "examples"])


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collection_is_as_it_was_after_parsing(enabled):
    import gc

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with pytest.raises(CodebookError):  # on the way out through an error too
            parse_codebook("codes: [}\n")
        assert gc.isenabled() is enabled
        parse_codebook("codes:\n  - {id: a, name: A}\n")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_paused_inside():
    import gc

    from qcode.yaml_nodes import gc_paused

    assert gc.isenabled()  # as in any test
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_unknown_top_level_fields_are_checked_against_the_codebook_fields():
    assert problems("titel: Estudio\ncodes: []\n") == [
        "1: titel: unknown field 'titel' (did you mean 'title'?)"]
    assert problems("zzz: 1\ncodes: []\n") == [
        "1: zzz: unknown field 'zzz'; allowed: name, version, title, description, languages, "
        "codes"]
    # inside a code, the code's fields
    assert problems("codes:\n  - {id: a, name: A, titel: x}\n") == [
        "2: codes[0].titel: unknown field 'titel'; allowed: id, name, definition, include, "
        "exclude, examples, color, patterns, parent, renamed_from, children"]


def test_a_number_as_a_pattern_language_is_shown_as_written():
    # the key 1 is a number (pydantic wants text) and not a language code either; a number in
    # a path is shown in brackets, as a list index is
    assert problems("codes:\n  - id: a\n    name: A\n    patterns:\n      1: [x]\n") == [
        "5: codes[0].patterns[1]: 1 is read as a number, not text; put it in quotes: \"1\"",
        "5: codes[0].patterns[1]: '1' is not a language code such as es or en"]


def test_a_field_written_over_several_lines_is_reported_on_its_key_line():
    assert problems("languages:\n  - es\n  - EN\ncodes: []\n") == [
        "1: languages: 'EN' is not a language code such as es or en"]


@pytest.mark.parametrize("code_id, shown", [
    ("a\\\\b", "'a\\b'"),  # printable: shown as written, one backslash (not escaped)
    ("x" * 59 + " ", "'" + "x" * 59 + " '"),  # 60 characters: shown whole
    ("x" * 60 + " ", "'" + "x" * 60 + "…' (61 characters)"),
])
def test_how_a_bad_id_is_shown(code_id, shown):
    assert problems(f'codes:\n  - {{id: "{code_id}", name: A}}\n') == [
        f"2: codes[0].id: {shown} is not a valid id; use letters, digits, _ and -, with dots "
        "between levels, at most 100 characters"]


@pytest.mark.parametrize("text, where", [
    ("name: x\n? [a, b]\n: 1\ncodes: []\n", "2: (top)"),  # a list as a key
    ("2016-05-01: x\ncodes: []\n", "1: (top)"),  # a date
    ("codes:\n  - id: a\n    ? {b: c}\n    : d\n", "3: codes[0]"),  # a mapping, in a code
])
def test_a_key_that_is_not_a_word_number_or_null_is_refused(text, where):
    assert problems(text) == [f"{where}: a key must be a plain word"]


def test_a_number_as_id_is_no_parent_for_the_codes_nested_in_it():
    # 42 is not a code id, so c is not "nested under" anything: only its own parent counts
    assert problems("codes:\n  - id: 42\n    name: N\n    children:\n"
                    "      - {id: c, name: C, parent: x}\n") == [
        '2: codes[0].id: 42 is read as a number, not text; put it in quotes: id: "42"',
        "5: codes[0].children[0].parent: parent 'x' is not a code in this codebook"]


def test_codes_after_one_without_id_are_still_checked():
    assert problems("codes:\n  - {name: A}\n  - {id: 'b c', name: B}\n") == [
        "2: codes[0].id: required field 'id' is missing",
        "3: codes[1].id: 'b c' is not a valid id; use letters, digits, _ and -, with dots "
        "between levels, at most 100 characters"]


def test_a_duplicate_id_names_the_line_of_the_first_id_key():
    assert problems("codes:\n  - name: A\n    id: a\n  - name: B\n    id: a\n") == [
        "5: codes[1].id: duplicate id 'a' (first at line 3)"]


def test_a_cycle_after_codes_already_found_safe_is_reported():
    # a -> b is checked first (safe); b is met again later; then c <-> e is a cycle
    text = ("codes:\n  - {id: a, name: A, parent: b}\n  - {id: b, name: B}\n"
            "  - {id: c, name: C, parent: e}\n  - {id: e, name: E, parent: c}\n")
    assert problems(text) == [f"{n}: codes[{n - 2}]: '{c}' is its own ancestor; break the "
                              "parent cycle" for n, c in ((4, "c"), (5, "e"))]


def test_patterns_written_as_one_phrase_are_refused_as_not_a_list():
    assert problems("codes:\n  - id: a\n    name: A\n    patterns: {es: una visita}\n") == [
        "4: codes[0].patterns.es: input should be a valid list"]


def test_no_parent_hint_from_5000_codes_on():
    # looking for close ids among many would cost more than it helps
    codes = "".join(f"  - {{id: c{n}, name: C}}\n" for n in range(4999))
    text = "codes:\n" + codes + "  - {id: d, name: D, parent: c12x}\n"
    assert problems(text) == ["5001: codes[4999].parent: parent 'c12x' is not a code in this "
                              "codebook"]
    fewer = "codes:\n" + codes[: codes.index("  - {id: c4998")] + \
        "  - {id: d, name: D, parent: c12x}\n"
    assert problems(fewer)[0].endswith("(did you mean 'c12'?)")


def test_a_cycle_through_nesting_is_found_whatever_the_nested_code_says_of_its_parent():
    # c is nested in a (so a is its parent: an empty `parent:` names none), and a names c as
    # its parent: a -> c -> a
    text = ("codes:\n  - id: a\n    name: A\n    parent: c\n    children:\n"
            "      - {id: c, name: C, parent: ''}\n")
    assert problems(text) == [
        "2: codes[0]: 'a' is its own ancestor; break the parent cycle",
        "6: codes[0].children[0]: 'c' is its own ancestor; break the parent cycle"]


def test_cycles_after_a_code_without_id_are_still_found():
    text = ("codes:\n  - {name: X}\n  - {id: a, name: A, parent: b}\n"
            "  - {id: b, name: B, parent: a}\n")
    assert problems(text) == [
        "2: codes[0].id: required field 'id' is missing",
        "3: codes[1]: 'a' is its own ancestor; break the parent cycle",
        "4: codes[2]: 'b' is its own ancestor; break the parent cycle"]


def test_a_duplicate_key_and_a_schema_error_are_both_reported():
    """The duplicate key is found while reading, the missing name by the schema check: one
    run lists both, in file order."""
    assert problems("codes:\n  - id: a\n    id: b\n    name: A\n  - {id: c}\n") == [
        "3: codes[0].id: duplicate key (first at line 2); keep one",
        "5: codes[1].name: required field 'name' is missing"]


def test_languages_that_are_not_a_list_are_one_problem():
    """`languages: es` is text, not a list: the schema says so once (its letters are not
    checked one by one as language codes)."""
    assert problems("languages: es\ncodes: []\n") == ["1: languages: input should be a valid "
                                                      "list"]


def test_keys_keep_their_file_order():
    book = parse_codebook("codes:\n  - {id: a, name: A, patterns: {fr: [x], es: [y], en: [z]}}\n"
                          "  - {name: B, id: b, patterns: {en: [z], fr: [x]}}\n")
    assert [list(code.patterns) for code in book.codes] == [["fr", "es", "en"], ["en", "fr"]]


def test_a_character_yaml_does_not_allow_is_one_line_with_its_line():
    """YAML refuses control characters such as BEL (U+0007), even quoted."""
    assert problems('codes:\n  - {id: a,\n     name: "x\x07"}\n') == [
        "3: YAML syntax error: special characters are not allowed (character #x0007); check "
        "indentation and quoting there"]


@pytest.mark.parametrize("value, kind, why", [
    ("2024-02-30", "timestamp", "day is out of range for month"),
    ("!!int abc", "int", "invalid literal for int() with base 10: 'abc'")])
def test_a_value_yaml_cannot_read_is_one_line_with_its_line(value, kind, why):
    """Unquoted, 2024-02-30 is a date to YAML, and there is no such day."""
    text = f"name: x\ncodes: []\nversion: {value}\n"
    assert problems(text) == [f"3: '{value.split()[-1]}' cannot be read as {kind} ({why}); "
                              "put it in quotes if it is text"]


def test_a_codebook_given_as_text_is_called_codebook():
    """Without a file name, problems name `<codebook>` and a codebook without `name:` is
    called codebook."""
    assert parse_codebook("codes:\n  - {id: a, name: A}\n").name == "codebook"
    with pytest.raises(CodebookError) as raised:
        parse_codebook("codes: 3\n")
    assert raised.value.problems == ["<codebook>:1: codes: input should be a valid list"]
