"""The SQLite store: connecting, transactions and numbered schema migrations.

A project is one SQLite file. `PRAGMA application_id` marks it as qcode's, and
`PRAGMA user_version` holds the number of migrations applied (also listed, with dates,
in `_qcode_migrations`). Opening a project never writes unless a migration is due.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .errors import ProjectError

APPLICATION_ID = 0x51434F44  # "QCOD"

MIGRATIONS: list[tuple[str, str]] = [
    (
        "initial schema",
        """
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE document (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            language TEXT NOT NULL,
            source TEXT,
            format TEXT NOT NULL,
            encoding TEXT,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX document_sha256 ON document(sha256);
        CREATE TABLE attribute (
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (document_id, name)
        );
        CREATE TABLE segment (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            speaker TEXT,
            time_start REAL,
            time_end REAL,
            UNIQUE (document_id, ordinal),
            CHECK (0 <= start AND start < "end")
        );
        CREATE TABLE code (
            id TEXT PRIMARY KEY,
            parent TEXT REFERENCES code(id) ON UPDATE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            definition TEXT NOT NULL DEFAULT '',
            include TEXT NOT NULL DEFAULT '',
            exclude TEXT NOT NULL DEFAULT '',
            examples TEXT NOT NULL DEFAULT '[]',
            color TEXT,
            patterns TEXT NOT NULL DEFAULT '{}',
            retired_at TEXT
        );
        CREATE TABLE coding (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id),
            code_id TEXT NOT NULL REFERENCES code(id) ON UPDATE CASCADE,
            coder TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            memo TEXT,
            origin TEXT NOT NULL CHECK (origin IN ('manual', 'suggestion', 'imported')),
            created_at TEXT NOT NULL,
            removed_at TEXT,
            removed_by TEXT,
            CHECK (0 <= start AND start < "end")
        );
        CREATE UNIQUE INDEX coding_live
            ON coding(document_id, code_id, coder, start, "end") WHERE removed_at IS NULL;
        CREATE INDEX coding_code ON coding(code_id);
        CREATE TABLE memo (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL CHECK (target IN ('project', 'document', 'code', 'coding')),
            target_id TEXT,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        "suggestions and trained models",
        """
        CREATE TABLE suggestion (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            code_id TEXT NOT NULL REFERENCES code(id) ON UPDATE CASCADE ON DELETE CASCADE,
            method TEXT NOT NULL CHECK (method IN ('rules', 'model')),
            score REAL NOT NULL,
            evidence TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'rejected')),
            decided_by TEXT,
            decided_at TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (segment_id, code_id, method)
        );
        CREATE INDEX suggestion_status ON suggestion(status);
        CREATE TABLE model (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            trained_on TEXT NOT NULL,
            params BLOB NOT NULL
        );
        """,
    ),
    (
        "segment memos and review positions",
        """
        CREATE TABLE memo_new (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL
                CHECK (target IN ('project', 'document', 'segment', 'code', 'coding')),
            target_id TEXT,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        INSERT INTO memo_new SELECT * FROM memo;
        DROP TABLE memo;
        ALTER TABLE memo_new RENAME TO memo;
        CREATE INDEX memo_target ON memo(target, target_id);
        CREATE TABLE review_state (
            coder TEXT PRIMARY KEY,
            segment_id INTEGER REFERENCES segment(id) ON DELETE SET NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    (
        "speakers: display names and roles per document label",
        """
        CREATE TABLE speaker (
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT CHECK (role IN ('interviewer', 'respondent', 'other')),
            PRIMARY KEY (document_id, label)
        );
        INSERT INTO speaker (document_id, label, name)
            SELECT DISTINCT document_id, speaker, speaker FROM segment
            WHERE speaker IS NOT NULL;
        """,
    ),
]

SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    """The current UTC time as an ISO 8601 string, as stored in every `*_at` column."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _raw_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)  # we issue BEGIN/COMMIT ourselves
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def create(path: Path) -> sqlite3.Connection:
    """Create a new project database at `path` (which must not exist) at the current schema."""
    conn = _raw_connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrate(conn)
    return conn


def _checked_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of a qcode project; ProjectError (connection closed) otherwise."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ProjectError(f"{path} is not a qcode project ({exc}); run `qcode init` "
                           "in another folder or pass the right --project") from None
    if app_id != APPLICATION_ID:
        conn.close()
        raise ProjectError(f"{path} is an SQLite database but not a qcode project; "
                           "pass the right --project or run `qcode init` elsewhere")
    if version > SCHEMA_VERSION:
        conn.close()
        raise ProjectError(f"{path} was written by a newer qcode (schema {version}, this qcode "
                           f"knows up to {SCHEMA_VERSION}); upgrade qcode to open it")
    return version


def connect(path: Path) -> sqlite3.Connection:
    """Open an existing project, checking it is qcode's and migrating it if it is older."""
    conn = _raw_connect(path)
    if _checked_version(conn, path) < SCHEMA_VERSION:
        migrate(conn)
    return conn


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open another project without writing to it (for merging); it must be up to date."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    version = _checked_version(conn, path)
    if version < SCHEMA_VERSION:
        conn.close()
        raise ProjectError(f"{path} uses an older qcode schema ({version}); open it once with "
                           "this qcode (e.g. `qcode --project PATH docs`) to upgrade it")
    return conn


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations not yet applied, each in its own transaction; return their numbers."""
    conn.execute("""CREATE TABLE IF NOT EXISTS _qcode_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    applied = []
    for version, (name, sql) in enumerate(MIGRATIONS, start=1):
        if version <= current:
            continue
        with atomic(conn):
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO _qcode_migrations VALUES (?, ?, ?)", (version, name, now()))
            conn.execute(f"PRAGMA user_version = {version}")
        applied.append(version)
    return applied


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One transaction: everything inside is committed together or not at all.

    Nested use joins the outer transaction (a savepoint), so a command that calls several
    library functions still writes all or nothing.
    """
    if conn.in_transaction:
        conn.execute("SAVEPOINT qcode_nested")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO qcode_nested")
            conn.execute("RELEASE qcode_nested")
            raise
        conn.execute("RELEASE qcode_nested")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
