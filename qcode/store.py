"""The SQLite store: connecting, transactions and numbered schema migrations.

A project is one SQLite file. `PRAGMA application_id` marks it as qcode's, and
`PRAGMA user_version` holds the number of migrations applied (also listed, with dates,
in `_qcode_migrations`). Opening a project never writes unless a migration is due.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from .errors import InputError, ProjectError

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
        "coders, per-coder suggestion decisions, reviewed segments",
        """
        CREATE TABLE coder (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'coder' CHECK (kind IN ('coder', 'consensus')),
            created_at TEXT NOT NULL,
            removed_at TEXT,
            removed_by TEXT
        );
        INSERT OR IGNORE INTO coder (name, created_at)
            SELECT coder, min(created_at) FROM coding GROUP BY coder;
        UPDATE coder SET kind = 'consensus' WHERE name IN (SELECT coder FROM coding
            GROUP BY coder HAVING count(*) = sum(memo LIKE 'consensus of %'));
        CREATE TABLE decision (
            suggestion_id INTEGER NOT NULL REFERENCES suggestion(id) ON DELETE CASCADE,
            coder TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
            decided_at TEXT NOT NULL,
            PRIMARY KEY (suggestion_id, coder)
        );
        CREATE INDEX decision_coder ON decision(coder);
        INSERT INTO decision (suggestion_id, coder, status, decided_at)
            SELECT id, coalesce(decided_by, 'unknown'), status, coalesce(decided_at, created_at)
            FROM suggestion WHERE status != 'pending';
        INSERT OR IGNORE INTO coder (name, created_at)
            SELECT coder, min(decided_at) FROM decision GROUP BY coder;
        DROP INDEX suggestion_status;
        ALTER TABLE suggestion DROP COLUMN status;
        ALTER TABLE suggestion DROP COLUMN decided_by;
        ALTER TABLE suggestion DROP COLUMN decided_at;
        CREATE TABLE reviewed (
            coder TEXT NOT NULL,
            segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            reviewed_at TEXT NOT NULL,
            PRIMARY KEY (coder, segment_id)
        );
        """,
    ),
    (
        "anonymisation check: allowed terms, documents imported with --allow-pii",
        """
        CREATE TABLE pii_allow (
            term TEXT PRIMARY KEY,
            added_at TEXT NOT NULL
        );
        CREATE TABLE pii_allowed_document (
            document_id INTEGER PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,
            findings INTEGER NOT NULL,
            allowed_at TEXT NOT NULL
        );
        """,
    ),
    (
        "word counts and indexes for archive-sized projects",
        # `words` is filled on import (NULL for documents imported before: listings count
        # them from the text). `document_listing` covers what `qcode docs` shows, so listing
        # never reads the texts (stored before those columns in each row); the speaker index
        # answers it without reading every segment; the coding index serves `show`.
        """
        ALTER TABLE document ADD COLUMN words INTEGER;
        CREATE INDEX document_listing ON document(name, language, format, words);
        CREATE INDEX segment_speaker ON segment(document_id, speaker);
        CREATE INDEX coding_document ON coding(document_id, start);
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
    (
        "segments by position",
        # Matrices find the segments each coding overlaps with two seeks in this index (see
        # matrices.units_sql) instead of reading every segment. It replaces segment_speaker
        # rather than joining it, so an import still updates two indexes per segment, and it
        # covers what that one served: a document's speakers (`qcode docs`).
        """
        DROP INDEX segment_speaker;
        CREATE INDEX segment_position ON segment(document_id, start, "end", speaker);
        """,
    ),
]

SCHEMA_VERSION = len(MIGRATIONS)

# The segments `s` a coding `c` overlaps, as in `coding c JOIN segment s ON {OVERLAPPED}`.
# Segments of a document never overlap and lie in start order, so they are the last one
# starting at or before the coding's start (when it reaches past it) and those starting
# before its end: two seeks in segment_position per coding, however long the document.
OVERLAPPED = """s.document_id = c.document_id
    AND s.start >= coalesce((SELECT max(f.start) FROM segment f
                             WHERE f.document_id = c.document_id AND f.start <= c.start), 0)
    AND s.start < c."end" AND s."end" > c.start"""


def now() -> str:
    """The current UTC time as an ISO 8601 string, as stored in every `*_at` column."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# SQLite itself retries a locked database for BUSY_MS; beyond that, a write transaction
# keeps retrying for WAIT_SECONDS and tells the user (through `on_wait`) that it is waiting.
BUSY_MS = 2000
WAIT_SECONDS = 300.0
WAITING_MESSAGE = "waiting for another qcode process to finish writing to the project…"
_wait_callbacks: list[Callable[[str], None]] = []


def on_wait(callback: Callable[[str], None] | None) -> None:
    """Call `callback(message)` once when a write has to wait for another process's lock
    (the CLI prints it); None removes it."""
    _wait_callbacks.clear()
    if callback is not None:
        _wait_callbacks.append(callback)


def _raw_connect(path: Path | str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, uri=uri)  # we issue BEGIN/COMMIT
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def writable(path: Path) -> bool:
    """Whether qcode can write the project: the file, and its folder (for the WAL files)."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


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
    except sqlite3.OperationalError as exc:  # cannot open, locked, I/O: not "not a project"
        conn.close()
        raise ProjectError(f"{path}: cannot open the project ({exc}); check that the file "
                           "and its folder can be read") from None
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
    """Open an existing project, checking it is qcode's and migrating it if it is older.

    A project whose file or folder is read-only is opened read-only: commands that only
    read work, and a command that writes gets one line saying the project is read-only."""
    if not writable(path):
        return _connect_readonly(path)
    conn = _raw_connect(path)
    if _checked_version(conn, path) < SCHEMA_VERSION:
        migrate(conn)
    return conn


def _connect_readonly(path: Path) -> sqlite3.Connection:
    uri = f"file:{_quote(path.resolve())}?mode=ro"
    conn = _raw_connect(uri, uri=True)
    try:
        conn.execute("PRAGMA application_id").fetchone()
    except sqlite3.OperationalError:
        # WAL needs its -shm file; in a read-only folder nobody can write the project, so
        # reading it as immutable is safe
        conn.close()
        conn = _raw_connect(uri + "&immutable=1", uri=True)
    version = _checked_version(conn, path)
    if version < SCHEMA_VERSION:
        conn.close()
        raise ProjectError(f"{path} uses an older qcode schema ({version}) and is read-only, "
                           "so it cannot be upgraded; make it writable and run qcode once")
    return conn


def open_reader(database: str | Path) -> sqlite3.Connection:
    """A read-only connection to a project another connection (the parent process) writes:
    worker processes of `import --jobs` and `suggest --jobs` read through it."""
    return _raw_connect(f"file:{_quote(Path(database))}?mode=ro", uri=True)


def _quote(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path))


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open another project without writing to it (for merging); it must be up to date."""
    conn = sqlite3.connect(f"file:{_quote(path)}?mode=ro", uri=True)
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
            if conn.in_transaction:  # SQLite itself rolls everything back on a full disk
                conn.execute("ROLLBACK TO qcode_nested")
                conn.execute("RELEASE qcode_nested")
            raise
        conn.execute("RELEASE qcode_nested")
        return
    _begin(conn)
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        _rollback(conn)
        raise _write_error(conn, exc) from None
    except BaseException:
        _rollback(conn)
        raise


def _begin(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE (take the write lock now), waiting for another process's write as
    long as WAIT_SECONDS, and saying so once."""
    deadline = time.monotonic() + WAIT_SECONDS
    told = False
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _locked(exc) or time.monotonic() >= deadline:
                raise _write_error(conn, exc) from None
            if not told:
                for callback in _wait_callbacks:
                    callback(WAITING_MESSAGE)
                told = True


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with suppress(sqlite3.Error):  # SQLite may have rolled back already (full disk, I/O)
            conn.execute("ROLLBACK")


def _locked(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def database_file(conn: sqlite3.Connection) -> str:
    """The file the connection's main database lives in ("" for one in memory)."""
    row = conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row else ""


def database_path(conn: sqlite3.Connection) -> str:
    return database_file(conn) or "the project"


def _write_error(conn: sqlite3.Connection, exc: sqlite3.Error) -> Exception:
    """One line for a write that SQLite refused; other errors are returned unchanged."""
    message = str(exc)
    where = database_path(conn)
    if _locked(exc):
        return ProjectError(f"{where}: another qcode process kept the project locked for "
                            f"{WAIT_SECONDS:.0f} s; nothing was changed; run the command again "
                            "when it has finished")
    if "readonly" in message or "read-only" in message:
        return ProjectError(f"{where}: the project is read-only (file or folder); nothing was "
                            "changed; make both writable, or work on a copy, to run commands "
                            "that change it")
    if "full" in message:
        return InputError(f"{where}: no space left on the disk; nothing was changed; free "
                          "some space and run the command again")
    if "disk I/O" in message:
        return InputError(f"{where}: the disk reported an I/O error ({message}); nothing was "
                          "changed")
    return exc
