"""`export matrix` on 1,000,000 codings against a bare pandas crosstab of the same rows read
from the database (target: no more than twice the crosstab's time)."""

from __future__ import annotations

import random
import time
from pathlib import Path

from qcode import Project

ROOT = Path(__file__).resolve().parent.parent


def _fill(project: Project, documents: int, segments: int, codings: int) -> None:
    """Documents of `segments` turns, and random segment codings by three coders."""
    conn = project.conn
    codes = [r[0] for r in conn.execute("SELECT id FROM code")]
    rng = random.Random(9)
    with conn:
        conn.execute("BEGIN")
        for number in range(documents):
            turns = [f"{'E' if t % 2 == 0 else 'R'}: palabra {number} {t} y otras más."
                     for t in range(segments)]
            text = "\n".join(turns)
            cursor = conn.execute("INSERT INTO document (name, text, sha256, language, format,"
                                  " imported_at) VALUES (?, ?, ?, 'es', 'txt', 'bench')",
                                  (f"doc{number:05d}", text, f"sha{number}"))
            rows, position = [], 0
            for ordinal, turn in enumerate(turns, start=1):
                rows.append((cursor.lastrowid, ordinal, position + 3, position + len(turn),
                             turn[0]))
                position += len(turn) + 1
            conn.executemany('INSERT INTO segment (document_id, ordinal, start, "end", speaker)'
                             " VALUES (?, ?, ?, ?, ?)", rows)
        segments_rows = conn.execute('SELECT document_id, start, "end" FROM segment').fetchall()
        batch = []
        for _ in range(codings):
            document_id, start, end = rng.choice(segments_rows)
            batch.append((document_id, rng.choice(codes), rng.choice(["ana", "ben", "cy"]),
                          start, end))
        conn.executemany('INSERT OR IGNORE INTO coding (document_id, code_id, coder, start, "end",'
                         " origin, created_at) VALUES (?, ?, ?, ?, ?, 'imported', 'bench')",
                         batch)


def run(root: Path, documents: int = 2000, segments: int = 200,
        codings: int = 1_050_000) -> list[str]:
    import pandas as pd

    with Project.init(root / "export_project") as project:
        project.load_codebook(ROOT / "codebooks" / "prison_phones.yaml")
        _fill(project, documents, segments, codings)
        live = project.conn.execute("SELECT count(*) FROM coding").fetchone()[0]
        lines = [f"export: {live:,} codings on {documents:,} documents x {segments} segments"]
        started = time.perf_counter()
        rows = pd.read_sql_query("SELECT c.code_id, d.name FROM coding c JOIN document d"
                                 " ON d.id = c.document_id WHERE c.removed_at IS NULL",
                                 project.conn)
        pd.crosstab(rows["code_id"], rows["name"], margins=True)
        bare = time.perf_counter() - started
        lines.append(f"  bare pandas crosstab of (code, document) read from the database: "
                     f"{bare:.2f} s")
        for count in ("codings", "segments"):
            started = time.perf_counter()
            project.matrix(count=count)
            ours = time.perf_counter() - started
            lines.append(f"  Project.matrix(count='{count}'): {ours:.2f} s, "
                         f"ratio {ours / bare:.2f}")
    return lines
