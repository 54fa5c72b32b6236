"""Large imports commit in batches and resume; matrices count a slice of documents at a time."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from qcode import InputError, Project, matrices
from qcode import documents as document_store
from tests.conftest import ROOT, note_process, write


def interviews(folder, count):
    for number in range(count):
        write(folder / f"int_{number:03d}.txt", f"E: pregunta {number}\nR: respuesta {number}\n")
    return folder


def names(project):
    return [d["name"] for d in project.documents()]


def test_a_failing_batch_keeps_the_batches_before_it_and_the_rerun_resumes(project, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(document_store, "BATCH_FILES", 2)
    folder = interviews(tmp_path / "many", 5)
    write(folder / "int_003.txt", b"\x00\x01binary")
    # batches: [000, 001] committed, [002, 003] fails on 003 before it is written
    with pytest.raises(InputError, match=r"int_003.txt: contains NUL bytes.* \(2 documents read "
                                         r"before it are stored; fix this and run the same "
                                         r"import again: documents already in are skipped\)"):
        project.import_files([folder])
    assert names(project) == ["int_000", "int_001"]
    write(folder / "int_003.txt", "E: arreglado\nR: sí\n")
    report = project.import_files([folder])
    assert [(f.name, f.status) for f in report.files] == [
        ("int_000", "unchanged"), ("int_001", "unchanged"), ("int_002", "imported"),
        ("int_003", "imported"), ("int_004", "imported")]
    assert len(names(project)) == 5


def test_an_import_that_fits_one_batch_is_still_all_or_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setattr(document_store, "BATCH_FILES", 10)
    folder = interviews(tmp_path / "few", 5)
    write(folder / "int_004.txt", b"")
    with pytest.raises(InputError, match=r"int_004.txt: the file is empty$"):
        project.import_files([folder])
    assert names(project) == []


def test_names_that_clash_are_refused_before_any_batch_is_written(project, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr(document_store, "BATCH_FILES", 1)
    folder = interviews(tmp_path / "clash", 3)
    write(folder / "sub" / "int_000.txt", "E: otra\nR: vez\n")
    with pytest.raises(InputError, match=r"would be named 'int_000' like"):
        project.import_files([folder])
    assert names(project) == []


def test_kill_9_during_a_large_import_keeps_whole_batches_and_a_rerun_completes(tmp_path):
    """40 files in batches of 10, killed while writing the third batch: two batches stay,
    every stored document has its segments, and the same import run again does the rest."""
    folder = interviews(tmp_path / "many", 40)
    Project.init(tmp_path / "p").close()
    marker = tmp_path / "writing"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from qcode import Project, documents

        documents.BATCH_FILES = 10

        def progress(done, total, label):
            if label.startswith("storing") and done == 25:
                Path({str(marker)!r}).write_text("in the third batch")
                time.sleep(60)

        Project({str(tmp_path / "p")!r}).import_files([{str(folder)!r}], progress=progress)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, "the importer ended before the third batch"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with Project(tmp_path / "p") as project:
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert names(project) == [f"int_{n:03d}" for n in range(20)]
        assert all(d["segments"] == 2 for d in project.documents())
        report = project.import_files([folder])
        assert [f.status for f in report.files] == ["unchanged"] * 20 + ["imported"] * 20
        assert len(names(project)) == 40


@pytest.mark.parametrize("count", ["segments", "codings", "presence", "words", "documents"])
def test_matrix_counted_slice_by_slice_equals_the_whole(sample_project, monkeypatch, count):
    sample_project.import_codings(ROOT / "transcripts_sample" / "codings_ana.csv")
    sample_project.import_codings(ROOT / "transcripts_sample" / "codings_ben.csv")
    for by, children in (("document", False), ("attribute:role", True), ("speaker", False)):
        whole = sample_project.matrix(by, count=count, include_children=children)
        monkeypatch.setattr(matrices, "SLICE_DOCUMENTS", 1)  # six slices of one document
        sliced = sample_project.matrix(by, count=count, include_children=children)
        monkeypatch.setattr(matrices, "SLICE_DOCUMENTS", 200)
        assert whole.loc["Total", "Total"] > 0
        assert sliced.equals(whole), (by, count)


def test_documents_imported_before_word_counts_are_counted_from_their_text(sample_project):
    conn = sample_project.conn
    stored = {d["name"]: d["words"] for d in sample_project.documents()}
    texts = dict(conn.execute("SELECT name, text FROM document").fetchall())
    assert stored == {name: len(text.split()) for name, text in texts.items()}
    conn.execute("UPDATE document SET words = NULL WHERE name LIKE 'guardia%'")
    assert {d["name"]: d["words"] for d in sample_project.documents()} == stored


def recording_chunk(document_ids):
    """Stands in for the rule worker: notes which process ran, then does the work."""
    note_process()
    return ORIGINAL_CHUNK[0](document_ids)


ORIGINAL_CHUNK: list = []


def test_suggest_jobs_2_runs_the_rules_in_other_processes_with_the_same_result(
        sample_project, tmp_path, monkeypatch):
    from qcode.suggest import runner
    from tests.conftest import run

    pids = tmp_path / "pids"
    monkeypatch.setenv("QCODE_TEST_PIDS", str(pids))
    ORIGINAL_CHUNK[:] = [runner._rule_chunk]
    monkeypatch.setattr(runner, "_rule_chunk", recording_chunk)
    env = {"QCODE_PROJECT": str(sample_project.path)}
    one = run("suggest", "run", "--method", "rules", "--jobs", "1", env=env)
    assert one.exit_code == 0, one.output
    stored = sample_project.conn.execute(
        "SELECT segment_id, code_id, score, evidence FROM suggestion ORDER BY 1, 2").fetchall()
    assert set(pids.read_text().split()) == {str(os.getpid())}  # all here
    pids.unlink()
    sample_project.conn.execute("DELETE FROM suggestion")
    two = run("suggest", "run", "--method", "rules", "--jobs", "2", env=env)
    assert two.exit_code == 0, two.output
    workers = set(pids.read_text().split())
    assert str(os.getpid()) not in workers and 1 <= len(workers) <= 2
    again = sample_project.conn.execute(
        "SELECT segment_id, code_id, score, evidence FROM suggestion ORDER BY 1, 2").fetchall()
    assert [tuple(r) for r in again] == [tuple(r) for r in stored] and len(stored) > 100


def test_suggest_without_jobs_uses_one_worker_per_core_from_enough_documents(
        sample_project, tmp_path, monkeypatch):
    """No --jobs: below JOBS_WORTH_FROM documents the rules run here, from it in workers."""
    from qcode import workers
    from qcode.suggest import runner

    pids = tmp_path / "pids"
    monkeypatch.setenv("QCODE_TEST_PIDS", str(pids))
    monkeypatch.setattr(workers, "cores", lambda: 2)
    ORIGINAL_CHUNK[:] = [runner._rule_chunk]
    monkeypatch.setattr(runner, "_rule_chunk", recording_chunk)
    documents = len(sample_project.documents())
    for worth_from, here in ((documents + 1, True), (documents, False)):
        monkeypatch.setattr(runner, "JOBS_WORTH_FROM", worth_from)
        sample_project.suggest(method="rules")
        assert (set(pids.read_text().split()) == {str(os.getpid())}) is here
        pids.unlink()
