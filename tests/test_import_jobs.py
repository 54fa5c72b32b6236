"""`qcode import --jobs N`: files are read, segmented and checked for identifiers in worker
processes while the parent stores them; the project must come out exactly as with one job."""

import os
import shutil

import pytest

from qcode import InputError, Project, import_workers
from qcode import documents as document_store
from tests.conftest import ROOT, SAMPLES, note_process, run, write

LAYOUTS = ROOT / "tests" / "data" / "transcripts"


def contents(project: Project) -> dict[str, list[tuple]]:
    """Everything an import writes, without row ids, paths and times."""
    conn = project.conn
    return {
        "documents": [tuple(r) for r in conn.execute(
            "SELECT name, text, sha256, language, format, encoding, words FROM document"
            " ORDER BY name")],
        "segments": [tuple(r) for r in conn.execute(
            'SELECT d.name, s.ordinal, s.start, s."end", s.speaker, s.time_start, s.time_end'
            " FROM segment s JOIN document d ON d.id = s.document_id ORDER BY 1, 2")],
        "speakers": [tuple(r) for r in conn.execute(
            "SELECT d.name, s.* FROM speaker s JOIN document d ON d.id = s.document_id"
            " ORDER BY 1, 3")],
        "attributes": [tuple(r) for r in conn.execute(
            "SELECT d.name, a.name, a.value FROM attribute a JOIN document d"
            " ON d.id = a.document_id ORDER BY 1, 2")],
    }


def corpus(folder):
    """Every layout fixture (txt, md, docx, vtt, srt, cha) plus the bundled samples."""
    folder.mkdir()
    for path in [*LAYOUTS.iterdir(), *SAMPLES.iterdir()]:
        if path.suffix != ".key" and path.suffix != ".csv" and path.is_file():
            shutil.copy(path, folder / path.name)
    return folder


def recording_reader(path):
    """Stands in for the reading worker: notes which process ran, then does the work."""
    note_process()
    return ORIGINAL_READER[0](path)


ORIGINAL_READER: list = []


def test_two_jobs_store_exactly_what_one_job_stores_and_the_workers_did_the_reading(
        tmp_path, monkeypatch):
    folder = corpus(tmp_path / "files")
    files = sorted(p for p in folder.iterdir())
    assert len(files) >= 30  # 24 layout fixtures and the samples: many per worker
    pids = tmp_path / "pids"
    monkeypatch.setenv("QCODE_TEST_PIDS", str(pids))
    ORIGINAL_READER[:] = [import_workers._read_in_worker]
    monkeypatch.setattr(import_workers, "_read_in_worker", recording_reader)
    results = []
    for jobs in (1, 2):
        with Project.init(tmp_path / f"jobs{jobs}", language="es") as project:
            report = project.import_files([folder], attributes=SAMPLES / "attributes.csv",
                                          jobs=jobs, allow_pii=True)
            results.append((contents(project), [(f.name, f.status, f.layout, f.segments)
                                                for f in report.files], report.warnings))
    one, two = results
    assert one == two
    assert len(one[0]["documents"]) == len(files)
    workers = set(pids.read_text().split())
    assert str(os.getpid()) not in workers and 1 <= len(workers) <= 2


def test_options_reach_the_workers(tmp_path):
    """--lang, --segment, --layout and --speakers are applied by the reading processes."""
    folder = tmp_path / "files"
    for number in range(6):
        write(folder / f"notes_{number}.txt",
              f"INT: first line {number}\nGUARD: second line\nINT: third. And more.\n")
    stored = []
    for jobs in (1, 2):
        with Project.init(tmp_path / f"p{jobs}", language="es") as project:
            project.import_files([folder], language="en", segment="sentence", jobs=jobs,
                                 layout="colon", speakers=["INT"])
            stored.append(contents(project))
    assert stored[0] == stored[1]
    # --speakers INT: GUARD's line is not a turn of its own; sentences split "third. And more."
    assert {row[3] for row in stored[1]["documents"]} == {"en"}
    assert {row[4] for row in stored[1]["segments"]} == {"INT"}


def test_identifiers_found_by_the_workers_refuse_the_import_with_the_same_message(tmp_path):
    folder = tmp_path / "files"
    for number in range(5):
        write(folder / f"clean_{number}.txt", f"E: ¿Cómo entra el celular?\nR: Por la visita "
                                              f"{number}.\n")
    write(folder / "leaky.txt", "E: ¿Quién se lo vendió?\nR: El técnico Paucar, celular "
                                "987 654 321.\n")
    messages = []
    for jobs in (1, 2):
        with Project.init(tmp_path / f"p{jobs}", language="es") as project:
            with pytest.raises(InputError) as caught:
                project.import_files([folder], jobs=jobs)
            messages.append(str(caught.value).replace(f"p{jobs}", "p"))
            assert project.documents() == []
    assert messages[0] == messages[1]
    assert messages[1].startswith("1 file refused: 2 likely identifiers")
    assert "leaky.txt" in messages[1] and "987 654 321" in messages[1]


def test_a_bad_file_read_by_a_worker_gives_its_one_line_and_keeps_earlier_batches(
        tmp_path, monkeypatch):
    monkeypatch.setattr(document_store, "BATCH_FILES", 2)
    folder = tmp_path / "files"
    for number in range(6):
        write(folder / f"int_{number}.txt", f"E: pregunta {number}\nR: respuesta\n")
    write(folder / "int_3.txt", b"\x00\x01binary")
    with Project.init(tmp_path / "p", language="es") as project:
        with pytest.raises(InputError, match=r"int_3.txt: contains NUL bytes.* \(2 documents "
                                             r"read before it are stored"):
            project.import_files([folder], jobs=2)
        # batches of two: [0, 1] committed; [2, 3] fails on 3 before it is written
        assert [d["name"] for d in project.documents()] == ["int_0", "int_1"]


def test_jobs_on_the_command_line(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    for number in range(4):
        write(folder / f"int_{number}.txt", f"E: pregunta {number}\nR: respuesta\n")
    Project.init(tmp_path / "p", language="es").close()
    pids = tmp_path / "pids"
    monkeypatch.setenv("QCODE_TEST_PIDS", str(pids))
    ORIGINAL_READER[:] = [import_workers._read_in_worker]
    monkeypatch.setattr(import_workers, "_read_in_worker", recording_reader)
    env = {"QCODE_PROJECT": str(tmp_path / "p")}
    result = run("import", str(folder), "--jobs", "2", env=env)
    assert result.exit_code == 0, result.output
    assert "4 imported" in result.stderr
    assert pids.exists() and str(os.getpid()) not in pids.read_text().split()
    bad = run("import", str(folder), "--jobs", "0", env=env)
    assert bad.exit_code == 2 and "Invalid value for '--jobs'" in bad.stderr


def test_workers_open_a_project_whose_path_holds_uri_characters(tmp_path):
    """The workers' read-only connection is a file: URI; ?, # and % in the path are quoted."""
    folder = tmp_path / "files"
    for number in range(4):
        write(folder / f"int_{number}.txt", f"E: pregunta {number}\nR: respuesta\n")
    with Project.init(tmp_path / "estudio #1 ?50%", language="es") as project:
        report = project.import_files([folder], jobs=2)
        assert [f.status for f in report.files] == ["imported"] * 4


def test_spawned_workers_where_the_system_cannot_fork(tmp_path, monkeypatch):
    """On Windows there is no fork: workers are spawned and must get what they need pickled."""
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    folder = tmp_path / "files"
    for number in range(4):
        write(folder / f"int_{number}.txt", f"E: pregunta {number}\nR: respuesta\n")
    stored = []
    for jobs in (1, 2):
        with Project.init(tmp_path / f"p{jobs}", language="es") as project:
            project.import_files([folder], jobs=jobs)
            stored.append(contents(project))
    assert stored[0] == stored[1] and len(stored[1]["documents"]) == 4


def test_without_jobs_a_large_import_reads_in_one_worker_per_core(tmp_path, monkeypatch):
    """No --jobs: from JOBS_WORTH_FROM files the reading goes to workers, one per core."""
    from qcode import workers

    monkeypatch.setattr(document_store, "JOBS_WORTH_FROM", 4)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    folder = tmp_path / "files"
    for number in range(4):
        write(folder / f"int_{number}.txt", f"E: pregunta {number}\nR: respuesta\n")
    pids = tmp_path / "pids"
    monkeypatch.setenv("QCODE_TEST_PIDS", str(pids))
    ORIGINAL_READER[:] = [import_workers._read_in_worker]
    monkeypatch.setattr(import_workers, "_read_in_worker", recording_reader)
    with Project.init(tmp_path / "p", language="es") as project:
        report = project.import_files([folder])
    assert [f.status for f in report.files] == ["imported"] * 4
    assert str(os.getpid()) not in pids.read_text().split()
    pids.unlink()
    with Project.init(tmp_path / "q", language="es") as project:  # 3 files: below, no workers
        project.import_files(sorted(folder.iterdir())[:3])
    assert not pids.exists()  # read in this process: the worker function never ran
