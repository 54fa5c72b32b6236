"""The anonymisation check through the CLI and Project: scan, redact, allow, import refusal,
--allow-pii recorded and listed, warnings on exports."""

from __future__ import annotations

import csv
import json

import pytest

from qcode import Project
from qcode.errors import InputError, NotFoundError
from tests.conftest import CODEBOOK, SAMPLES, digest, run, write

LEAKY = ("E: ¿Quién le vendió el equipo?\n"
         "R: El técnico Paucar. Su celular es 987 654 321 y su DNI 45678912.\n"
         "E: ¿Y después?\n"
         "R: Lo denunció Juan Quispe Mamani. Escríbale a jquispe@gmail.com.\n")
# Findings, in order: Paucar (name after 'técnico'), 987 654 321 (phone), 45678912 (DNI),
# Juan Quispe Mamani (name), jquispe@gmail.com (e-mail): five.


@pytest.fixture
def leaky(tmp_path):
    return write(tmp_path / "leaky.txt", LEAKY)


def test_scan_lists_file_line_kind_text_and_reason(leaky):
    result = run("pii", "scan", leaky, "--format", "json")
    assert result.exit_code == 2  # findings: 2, like grep's "found" convention inverted
    rows = json.loads(result.stdout)
    assert [(r["line"], r["kind"], r["text"]) for r in rows] == [
        (2, "name", "Paucar"), (2, "phone", "987 654 321"), (2, "dni", "45678912"),
        (4, "name", "Juan Quispe Mamani"), (4, "email", "jquispe@gmail.com")]
    assert rows[0]["reason"] == "capitalised after 'técnico'"
    assert rows[0]["source"] == str(leaky)


def test_scan_of_the_samples_is_clean():
    result = run("pii", "scan", SAMPLES)
    assert result.exit_code == 0, result.stdout
    assert "no likely identifiers found" in result.stderr


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.pdf", b"%PDF", "unsupported file type '.pdf'; qcode imports"),
    ("empty.txt", b"", "the file is empty"),
    ("missing.txt", None, "no such file or folder"),
])
def test_scan_and_redact_reject_bad_files_like_import(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    Project.init(tmp_path / "study").close()
    imported = run("--project", tmp_path / "study", "import", path)
    scanned = run("pii", "scan", path)
    redacted = run("pii", "redact", path, "-o", tmp_path / "out.txt")
    for result in (imported, scanned, redacted):
        assert result.exit_code == 1
        assert message in result.stderr
    assert scanned.stderr == imported.stderr


def test_import_refuses_a_file_with_identifiers_and_stores_nothing(project, leaky):
    before = digest(project.path)
    with pytest.raises(InputError) as caught:
        project.import_files([leaky])
    message = str(caught.value)
    assert message.splitlines()[0] == ("1 file refused: 5 likely identifiers that escaped "
                                       "anonymisation")
    assert "  line 2: phone '987 654 321' (valid phone number (PE, libphonenumber))" in message
    assert "qcode pii redact FILE -o COPY.txt" in message and "--allow-pii" in message
    assert project.documents() == []
    assert digest(project.path) == before


def test_the_refusal_lists_a_readable_number_of_findings(project, tmp_path):
    lines = [f"R: llame al 9{n:02d} 555 {n:03d} por favor." for n in range(10, 24)]
    path = write(tmp_path / "many.txt", "\n".join(lines) + "\n")  # 14 phone numbers
    with pytest.raises(InputError) as caught:
        project.import_files([path])
    message = str(caught.value).splitlines()
    assert sum(line.startswith("  line ") for line in message) == 10
    assert "  ... and 4 more; `qcode pii scan FILE` lists them all" in message


def test_allow_pii_imports_records_and_docs_shows_it(tmp_path, leaky):
    Project.init(tmp_path / "study").close()
    env = {"QCODE_PROJECT": str(tmp_path / "study")}
    refused = run("import", leaky, env=env)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: 1 file refused: 5 likely identifiers")
    allowed = run("import", leaky, "--allow-pii", env=env)
    assert allowed.exit_code == 0
    assert "leaky imported with --allow-pii: 5 likely identifiers left in it" in allowed.stderr
    docs = json.loads(run("docs", "--format", "json", env=env).stdout)
    assert docs[0]["pii"] == "allowed (5 found)"
    again = run("import", leaky, env=env)  # unchanged re-import: nothing new, not refused
    assert again.exit_code == 0 and "unchanged leaky" in again.stderr


def test_clean_imports_are_not_marked(sample_project):
    assert {d["pii"] for d in sample_project.documents()} == {""}


def test_redact_writes_a_pseudonymised_copy_and_a_key(tmp_path, leaky):
    out, key = tmp_path / "copy.txt", tmp_path / "keys" / "key.csv"
    key.parent.mkdir()
    result = run("pii", "redact", leaky, "-o", out, "--key", key)
    assert result.exit_code == 0, result.stderr
    assert out.read_text("utf-8") == (
        "E: ¿Quién le vendió el equipo?\n"
        "R: El técnico [PERSONA_1]. Su celular es [TELÉFONO_1] y su DNI [DNI_1].\n"
        "E: ¿Y después?\n"
        "R: Lo denunció [PERSONA_2]. Escríbale a [CORREO_1].\n")
    rows = list(csv.DictReader(key.open(encoding="utf-8")))
    assert [(r["placeholder"], r["original"], r["lines"]) for r in rows] == [
        ("[PERSONA_1]", "Paucar", "2"), ("[TELÉFONO_1]", "987 654 321", "2"),
        ("[DNI_1]", "45678912", "2"), ("[PERSONA_2]", "Juan Quispe Mamani", "4"),
        ("[CORREO_1]", "jquispe@gmail.com", "4")]
    Project.init(tmp_path / "study").close()
    assert run("--project", tmp_path / "study", "import", out).exit_code == 0


def test_english_placeholders(tmp_path):
    source = write(tmp_path / "en.txt", "---\nlanguage: en\n---\nI: Call Officer Brown on "
                   "987 654 321.\nR: Officer Brown said no.\n")
    run("pii", "redact", source, "-o", tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text("utf-8").endswith(
        "I: Call Officer [PERSON_1] on [PHONE_1].\nR: Officer [PERSON_1] said no.\n")


def test_a_key_inside_the_project_folder_is_refused(tmp_path, leaky):
    Project.init(tmp_path / "study").close()
    result = run("--project", tmp_path / "study", "pii", "redact", leaky, "-o",
                 tmp_path / "copy.txt", "--key", tmp_path / "study" / "key.csv")
    assert result.exit_code == 1
    assert "inside the project folder" in result.stderr
    assert not (tmp_path / "copy.txt").exists() and not (tmp_path / "study" / "key.csv").exists()


def test_redact_refuses_to_overwrite_the_original(leaky):
    result = run("pii", "redact", leaky, "-o", leaky)
    assert result.exit_code == 1 and "that is the original" in result.stderr
    assert leaky.read_text("utf-8") == LEAKY


def test_allow_adds_lists_and_removes_project_terms(tmp_path, leaky):
    Project.init(tmp_path / "study").close()
    env = {"QCODE_PROJECT": str(tmp_path / "study")}
    assert run("pii", "allow", "Paucar", "Juan Quispe Mamani", env=env).exit_code == 0
    listed = run("pii", "allow", "--format", "csv", env=env).stdout.splitlines()
    assert listed == ["term", "Juan Quispe Mamani", "Paucar"]
    rows = json.loads(run("pii", "scan", leaky, "--format", "json", env=env).stdout)
    assert [r["kind"] for r in rows] == ["phone", "dni", "email"]
    assert run("pii", "allow", "--remove", "paucar", env=env).exit_code == 0
    assert run("pii", "allow", "-f", "csv", env=env).stdout.splitlines() == [
        "term", "Juan Quispe Mamani"]


def test_code_names_of_the_codebook_are_allowed(project, tmp_path):
    path = write(tmp_path / "t.txt", "E: bueno\nR: Lo dijo el agente Chalaca.\n")
    assert [r.findings[0].text for r in project.pii_scan([path])] == ["Chalaca"]
    project.conn.execute("INSERT INTO code (id, position, name) VALUES ('r', 1, 'Ruta chalaca')")
    assert project.pii_scan([path])[0].findings == []


def test_scan_a_stored_document_by_name(sample_project, tmp_path):
    results = sample_project.pii_scan(["guardia_lurigancho_2016"])
    assert [(r.source, r.findings) for r in results] == [("guardia_lurigancho_2016", [])]
    # a prefix names the one document that begins with it, as everywhere
    prefixed = sample_project.pii_scan(["guardia_lurigancho"])
    assert [r.source for r in prefixed] == ["guardia_lurigancho_2016"]
    with pytest.raises(NotFoundError, match="no document 'guardia_lurigancha'; did you mean"):
        sample_project.pii_scan(["guardia_lurigancha"])


def test_exports_warn_about_passages_that_still_hold_identifiers(tmp_path, leaky):
    with Project.init(tmp_path / "study", coder="ana") as project:
        project.import_files([leaky], allow_pii=True)
        project.load_codebook(CODEBOOK)
        project.code("leaky", [2], ["route.staff"])
        project.code("leaky", [3], ["route.staff"])  # segment 3 holds no identifier
    env = {"QCODE_PROJECT": str(tmp_path / "study")}
    result = run("export", "quotes", "--out", tmp_path / "q.md", env=env)
    assert result.exit_code == 0
    assert ("leaky, segment 2: the passage still holds a likely identifier: name 'Paucar', "
            "phone '987 654 321', dni '45678912'") in result.stderr
    assert "segment 3" not in result.stderr
    report = run("report", tmp_path / "report", env=env)
    assert report.exit_code == 0 and "leaky, segment 2: the passage" in report.stderr


def test_exports_of_the_samples_do_not_warn(sample_project):
    frame = sample_project.quotes()
    assert sample_project.pii_passage_warnings(frame) == []


def test_placeholder_language_follows_lang_then_front_matter_then_the_text(tmp_path):
    english = write(tmp_path / "en.txt", "I: " + "So the officer and the inmate talked in the "
                    "yard, and it was late. " * 3 + "Call 987 654 321.\n")
    run("pii", "redact", english, "-o", tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_text("utf-8").endswith("Call [PHONE_1].\n")
    run("pii", "redact", english, "-o", tmp_path / "b.txt", "--lang", "es")
    assert (tmp_path / "b.txt").read_text("utf-8").endswith("Call [TELÉFONO_1].\n")


def test_an_empty_allow_term_is_refused(project):
    result = run("--project", project.path, "pii", "allow", " ")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("error: pii allow: give one or more non-empty terms, e.g. "
                                     "`qcode pii allow \"Penal de Ancón\" \"Patio Chico\"`")


def test_scan_with_a_trained_pipeline_adds_its_entities(tmp_path):
    import spacy

    nlp = spacy.blank("es")  # stands in for a trained pipeline: an entity ruler saved to disk
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PER", "pattern": "Xochitl"}])
    nlp.to_disk(tmp_path / "model")
    path = write(tmp_path / "t.txt", "E: bueno\nR: lo trajo Xochitl ayer.\n")
    assert run("pii", "scan", path).exit_code == 0
    result = run("pii", "scan", path, "--model", tmp_path / "model", "--format", "json")
    assert result.exit_code == 2
    assert [(r["text"], r["reason"]) for r in json.loads(result.stdout)] == [
        ("Xochitl", "PER entity of the model")]


def test_scan_and_redact_take_the_encoding_like_import(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("E: bueno\nR: el señor Ñañez vino.\n".encode("cp1252"))
    forced = run("pii", "scan", path, "--encoding", "utf-8")
    assert forced.exit_code == 1 and "utf-8" in forced.stderr.lower()
    result = run("pii", "scan", path, "--encoding", "cp1252", "--format", "json")
    assert [r["text"] for r in json.loads(result.stdout)] == ["Ñañez"]
    out = tmp_path / "out.txt"
    assert run("pii", "redact", path, "-o", out, "--encoding", "cp1252").exit_code == 0
    assert out.read_text("utf-8") == "E: bueno\nR: el señor [PERSONA_1] vino.\n"
