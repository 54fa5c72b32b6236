"""Hostile and broken codebooks: YAML aliases ("billion laughs"), ids with a final newline or
no end, numbers that should be text, and every problem of a file reported in one run."""

from __future__ import annotations

import pytest

from qcode import CodebookError, load_codebook, validate_codebook
from tests.conftest import run, write
from tests.hostile import refused, small_project

LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
codes:
  - id: x
    name: *i
"""
ALIAS_PROBLEM = ("YAML anchors and aliases (&name, *name, <<) are not allowed in a codebook; "
                 "write the repeated part out")


def test_billion_laughs_is_refused_before_expanding(tmp_path):
    path = write(tmp_path / "laughs.yaml", LAUGHS)
    # the first repeat met is *a inside b (line 2); 9^9 strings would be built otherwise
    assert validate_codebook(path) == ([f"{path}:1: {ALIAS_PROBLEM}"], [])


def test_billion_laughs_in_the_cli_validate_and_load(tmp_path):
    env = small_project(tmp_path, codebook=True)
    path = write(tmp_path / "laughs.yaml", LAUGHS)
    result = run("codebook", "validate", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}:1: {ALIAS_PROBLEM}" in result.stderr
    refused(env, "codebook", "load", path, message=f"{path}:1: {ALIAS_PROBLEM}")


def test_a_merge_key_is_an_alias_too(tmp_path):
    text = ("base: {name: Base}\ncodes:\n  - id: a\n    <<: {name: A}\n")
    assert validate_codebook(write(tmp_path / "m.yaml", text))[0] == [
        f"{tmp_path / 'm.yaml'}:4: {ALIAS_PROBLEM}"]


@pytest.mark.parametrize("code_id, shown", [
    ('"evil\\n"', "'evil\\n'"),  # shown with the newline escaped
    ('"a b"', "'a b'"),
    ('".leading"', "'.leading'"),
    ('"trailing."', "'trailing.'"),
    ('"x" ', None),  # valid
    ('"' + "a" * 101 + '"', "'" + "a" * 60 + "…' (101 characters)"),
])
def test_ids_are_matched_whole_and_limited_in_length(tmp_path, code_id, shown):
    path = write(tmp_path / "cb.yaml", f"codes:\n  - id: {code_id}\n    name: N\n")
    problems = validate_codebook(path)[0]
    if shown is None:
        assert problems == []
    else:
        assert problems == [f"{path}:2: codes[0].id: {shown} is not a valid id; use letters, "
                            "digits, _ and -, with dots between levels, at most 100 characters"]


def test_rename_refuses_an_id_with_a_final_newline(tmp_path):
    env = small_project(tmp_path, codebook=True)
    refused(env, "codebook", "rename", "route", "evil\n",
            message="'evil\\n' is not a valid code id; use letters, digits, _ and -, with dots "
            "between levels, at most 100 characters")


def test_version_read_as_a_number_says_to_quote_it(tmp_path):
    path = write(tmp_path / "cb.yaml", "version: 1.0\ncodes:\n  - {id: a, name: yes}\n")
    assert validate_codebook(path)[0] == [
        f'{path}:1: version: 1.0 is read as a number, not text; put it in quotes: '
        f'version: "1.0"',
        f'{path}:3: codes[0].name: yes is read as true/false, not text; put it in quotes: '
        f'name: "yes"']


def test_every_problem_in_one_run(tmp_path):
    text = """\
version: 2.10
codes:
  - id: route
    name: Routes
    colour: red
    children:
      - id: "route.visitors\\n"
        name: Visitors
      - id: route
      - id: route.staff
        name: Staff
        parent: nowhere
  - id: 42
    name: Number
"""
    path = write(tmp_path / "cb.yaml", text)
    problems, _ = validate_codebook(path)
    # schema, id, duplicate, parent and type problems together, in file order
    assert problems == [f"{path}:{line}: {message}" for line, message in [
        (1, 'version: 2.10 is read as a number, not text; put it in quotes: version: "2.10"'),
        (5, "codes[0].colour: unknown field 'colour' (did you mean 'color'?)"),
        (7, "codes[0].children[0].id: 'route.visitors\\n' is not a valid id; use letters, "
            "digits, _ and -, with dots between levels, at most 100 characters"),
        (9, "codes[0].children[1].name: required field 'name' is missing"),
        (9, "codes[0].children[1].id: duplicate id 'route' (first at line 3)"),
        (12, "codes[0].children[2].parent: 'route.staff' is nested under 'route' and also "
             "names parent 'nowhere'; use one or the other"),
        (12, "codes[0].children[2].parent: parent 'nowhere' is not a code in this codebook"),
        (13, 'codes[1].id: 42 is read as a number, not text; put it in quotes: id: "42"')]]


def test_load_refuses_with_the_first_problem_and_a_count(tmp_path):
    env = small_project(tmp_path, codebook=True)
    path = write(tmp_path / "cb.yaml", "codes:\n  - {id: 'a b', name: A}\n  - {id: a}\n")
    refused(env, "codebook", "load", path,
            message=f"{path}:2: codes[0].id: 'a b' is not a valid id; use letters, digits, _ "
            "and -, with dots between levels, at most 100 characters (and 1 more problem; "
            "`qcode codebook validate FILE` lists them all)")


def nested(levels: int) -> str:
    return "codes:\n" + "".join(f"{'  ' * (2 * n + 1)}- id: c{n}\n{'  ' * (2 * n + 2)}"
                                f"name: C{n}\n{'  ' * (2 * n + 2)}children:\n"
                                for n in range(levels)) + "  " * (2 * levels + 1) + "[]\n"


def test_nesting_is_limited_in_depth(tmp_path):
    book = load_codebook(write(tmp_path / "ok.yaml", nested(32)))
    assert len(book.codes) == 32 and book.codes[-1].parent == "c30"
    path = write(tmp_path / "deep.yaml", nested(300))  # c32, the 33rd level, is on line 98
    problems = validate_codebook(path)[0]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:98: codes[0].children[0]")
    assert problems[0].endswith(": codes are nested more than 32 levels deep; list deeper "
                                "codes flat with `parent:`")


def test_a_complex_key_is_refused(tmp_path):
    with pytest.raises(CodebookError, match=r"a key must be a plain word"):
        load_codebook(write(tmp_path / "k.yaml", "? [a, b]\n: 1\ncodes: []\n"))
