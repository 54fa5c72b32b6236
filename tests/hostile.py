"""Helpers for the hostile-input tests: a small project, and a check that a command was
refused with one line, exit code 1, no traceback, and the project byte for byte unchanged."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import digest, run


def small_project(tmp_path: Path, codebook: bool = False) -> dict:
    """A project with one document (and the sample codebook); returns the env for `run`."""
    from tests.conftest import CODEBOOK, write

    assert run("init", tmp_path / "p", "--lang", "es").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "p"), "QCODE_CODER": "ana"}
    doc = write(tmp_path / "in" / "entrevista.txt", "E: ¿Cómo entran?\nR: Por las visitas.\n")
    assert run("import", doc, env=env).exit_code == 0
    if codebook:
        assert run("codebook", "load", CODEBOOK, env=env).exit_code == 0
    return env


def refused(env: dict, *args, message: str | None = None, startswith: str | None = None):
    """Run the command; assert one red line (exactly `message`, or starting with
    `startswith`), exit code 1, no traceback, and an unchanged project file."""
    database = Path(env["QCODE_PROJECT"]) / "qcode.db"
    before = digest(database)
    result = run(*args, env=env)
    assert result.exit_code == 1, (args, result.output, result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1, result.stderr
    line = result.stderr.removeprefix("error: ").rstrip("\n")
    assert result.stderr.startswith("error: "), result.stderr
    if message is not None:
        assert line == message
    if startswith is not None:
        assert line.startswith(startswith), line
    assert digest(database) == before
    assert not database.with_name("qcode.db-wal").exists() or \
        database.with_name("qcode.db-wal").stat().st_size == 0
    return line
