"""`qcode import --jobs N`: files are read, segmented and checked for identifiers in worker
processes (`qcode.workers`), each reading the project read-only, while the parent stores
what they return, in file order and a bounded amount ahead."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from .documents import BATCH_FILES, Progress, _parse, _Parsed
from .errors import QcodeError

PER_TASK = 4  # files per task sent to a worker (fewer round trips through the pool)
# Files read ahead of the storing, in number and in bytes on disk: about a batch, so that the
# workers keep reading while the parent checks and stores one (memory stays bounded).
AHEAD_FILES = BATCH_FILES
AHEAD_BYTES = 32 * 2**20

_READER: dict = {}  # a worker's settings and its connection


def read_in_workers(conn: sqlite3.Connection, files: list[Path], options: tuple,
                    progress: Progress | None, jobs: int) -> Iterator[_Parsed]:
    """`_parse` and the anonymisation check in `jobs` processes; results come back in file
    order. A file that cannot be read raises its error where it comes in the order, as in
    one process."""
    from .pii.allowlist import project_allowlist
    from .pii.names import common_words, name_lists
    from .store import database_file
    from .workers import pool as worker_pool

    name_lists(), common_words()  # loaded once here: forked workers share them
    pool = worker_pool(jobs, _init_reader, {"database": database_file(conn), "options": options,
                                            "allow": project_allowlist(conn)})
    tasks = (files[i:i + PER_TASK] for i in range(0, len(files), PER_TASK))
    pending: deque = deque()  # (future, files, bytes on disk)

    def submit() -> None:
        while not pending or (sum(p[1] for p in pending) < AHEAD_FILES
                              and sum(p[2] for p in pending) < AHEAD_BYTES):
            if (task := next(tasks, None)) is None:
                return
            pending.append((pool.submit(_read_in_worker, task), len(task),
                            sum(_size(path) for path in task)))

    number = 0
    try:
        submit()
        while pending:
            results = pending.popleft()[0].result()
            submit()
            for path, parsed in results:
                number += 1
                if progress:
                    progress(number, len(files), f"reading {path.name}")
                if isinstance(parsed, QcodeError):
                    raise parsed
                yield parsed
    finally:
        pool.shutdown(cancel_futures=True)


def _init_reader(settings: dict) -> None:
    _READER.update(settings)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the worker reports it


def _read_in_worker(paths: list[Path]) -> list[tuple[Path, _Parsed | QcodeError]]:
    from .pii.importing import document_findings
    from .store import open_reader

    if "conn" not in _READER:
        _READER["conn"] = open_reader(_READER["database"])
    results: list[tuple[Path, _Parsed | QcodeError]] = []
    for path in paths:
        try:
            parsed = _parse(_READER["conn"], path, *_READER["options"])
        except QcodeError as exc:  # raised by the parent when its turn comes
            results.append((path, exc))
            break
        if not parsed.unchanged:
            parsed.findings = document_findings(parsed.doc, parsed.spans, _READER["allow"])
        parsed.spans = []  # checked: the parent stores `rows`
        results.append((path, parsed))
    return results
