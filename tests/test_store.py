import sqlite3

import pytest

from qcode import Project, ProjectError, store
from tests.conftest import digest, write


def test_migrations_apply_in_order_and_record_themselves(tmp_path):
    conn = store.create(tmp_path / "new.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    rows = conn.execute("SELECT version, name FROM _qcode_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == list(range(1, store.SCHEMA_VERSION + 1))
    assert store.migrate(conn) == []  # nothing left to apply


def test_migrations_on_in_memory_database():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert store.migrate(conn) == list(range(1, store.SCHEMA_VERSION + 1))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"document", "segment", "attribute", "code", "coding", "memo", "setting"} <= tables


def test_opening_a_project_does_not_write_to_it(project):
    project.close()
    before = digest(project.path)
    Project(project.path).close()
    assert digest(project.path) == before


def test_sqlite_file_that_is_not_a_qcode_project(tmp_path):
    other = tmp_path / "qcode.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(ProjectError, match="is an SQLite database but not a qcode project"):
        Project(other)


def test_file_that_is_not_sqlite_at_all(tmp_path):
    path = write(tmp_path / "qcode.db", "hello, I am a text file " * 100)
    before = digest(path)
    with pytest.raises(ProjectError, match=r"is not a qcode project \(file is not a database\)"):
        Project(path)
    assert digest(path) == before


def test_project_written_by_a_newer_schema(project):
    project.conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    project.close()
    with pytest.raises(ProjectError, match=rf"newer qcode \(schema {store.SCHEMA_VERSION + 1}, "
                                           rf"this qcode knows up to {store.SCHEMA_VERSION}\)"):
        Project(project.path)


def test_atomic_rolls_back_everything_inside(project):
    with pytest.raises(RuntimeError), store.atomic(project.conn):
        project.conn.execute("INSERT INTO setting VALUES ('a', '1')")
        with store.atomic(project.conn):
            project.conn.execute("INSERT INTO setting VALUES ('b', '2')")
        raise RuntimeError
    assert project.setting("a") is None and project.setting("b") is None


def test_discover_walks_up_then_env_then_explicit(project, tmp_path, monkeypatch):
    deep = tmp_path / "study" / "notes" / "deeper"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    with Project.discover() as found:
        assert found.path == project.path
    other = Project.init(tmp_path / "other")
    other.close()
    monkeypatch.setenv("QCODE_PROJECT", str(tmp_path / "other"))
    with Project.discover() as found:
        assert found.path == other.path
    with Project.discover(project.path.parent) as found:  # explicit beats the environment
        assert found.path == project.path


def test_no_project_anywhere(tmp_path):
    with pytest.raises(ProjectError, match="no qcode project in .* or any folder above it; run "
                                           "`qcode init` here, or pass --project PATH"):
        Project.discover(start=tmp_path)


def test_init_refuses_existing_project(project):
    with pytest.raises(ProjectError, match="already exists"):
        Project.init(project.path.parent)
