"""A project another process is writing, a read-only project, a full disk under the store:
one line, exit code 1, nothing changed; commands that only read still work."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from qcode import store
from qcode.errors import ProjectError
from tests.conftest import run, write
from tests.hostile import refused, small_project

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def hold_lock(database: Path, seconds: float,
              until: threading.Event | None = None) -> threading.Thread:
    """Another connection holds the write lock for `seconds` (like a long codings import),
    or, given `until`, until that event is set (at most 60 s)."""
    ready = threading.Event()

    def holder():
        conn = sqlite3.connect(database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        if until is None:
            time.sleep(seconds)
        else:
            until.wait(60)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=holder)
    thread.start()
    ready.wait()
    return thread


def test_a_write_waits_for_another_process_and_says_so(tmp_path, monkeypatch):
    env = small_project(tmp_path, codebook=True)
    monkeypatch.setattr(store, "BUSY_MS", 100)
    # the lock is let go only once the command has found it taken (however slow its start)
    refused_once, locked = threading.Event(), store._locked
    monkeypatch.setattr(store, "_locked", lambda exc: refused_once.set() or locked(exc))
    thread = hold_lock(tmp_path / "p" / "qcode.db", 0, until=refused_once)
    result = run("code", "entrevista", "2", "route.visitors", env=env)
    thread.join()
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == ("waiting for another qcode process to finish "
                                             "writing to the project…")
    assert run("codings", "export", env=env).stdout.count("route.visitors") == 1


def test_a_lock_held_too_long_is_one_line_and_nothing_changes(tmp_path, monkeypatch):
    env = small_project(tmp_path, codebook=True)
    monkeypatch.setattr(store, "BUSY_MS", 100)
    monkeypatch.setattr(store, "WAIT_SECONDS", 0.5)
    database = tmp_path / "p" / "qcode.db"
    thread = hold_lock(database, 2.0)
    try:
        result = run("code", "entrevista", "2", "route.visitors", env=env)
    finally:
        thread.join()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "waiting for another qcode process to finish writing to the project…",
        f"error: {database}: another qcode process kept the project locked for 0 s; nothing "
        "was changed; run the command again when it has finished"]
    assert run("codings", "export", env=env).stdout.count("route.visitors") == 0


@pytest.fixture
def read_only(tmp_path):
    env = small_project(tmp_path, codebook=True)
    folder = tmp_path / "p"
    database = folder / "qcode.db"
    database.chmod(0o444)
    folder.chmod(0o555)
    yield env
    folder.chmod(0o755)
    database.chmod(0o644)


@pytest.mark.skipif(ROOT_USER, reason="root can write read-only files")
def test_read_only_project_reads_work_and_writes_say_so(read_only, tmp_path):
    database = tmp_path / "p" / "qcode.db"
    assert run("docs", env=read_only).exit_code == 0
    assert "Por las visitas" in run("show", "entrevista", env=read_only).stdout
    refused(read_only, "code", "entrevista", "2", "route.visitors",
            message=f"{database}: the project is read-only (file or folder); nothing was "
            "changed; make both writable, or work on a copy, to run commands that change it")
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["qcode.db"]


def test_read_only_file_is_opened_read_only(tmp_path, monkeypatch):
    """Without root's powers: `writable` says no, so the store opens with mode=ro."""
    env = small_project(tmp_path, codebook=True)
    monkeypatch.setattr(store, "writable", lambda path: False)
    database = tmp_path / "p" / "qcode.db"
    assert run("docs", "--format", "csv", env=env).stdout.startswith("name,")
    refused(env, "code", "entrevista", "2", "route.visitors",
            message=f"{database}: the project is read-only (file or folder); nothing was "
            "changed; make both writable, or work on a copy, to run commands that change it")


def test_a_project_that_cannot_be_opened_is_not_called_not_a_project(tmp_path):
    class Unopenable:
        def execute(self, sql):
            raise sqlite3.OperationalError("unable to open database file")

        def close(self):
            pass

    with pytest.raises(ProjectError) as raised:
        store._checked_version(Unopenable(), tmp_path / "qcode.db")
    assert str(raised.value) == (f"{tmp_path / 'qcode.db'}: cannot open the project (unable to "
                                 "open database file); check that the file and its folder can "
                                 "be read")


def test_full_disk_under_the_store_is_one_line(tmp_path, monkeypatch):
    env = small_project(tmp_path, codebook=True)
    database = tmp_path / "p" / "qcode.db"
    real = store._begin

    def begin_then_full(conn):
        real(conn)
        conn.execute("PRAGMA max_page_count = 1")  # no page may be added: SQLITE_FULL

    monkeypatch.setattr(store, "_begin", begin_then_full)
    big = write(tmp_path / "in" / "big.txt", "E: " + "palabra " * 20_000 + "\n")
    refused(env, "import", big, message=f"{database}: no space left on the disk; nothing was "
            "changed; free some space and run the command again")


def test_new_project_file_respects_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        assert run("init", tmp_path / "q").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "q" / "qcode.db").stat().st_mode) == 0o644
