"""Codebook validation (with line numbers) and loading into a project."""

import pytest

from qcode import CodebookError, InputError, load_codebook, validate_codebook
from tests.conftest import CODEBOOK, write

GOOD = """\
name: tiny
version: "2"
languages: [es, en]
codes:
  - id: route
    name: Routes
    children:
      - id: route.visitors
        name: Visitors
        definition: Phones brought by visitors.
        include: Visitors hiding phones.
        exclude: Staff.
        examples: ["La visita lo trajo."]
        patterns:
          es: [visitante, [{LEMMA: traer}, {LOWER: celular}]]
          en: [visitor]
  - id: motive.family
    name: Family
    parent: route
"""


def problems_for(tmp_path, text):
    return validate_codebook(write(tmp_path / "cb.yaml", text))[0]


def test_shipped_codebook_is_complete():
    """Every leaf has definition, include, exclude, examples and es + en patterns."""
    book = load_codebook(CODEBOOK)
    assert book.warnings == []
    leaves = [c for c in book.codes if c.id not in {p.parent for p in book.codes}]
    assert len(leaves) >= 23
    ids = set(book.ids())
    for expected in ("route.visitors", "route.staff", "route.suppliers", "route.thrown",
                     "obstacle.overcrowding", "obstacle.infrastructure", "obstacle.wages",
                     "obstacle.vulnerability", "measure.prevention.career",
                     "measure.prevention.training", "measure.prevention.awareness",
                     "measure.prevention.sanctions", "measure.enforcement.tips",
                     "measure.enforcement.internal_affairs", "limit.political_will",
                     "limit.resources", "limit.values_only", "limit.weak_sanctions",
                     "limit.isolated", "motive.family", "motive.rehabilitation",
                     "motive.crime", "motive.status"):
        assert expected in ids
    for leaf in leaves:
        assert leaf.patterns.get("es") and leaf.patterns.get("en"), leaf.id


def test_good_codebook_flattens_in_order(tmp_path):
    book = load_codebook(write(tmp_path / "cb.yaml", GOOD))
    assert [(c.id, c.parent) for c in book.codes] == [
        ("route", None), ("route.visitors", "route"), ("motive.family", "route")]
    assert book.name == "tiny" and book.version == "2"


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = GOOD.replace("    name: Visitors", "    name: [Visitors")
    assert problems_for(tmp_path, text) == [
        f"{tmp_path / 'cb.yaml'}:10: YAML syntax error: expected ',' or ']', but got ':'; "
        "check indentation and quoting there"]


def test_unknown_field_with_suggestion(tmp_path):
    text = GOOD.replace("        exclude: Staff.", "        exclude: Staff.\n        colour: red")
    assert problems_for(tmp_path, text) == [
        f"{tmp_path / 'cb.yaml'}:13: codes[0].children[0].colour: unknown field 'colour' "
        "(did you mean 'color'?)"]


def test_duplicate_id_missing_parent_and_missing_name_all_reported(tmp_path):
    text = GOOD.replace("id: motive.family", "id: route.visitors").replace(
        "parent: route\n", "parent: rutas\n") + "  - id: orphan\n"
    # one run reports the schema error and the tree's problems together, in file order
    assert problems_for(tmp_path, text) == [
        f"{tmp_path / 'cb.yaml'}:17: codes[1].id: duplicate id 'route.visitors' (first at "
        "line 8)",
        f"{tmp_path / 'cb.yaml'}:19: codes[1].parent: parent 'rutas' is not a code in this "
        "codebook (did you mean 'route'?)",
        f"{tmp_path / 'cb.yaml'}:20: codes[2].name: required field 'name' is missing"]


def test_bad_token_pattern_names_the_code(tmp_path):
    text = GOOD.replace("{LOWER: celular}", "{LOWR: celular}")
    problems = problems_for(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'cb.yaml'}:15: codes[0].children[0].patterns"
                                  ".es[1]: code 'route.visitors': bad token pattern:")
    assert "LOWR" in problems[0]


def test_pattern_of_the_wrong_shape(tmp_path):
    text = GOOD.replace("en: [visitor]", "en: [42]")
    assert problems_for(tmp_path, text) == [
        f"{tmp_path / 'cb.yaml'}:16: codes[0].children[0].patterns.en[0]: code "
        "'route.visitors': a pattern is a phrase (string) or a list of token dicts such as "
        "[{LEMMA: visitante}]"]


def test_duplicate_key_bad_colour_and_bad_id(tmp_path):
    text = GOOD.replace("    name: Routes", "    name: Routes\n    name: Rutas\n"
                        "    color: not a colour").replace("id: motive.family", "id: 'bad id'")
    problems = problems_for(tmp_path, text)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "codes[0].name: duplicate key (first at line 6); keep one",
        "codes[0].color: 'not a colour' is not a colour; use #rrggbb or a name such as red",
        "codes[1].id: 'bad id' is not a valid id; use letters, digits, _ and -, with dots "
        "between levels, at most 100 characters"]


def test_parent_cycle(tmp_path):
    text = ("codes:\n  - {id: a, name: A, parent: b}\n  - {id: b, name: B, parent: a}\n")
    assert [p.split(": ", 2)[2] for p in problems_for(tmp_path, text)] == [
        "'a' is its own ancestor; break the parent cycle",
        "'b' is its own ancestor; break the parent cycle"]


def test_not_a_mapping(tmp_path):
    with pytest.raises(CodebookError, match=r"cb.yaml:1: a codebook is a mapping"):
        load_codebook(write(tmp_path / "cb.yaml", "- just\n- a list\n"))


def test_warnings_for_incomplete_leaves(tmp_path):
    book = load_codebook(write(tmp_path / "cb.yaml", GOOD))
    assert book.warnings == ["code 'motive.family' has no definition, include, exclude, "
                             "examples, patterns.es, patterns.en"]


# -- loading into a project --------------------------------------------------------------

def test_load_reload_and_refuse_dropping_used_codes(project, tmp_path):
    path = write(tmp_path / "cb.yaml", GOOD)
    report = project.load_codebook(path)
    assert report.added == ["route", "route.visitors", "motive.family"]
    assert project.load_codebook(path).unchanged == report.added
    project.import_files([write(tmp_path / "d.txt", "E: hola\nR: chau\n")])
    project.code("d", [2], ["motive.family"])
    dropped = write(tmp_path / "cb2.yaml", GOOD.split("  - id: motive.family")[0])
    with pytest.raises(InputError, match=r"the codebook drops codes that have codings: "
                                         r"motive.family \(1\); add them back"):
        project.load_codebook(dropped)
    assert len(project.codes()) == 3
    report = project.load_codebook(dropped, force=True)
    assert (report.retired, report.codings_removed) == (["motive.family"], 1)
    assert [c["id"] for c in project.codes()] == ["route", "route.visitors"]
    row = project.conn.execute("SELECT removed_at, removed_by FROM coding").fetchone()
    assert row["removed_at"] and row["removed_by"] == "codebook load"  # kept, marked
    assert project.load_codebook(path).updated == ["motive.family"]  # comes back, un-retired


def test_unused_dropped_code_is_deleted(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", GOOD))
    report = project.load_codebook(write(tmp_path / "cb2.yaml",
                                         GOOD.split("  - id: motive.family")[0]))
    assert report.removed == ["motive.family"]


def test_renamed_from_keeps_codings(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", GOOD))
    project.import_files([write(tmp_path / "d.txt", "E: hola\nR: chau\n")])
    project.code("d", [1, 2], ["route.visitors"])
    renamed = GOOD.replace("id: route.visitors", "id: route.visits\n        renamed_from: "
                           "route.visitors")
    report = project.load_codebook(write(tmp_path / "cb2.yaml", renamed))
    assert report.renamed == [("route.visitors", "route.visits")]
    assert {r["code"] for r in project.codings()} == {"route.visits"}


def test_rename_command_keeps_codings_and_children(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", GOOD))
    project.import_files([write(tmp_path / "d.txt", "E: hola\nR: chau\n")])
    project.code("d", [1], ["route"])
    assert project.rename_code("route", "routes") == 1
    codes = {c["id"]: c["parent"] for c in project.codes()}
    assert codes == {"routes": None, "route.visitors": "routes", "motive.family": "routes"}
    assert project.codings()[0]["code"] == "routes"
    with pytest.raises(InputError, match="code 'route.visitors' already exists"):
        project.rename_code("routes", "route.visitors")
    with pytest.raises(InputError, match="'a b' is not a valid code id"):
        project.rename_code("routes", "a b")
