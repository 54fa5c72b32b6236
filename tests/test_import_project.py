"""Importing into a project: idempotence, versions, attributes, and all-or-nothing writes."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from qcode import InputError, Project
from tests.conftest import ROOT, SAMPLES, digest, write


def test_sample_import_segments_and_attributes(sample_project):
    docs = {d["name"]: d for d in sample_project.documents()}
    guard = docs["guardia_lurigancho_2016"]
    assert (guard["language"], guard["segments"], guard["speakers"]) == ("es", 29, "E, G")
    assert guard["attributes"] == {"prison": "Lurigancho", "role": "guard", "year": "2016"}
    assert docs["guard_castro_castro_2016"]["language"] == "en"  # from the CSV's language column
    shown = sample_project.document("guardia_lurigancho_2016")
    first_answer = shown["segments"][2]
    assert first_answer["speaker"] == "G"
    assert first_answer["text"].startswith("Voy a cumplir nueve años.")
    assert first_answer["text"].endswith("lo que no te enseñan en la escuela.")


def test_stored_text_slices_are_exactly_the_segment_texts(sample_project):
    for doc in sample_project.documents():
        shown = sample_project.document(doc["name"])
        text = sample_project.conn.execute("SELECT text FROM document WHERE name = ?",
                                           (doc["name"],)).fetchone()[0]
        for seg in shown["segments"]:
            assert text[seg["start"]:seg["end"]] == seg["text"]


def test_reimport_is_a_no_op_that_says_so(sample_project):
    before = sample_project.conn.execute("SELECT count(*) FROM segment").fetchone()[0]
    report = sample_project.import_files([SAMPLES])
    assert {f.status for f in report.files} == {"unchanged"}
    assert report.imported == []
    assert sample_project.conn.execute("SELECT count(*) FROM segment").fetchone()[0] == before


def test_changed_text_under_same_name_is_refused_with_a_hint(project, tmp_path):
    write(tmp_path / "a" / "int.txt", "E: hola\nR: chau\n")
    write(tmp_path / "b" / "int.txt", "E: hola\nR: chau, y algo más\n")
    project.import_files([tmp_path / "a" / "int.txt"])
    with pytest.raises(InputError, match=r"int.txt: document 'int' already exists with "
                                         r"different text; import it with --as NEW_NAME"):
        project.import_files([tmp_path / "b" / "int.txt"])
    report = project.import_files([tmp_path / "b" / "int.txt"], name="int_v2")
    assert [f.name for f in report.imported] == ["int_v2"]


def test_same_text_under_another_name_is_skipped(project, tmp_path):
    write(tmp_path / "one.txt", "E: hola\nR: chau\n")
    write(tmp_path / "two.txt", "E: hola\r\nR: chau\r\n")  # same after normalisation
    project.import_files([tmp_path / "one.txt"])
    report = project.import_files([tmp_path / "two.txt"])
    assert [(f.status, f.same_as) for f in report.files] == [("duplicate", "one")]


def test_two_files_with_one_name_in_one_import(project, tmp_path):
    write(tmp_path / "x.txt", "E: a\nR: b\n")
    write(tmp_path / "x.md", "E: c\nR: d\n")
    with pytest.raises(InputError, match=r"would be named 'x' like"):
        project.import_files([tmp_path / "x.md", tmp_path / "x.txt"])


def test_attributes_csv_alone_updates_existing_documents(sample_project, tmp_path):
    csv = write(tmp_path / "more.csv", "document,site_visit,role\nexpert_ngo_2016.txt,yes,"
                                       "analyst\nnobody,x,y\n")
    report = sample_project.import_files([], attributes=csv)
    assert report.warnings == ["attributes for 'nobody' ignored: no such document"]
    attrs = {d["name"]: d["attributes"] for d in sample_project.documents()}
    assert attrs["expert_ngo_2016"] == {"role": "analyst", "site_visit": "yes", "year": "2016"}


def test_attributes_csv_errors(project, tmp_path):
    bad = write(tmp_path / "bad.csv", "doc,role\nx,guard\n")
    with pytest.raises(InputError, match=r"bad.csv, line 1: needs a 'document' column "
                                         r"\(found: doc, role\)"):
        project.import_files([], attributes=bad)
    twice = write(tmp_path / "twice.csv", "document,role\nx,a\nx,b\n")
    with pytest.raises(InputError, match=r"twice.csv, line 3: document 'x' is listed twice"):
        project.import_files([], attributes=twice)


def test_language_precedence(project, tmp_path):
    write(tmp_path / "a.md", "---\nlanguage: en\n---\nE: hi\nR: ho\n")
    project.import_files([tmp_path / "a.md"])
    assert project.documents()[0]["language"] == "en"  # front matter beats project default
    write(tmp_path / "b.txt", "E: hola\nR: chau\n")
    project.import_files([tmp_path / "b.txt"], language="en")
    assert {d["name"]: d["language"] for d in project.documents()}["b"] == "en"
    with pytest.raises(InputError, match="--lang spanish: use a two-letter language code"):
        project.import_files([tmp_path / "b.txt"], language="spanish")


def test_progress_callback_sees_every_file(project):
    calls = []
    project.import_files([SAMPLES], progress=lambda done, total, label: calls.append(
        (done, total, label.split()[0])))
    assert calls[-1] == (6, 6, "storing")
    assert sum(1 for c in calls if c[2] == "reading") == 6


BAD_INPUTS = {
    "missing path": lambda d: [d / "nope.txt"],
    "folder without transcripts": lambda d: [write(d / "empty" / "x.csv", "a\n").parent],
    "binary file": lambda d: [write(d / "bin.txt", bytes(range(256)) * 4)],
    "empty file": lambda d: [write(d / "empty.txt", b"")],
    "undecodable bytes": lambda d: [write(d / "bad.txt", b"E: hola\nR: \x81\x8d\n")],
    "bad second file": lambda d: [write(d / "ok.txt", "E: hola\nR: chau\n"),
                                  write(d / "zz.txt", b"\x00\x01binary")],
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_leaves_the_project_byte_for_byte_unchanged(sample_project, tmp_path, case):
    paths = BAD_INPUTS[case](tmp_path / "input")
    sample_project.close()
    before = digest(sample_project.path)
    with Project(sample_project.path) as reopened, pytest.raises(InputError):
        reopened.import_files(paths)
    assert digest(sample_project.path) == before
    assert not sample_project.path.with_name("qcode.db-wal").exists()


def test_kill_9_in_the_middle_of_an_import_leaves_the_project_as_it_was(tmp_path):
    """A subprocess imports 120 files and is killed while writing them: nothing lands."""
    folder = tmp_path / "many"
    for number in range(120):
        write(folder / f"int_{number:03d}.txt", f"E: pregunta {number}\nR: respuesta {number}\n")
    Project.init(tmp_path / "p").close()
    marker = tmp_path / "writing"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from qcode import Project

        def progress(done, total, label):
            if label.startswith("storing") and done == 60:
                Path({str(marker)!r}).write_text("in the transaction")
                time.sleep(60)

        Project({str(tmp_path / "p")!r}).import_files([{str(folder)!r}], progress=progress)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, "the importer ended before reaching the write phase"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with Project(tmp_path / "p") as project:
        assert project.documents() == []
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert project.import_files([folder]).imported  # and it still works afterwards
