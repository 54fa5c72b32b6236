"""Import throughput."""

from __future__ import annotations

import time
from pathlib import Path

from qcode import Project

from . import corpus


def run(root: Path, documents: int = 200, words: int = 5000) -> str:
    corpus.write(root / "import_corpus", documents, words)
    with Project.init(root / "import_project") as project:
        started = time.perf_counter()
        report = project.import_files([root / "import_corpus"])
        elapsed = time.perf_counter() - started
        segments = project.conn.execute("SELECT count(*) FROM segment").fetchone()[0]
    return (f"import: {len(report.imported)} documents x {words:,} words, {segments:,} segments "
            f"in {elapsed:.2f} s ({len(report.imported) / elapsed:.0f} documents/s)")
