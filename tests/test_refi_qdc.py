"""REFI-QDA codebooks (.qdc): export valid against Codebook-mrt2019.xsd, qcode-only fields
readable in the Description and back on import."""

from __future__ import annotations

import pytest
from lxml import etree

from qcode import Project
from qcode.refi import describe

from .conftest import CODEBOOK, SHARED, digest, run

XSD = SHARED / "refi-qda" / "Codebook-mrt2019.xsd"


def test_description_is_readable_and_reads_back():
    fields = describe.CodeFields(
        definition="Phones brought in by visitors.\nSecond line.", include="Visitors.\nSIMs.",
        exclude="Guards (route.staff).", examples=["La mamá traía el celular.", "two\nlines"],
        patterns={"es": ["visitante", [{"LEMMA": "traer"}]], "en": ["visitor"]},
        code_id="route.visitors", colour="red")
    text = describe.write(fields)
    assert text == ("Phones brought in by visitors.\nSecond line.\n\nInclude:\nVisitors.\nSIMs."
                    "\n\nExclude:\nGuards (route.staff).\n\nExamples:\n- La mamá traía el "
                    "celular.\n- two\n  lines\n\nPatterns:\nen: [\"visitor\"]\nes: "
                    "[\"visitante\", [{\"LEMMA\": \"traer\"}]]\n\nqcode id: route.visitors\n"
                    "qcode colour: red")
    assert describe.read(text) == fields
    # what other tools write is all definition
    assert describe.read("Just a memo.\r\nTwo lines.") == describe.CodeFields(
        definition="Just a memo.\nTwo lines.")


@pytest.fixture
def with_codebook(project):
    project.load_codebook(CODEBOOK)
    return project


@pytest.mark.skipif(not XSD.is_file(), reason="../shared/refi-qda is absent")
def test_qdc_validates(with_codebook):
    root = etree.fromstring(with_codebook.codebook_qdc())
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(root), schema.error_log
    ns = "{urn:QDA-XML:codebook:1.0}"
    # prison_phones.yaml's first code is `route` with children route.visitors, ...
    first = root.find(f"{ns}Codes/{ns}Code")
    assert first.get("name") == "Smuggling routes" and first.get("color") == "#1f77b4"
    assert first.find(f"{ns}Code").find(f"{ns}Description").text.endswith(
        "qcode id: route.visitors")


def test_qdc_round_trip_cli(with_codebook, tmp_path):
    out = tmp_path / "book.qdc"
    result = run("--project", with_codebook.path, "codebook", "export", "--format", "qdc",
                 "--out", out)
    assert result.exit_code == 0, result.output
    before = [dict(c) for c in with_codebook.codes()]
    with Project.init(tmp_path / "other") as other:
        result = run("--project", other.path, "codebook", "import", out)
        assert result.exit_code == 0, result.output
        assert f"codebook {out}: {len(before)} added" in result.stderr
        after = [dict(c) for c in other.codes()]
    keys = ["id", "parent", "name", "definition", "include", "exclude", "examples", "color",
            "patterns", "position"]
    assert [{k: c[k] for k in keys} for c in after] == [{k: c[k] for k in keys} for c in before]


def test_qdc_cli_errors(with_codebook, tmp_path):
    result = run("--project", with_codebook.path, "codebook", "export", "--format", "md")
    assert result.exit_code == 1
    assert "`codebook export` writes qdc; for md, tex or docx use `qcode export codebook" \
        in result.stderr
    (tmp_path / "x.qdc").write_text('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a/>')
    before = digest(with_codebook.path)
    result = run("--project", with_codebook.path, "codebook", "import", tmp_path / "x.qdc")
    assert result.exit_code == 1 and "declares a DTD" in result.stderr
    (tmp_path / "y.qdc").write_text('<CodeBook xmlns="urn:other"/>')
    result = run("--project", with_codebook.path, "codebook", "import", tmp_path / "y.qdc")
    assert result.exit_code == 1 and "not a REFI-QDA codebook" in result.stderr
    assert digest(with_codebook.path) == before
    with Project.init(tmp_path / "empty") as empty:
        result = run("--project", empty.path, "codebook", "export")
    assert result.exit_code == 1 and "the project has no codebook to export" in result.stderr


def _import(project: Project, path, codes: str, tail: str = "") -> object:
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:'
                    f'codebook:1.0"><Codes>{codes}</Codes>{tail}</CodeBook>', encoding="utf-8")
    return project.import_qdc(path)


def test_foreign_qdc_gets_ids_from_names(project, tmp_path):
    report = _import(
        project, tmp_path / "f.qdc",
        '<Code guid="11111111-1111-1111-1111-111111111111" name="Rutas de contrabando" '
        'isCodable="false" color="#80FF0000"><Description>Cómo entran.</Description>'
        '<Code guid="22222222-2222-2222-2222-222222222222" name="Visitas (familia)" '
        'isCodable="true"/></Code>')
    assert report.added == ["rutas_de_contrabando", "rutas_de_contrabando.visitas_familia"]
    code = project.codes()[0]
    assert code["definition"] == "Cómo entran." and code["color"] == "#ff0000"
    assert any("alpha channel" in w for w in report.warnings)


def test_taguette_codebook(project, tmp_path):
    # as Taguette writes it: flat codes named by their dotted path, and an empty <Sets/>
    report = _import(
        project, tmp_path / "codebook.qdc",
        '<Code guid="6F8E0C3B-0D5E-5C8B-9B1A-3B1E0F9B5B10" name="interview.fun" '
        'isCodable="true"/><Code guid="2B7F5D0A-8E1B-5C0C-8D4E-9A0B1C2D3E4F" name="interview" '
        'isCodable="true"/>', "<Sets/>")
    assert report.added == ["interview.fun", "interview"]
    assert {c["id"]: c["parent"] for c in project.codes()} == {"interview.fun": "interview",
                                                               "interview": None}


def test_codebook_load_takes_a_qdc_too(with_codebook, tmp_path):
    (tmp_path / "b.qdc").write_bytes(with_codebook.codebook_qdc())
    with Project.init(tmp_path / "o") as other:
        result = run("--project", other.path, "codebook", "load", tmp_path / "b.qdc")
        assert result.exit_code == 0, result.output
        assert len(other.codes()) == len(with_codebook.codes())
