"""qcode -> .qdpx -> qcode gives the same project; the export validates against the
REFI-QDA schema, has stable GUIDs, and an independent reader (pyrefiqda) finds the same
quoted text at every selection."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from qcode import Project
from qcode.refi.coders import consensus_coders, mark_consensus
from qcode.store import atomic, now

from .conftest import SAMPLES, SHARED, digest, run

XSD = SHARED / "refi-qda" / "Project-mrt2019.xsd"


def snapshot(project: Project) -> dict:
    """Everything that must survive the trip, keyed by names and spans (not row ids)."""
    conn = project.conn
    docs = {r["id"]: r for r in conn.execute("SELECT * FROM document")}
    segments = {r["id"]: (docs[r["document_id"]]["name"], r["start"], r["end"])
                for r in conn.execute('SELECT id, document_id, start, "end" FROM segment')}
    codings = {r["id"]: (docs[r["document_id"]]["name"], r["code_id"], r["coder"], r["start"],
                         r["end"]) for r in conn.execute(
        "SELECT * FROM coding WHERE removed_at IS NULL")}

    def target(row):
        kind, key = row["target"], row["target_id"]
        if kind in ("project", "code"):
            return key
        if kind == "document":
            return docs[int(key)]["name"]
        return (segments if kind == "segment" else codings)[int(key)]

    return {
        "documents": {r["name"]: (r["text"].encode("utf-8"), r["sha256"], r["language"])
                      for r in docs.values()},
        "attributes": sorted(tuple(r) for r in conn.execute(
            "SELECT d.name, a.name, a.value FROM attribute a JOIN document d"
            " ON d.id = a.document_id")),
        "codes": [tuple(r) for r in conn.execute(
            "SELECT id, parent, name, definition, include, exclude, examples, color, patterns"
            " FROM code WHERE retired_at IS NULL ORDER BY position")],
        "codings": sorted((*codings[i], r["memo"]) for i, r in
                          ((r["id"], r) for r in conn.execute(
                              "SELECT id, memo FROM coding WHERE removed_at IS NULL"))),
        "memos": sorted((r["target"], json.dumps(target(r)), r["author"], r["text"])
                        for r in conn.execute("SELECT * FROM memo")),
        "consensus": consensus_coders(conn),
    }


def add_memos(project: Project) -> None:
    conn = project.conn
    doc = conn.execute("SELECT id FROM document ORDER BY name LIMIT 1").fetchone()[0]
    segment = conn.execute("SELECT id FROM segment WHERE document_id = ? ORDER BY ordinal"
                           " LIMIT 1 OFFSET 2", (doc,)).fetchone()[0]
    coding = conn.execute("SELECT id FROM coding ORDER BY id LIMIT 1").fetchone()[0]
    code = conn.execute("SELECT id FROM code ORDER BY position LIMIT 1").fetchone()[0]
    with atomic(conn):
        for target, key, text in (("project", None, "Memo del proyecto: ¿qué falta? 📌"),
                                  ("document", str(doc), "Entrevista larga,\nen dos partes"),
                                  ("segment", str(segment), "ojo: <ironía> & \"comillas\""),
                                  ("code", code, "code memo"),
                                  ("coding", str(coding), "memo sobre una codificación")):
            conn.execute("INSERT INTO memo (target, target_id, author, text, created_at)"
                         " VALUES (?, ?, 'ana', ?, ?)", (target, key, text, now()))
        mark_consensus(conn, {"final"})


@pytest.fixture
def coded_project(sample_project):
    sample_project.import_codings(SAMPLES / "codings_ana.csv")
    sample_project.import_codings(SAMPLES / "codings_ben.csv")
    sample_project.code("guardia_lurigancho_2016", [9], ["obstacle.infrastructure"],
                        coder="demo", memo="scanner broken for eight months")
    sample_project.consensus("final")
    add_memos(sample_project)
    return sample_project


def round_trip(project: Project, tmp_path: Path) -> Project:
    target = tmp_path / "exported.qdpx"
    project.export_qdpx(target)
    # the projects were let in with --allow-pii where their text holds names; so is the copy
    return Project.init(tmp_path / "back", language="en", from_qdpx=target, allow_pii=True)


def test_sample_project_round_trip(coded_project, tmp_path):
    before = snapshot(coded_project)
    assert before["codings"] and before["consensus"] == {"final"}
    assert len(before["memos"]) == 6  # the five added here + the project memo `consensus` writes
    with round_trip(coded_project, tmp_path) as back:
        after = snapshot(back)
        assert back.report.warnings == []
        assert back.name == "study"  # the exported project's name, not the new folder's
    assert after == before


@pytest.mark.skipif(not XSD.is_file(), reason="../shared/refi-qda is absent")
def test_export_validates_and_is_stable(coded_project, tmp_path):
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    report = coded_project.export_qdpx(first)
    coded_project.export_qdpx(second)
    assert digest(first) == digest(second)  # same project, same bytes (and GUIDs)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    with zipfile.ZipFile(first) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        names = archive.namelist()
    assert schema.validate(root), schema.error_log
    # six sample documents, one .txt each, named by GUID
    assert len([n for n in names if n.startswith("sources/")]) == report.documents == 6
    ns = "{urn:QDA-XML:project:1.0}"
    sources = root.findall(f"{ns}Sources/{ns}TextSource")
    assert all(s.get("plainTextPath") == f"internal://{s.get('guid')}.txt" for s in sources)
    assert {u.get("name") for u in root.iter(f"{ns}User")} >= {"ana", "ben", "demo", "final"}
    # a GUID never repeats
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))


def test_guids_survive_a_second_trip(coded_project, tmp_path):
    def guids(path):
        root = etree.fromstring(zipfile.ZipFile(path).read("project.qde"))
        return sorted(e.get("guid") for e in root.iter() if e.get("guid"))

    coded_project.export_qdpx(tmp_path / "one.qdpx")
    with Project.init(tmp_path / "b", from_qdpx=tmp_path / "one.qdpx") as back:
        back.export_qdpx(tmp_path / "two.qdpx")
    assert guids(tmp_path / "one.qdpx") == guids(tmp_path / "two.qdpx")


def test_pyrefiqda_reads_our_export(coded_project, tmp_path):
    pyrefiqda = pytest.importorskip("pyrefiqda")
    path = tmp_path / "study.qdpx"
    coded_project.export_qdpx(path)
    loaded = pyrefiqda.RefiProject.load(path, extract_dir=str(tmp_path / "x"))
    texts = {r["name"]: r["text"] for r in coded_project.conn.execute(
        "SELECT name, text FROM document")}
    quotes = {(r["document"], r["start"], r["end"]) for r in coded_project.codings()}
    seen = set()
    for source in loaded.sources.text_source:
        local = pyrefiqda.RefiProject.resolve_source_path(source.plain_text_path,
                                                          tmp_path / "x")
        text = local.read_bytes().decode("utf-8")
        assert text == texts[source.name]
        for selection in source.plain_text_selection:
            start, end = selection.start_position, selection.end_position
            assert text[start:end] == texts[source.name][start:end]
            if selection.coding:
                seen.add((source.name, start, end))
    assert seen == quotes


# -- random projects ------------------------------------------------------------------------
WORDS = ["visita", "celular", "pabellón", "Ñandú", "señor", "über", "crème", "📱", "🙂👍",
         "手机", "₿", "naïve", "ça", "😀x", "𝔘", "guardia", "dinero"]
SPEAKERS = ["E", "R", "INTERVIEWER", "José Ñ"]


@st.composite
def projects(draw):
    documents = []
    for number in range(draw(st.integers(1, 3))):
        turns = draw(st.lists(st.tuples(st.sampled_from(SPEAKERS),
                                        st.lists(st.sampled_from(WORDS), min_size=1,
                                                 max_size=12)), min_size=1, max_size=6))
        text = unicodedata.normalize("NFC", f"Documento {number}\n\n" + "\n\n".join(
            f"{who}: {' '.join(said)}" for who, said in turns))  # distinct texts
        documents.append((f"doc_{number}_ñ", text))
    attributes = draw(st.dictionaries(st.sampled_from(["rol", "año", "prisión 🏢"]),
                                      st.sampled_from(["guardia", "2016", "Castro Castro ñ",
                                                       "🙂"]), max_size=3))
    codings = []
    for name, text in documents:
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            codings.append((name, start, end, draw(st.sampled_from(["a.b", "a", "ç_code"])),
                            draw(st.sampled_from(["ana", "Bénédicte", "李"])),
                            draw(st.sampled_from([None, "memo 🙂", "línea\nnueva"]))))
    return documents, codings, attributes


CODEBOOK = """codes:
  - id: a
    name: Código A
    color: red
    definition: "Definición con ñ"
    include: [uno, dos]
    exclude: "nada"
    examples: ["ej 😀", "otro\\ncon salto"]
    patterns:
      es: [visita, [{LOWER: celular}]]
    children:
      - id: a.b
        name: "B 📱"
        color: "#1f77b4"
  - id: ç_code
    name: C
"""


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=projects())
def test_random_projects_round_trip(data, tmp_path_factory):
    documents, codings, attributes = data
    tmp = tmp_path_factory.mktemp("rt")
    (tmp / "book.yaml").write_text(CODEBOOK.replace("ç_code", "c_code"), encoding="utf-8")
    with Project.init(tmp / "p", language="es") as project:
        for name, text in documents:
            (tmp / f"{name}.txt").write_text(text, encoding="utf-8")
        project.import_files([tmp / f"{name}.txt" for name, _ in documents],
                             allow_pii=True)  # random names: the round trip is the point
        project.load_codebook(tmp / "book.yaml")
        with atomic(project.conn):
            for key, value in attributes.items():
                project.conn.execute("INSERT INTO attribute SELECT id, ?, ? FROM document",
                                     (key, value))
            project.conn.execute("INSERT INTO memo (target, target_id, author, text, created_at)"
                                 " SELECT 'segment', id, 'Bénédicte', 'nota 📌', 'now'"
                                 " FROM segment WHERE ordinal = 1")
        for name, start, end, code, coder, memo in codings:
            project.code(name, None, [code.replace("ç_code", "c_code")], span=(start, end),
                         coder=coder, memo=memo)
        before = snapshot(project)
        with round_trip(project, tmp) as back:
            after = snapshot(back)
    assert after == before
    assert {name: text.encode() for name, text in documents} == \
        {name: value[0] for name, value in after["documents"].items()}


def test_cli_export_and_init_from(coded_project, tmp_path):
    result = run("--project", coded_project.path, "export", "qdpx", tmp_path / "s.qdpx")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and "6 documents" in result.stderr
    result = run("init", tmp_path / "again", "--from", tmp_path / "s.qdpx")
    assert result.exit_code == 0, result.output
    # the segments come back as the exporting project had them, and a REFI source has no
    # transcript layout to name
    segments = coded_project.conn.execute(
        "SELECT count(*) FROM segment s JOIN document d ON d.id = s.document_id"
        " WHERE d.name = 'guardia_lurigancho_2016'").fetchone()[0]
    assert f"imported guardia_lurigancho_2016: {segments} segments (turns)\n" in result.stderr
    result = run("--project", coded_project.path, "export", "qdpx", tmp_path / "s.zip")
    assert result.exit_code == 1
    assert "a REFI-QDA project file ends in .qdpx" in result.stderr
    result = run("--project", coded_project.path, "export", "qdpx")
    assert result.exit_code == 1 and "name the file to write" in result.stderr
    result = run("--project", coded_project.path, "export", "qdpx", "--out",
                 tmp_path / "via-option.qdpx")  # --out is the same as FILE
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(tmp_path / "via-option.qdpx")


def test_export_warns_about_passages_with_identifiers(coded_project, tmp_path):
    """The anonymisation check runs on what leaves the project (qcode.pii): a coded passage
    holding a phone number is named in a warning; the clean sample passages are not."""
    clean = coded_project.export_qdpx(tmp_path / "clean.qdpx")
    assert not [w for w in clean.warnings if "identifier" in w]
    leak = tmp_path / "leak.txt"
    leak.write_text("E: ¿Cómo la contacto?\nR: Llame al 987 654 321.\n", encoding="utf-8")
    coded_project.import_files([leak], allow_pii=True)
    coded_project.code("leak", [2], ["route.visitors"], coder="ana")
    report = coded_project.export_qdpx(tmp_path / "leak.qdpx")
    assert any(w.startswith("leak, segment 2: the passage still holds a likely identifier")
               for w in report.warnings)
    assert report.warnings[-1] == ("the export holds documents imported with --allow-pii: "
                                   "leak; check them before sharing the file")


def test_import_runs_the_anonymisation_check(coded_project, tmp_path):
    """A .qdpx source holding a phone number is refused like a transcript would be; with
    --allow-pii it comes in and is recorded (shown by `qcode docs`)."""
    leak = tmp_path / "leak.txt"
    leak.write_text("E: ¿Cómo la contacto?\nR: Llame al 987 654 321.\n", encoding="utf-8")
    coded_project.import_files([leak], allow_pii=True)
    coded_project.export_qdpx(tmp_path / "leak.qdpx")
    result = run("init", tmp_path / "refused", "--from", tmp_path / "leak.qdpx")
    assert result.exit_code == 1
    assert "1 file refused: 1 likely identifier that escaped anonymisation" in result.stderr
    assert "leak.qdpx:" in result.stderr and "'987 654 321'" in result.stderr
    assert not (tmp_path / "refused").exists()  # nothing left behind
    result = run("init", tmp_path / "allowed", "--from", tmp_path / "leak.qdpx", "--allow-pii")
    assert result.exit_code == 0, result.output
    with Project(tmp_path / "allowed") as back:
        assert {d["name"]: d["pii"] for d in back.documents()}["leak"] == "allowed (1 found)"
