"""Shared fixtures: every test runs in its own folder with no qcode environment variables."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qcode import Project
from qcode.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebooks" / "prison_phones.yaml"
# The REFI-QDA samples beside the checkout; under `make mutate` the tests run from a copy in
# the checkout's mutants/ folder, one level further down.
SHARED = (ROOT.parent.parent if ROOT.name == "mutants" else ROOT.parent) / "shared"


def pytest_collection_modifyitems(items):
    """Under `make mutate` (mutmut sets MUTANT_UNDER_TEST to a mutant's name), run the
    quickest tests first: a mutant's run stops at its first failing test, so the slow
    property tests only run for the mutants nothing faster caught."""
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return
    stats = Path("mutmut-stats.json")  # mutmut runs the tests inside mutants/
    if stats.is_file():
        durations = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


@pytest.fixture(autouse=True, scope="session")
def cache_folder(tmp_path_factory):
    """qcode's rebuildable caches (the lemma index) go to a folder of this test session."""
    os.environ["QCODE_CACHE_DIR"] = str(tmp_path_factory.mktemp("qcode-cache"))


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Run in tmp_path, with QCODE_PROJECT and QCODE_CODER unset."""
    monkeypatch.delenv("QCODE_PROJECT", raising=False)
    monkeypatch.delenv("QCODE_CODER", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project(tmp_path):
    with Project.init(tmp_path / "study", language="es", coder="ana") as opened:
        yield opened


@pytest.fixture
def sample_project(project):
    """The bundled samples, attributes and codebook (no codings yet)."""
    project.import_files([SAMPLES], attributes=SAMPLES / "attributes.csv")
    project.load_codebook(CODEBOOK)
    return project


@pytest.fixture
def samples_copy(tmp_path):
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def data_rows(path: Path) -> int:
    """Rows of a CSV file, read with the csv module (not qcode's reader)."""
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def note_process() -> None:
    """Append this process's id to the file QCODE_TEST_PIDS names: a stand-in for a worker
    function calls it, so a test can see which processes did the work."""
    with open(os.environ["QCODE_TEST_PIDS"], "a") as pids:
        pids.write(f"{os.getpid()}\n")


def run(*args: str, env: dict | None = None, input: str | None = None):
    """Invoke the CLI in-process; returns click's Result (stdout and stderr separate)."""
    return CliRunner().invoke(app, [str(a) for a in args], env=env, input=input)


def project_before(path: Path, migration: str, monkeypatch):
    """A new project database at `path` with the schema as it was before `migration` (by
    name), for tests of that migration; the real migration list is back on return."""
    from qcode import store

    number = [name for name, _ in store.MIGRATIONS].index(migration)
    monkeypatch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:number])
    monkeypatch.setattr(store, "SCHEMA_VERSION", number)
    conn = store.create(path)
    monkeypatch.undo()
    return conn
