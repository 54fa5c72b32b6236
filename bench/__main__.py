"""`python -m bench`: import throughput on a generated corpus (see bench/RESULTS.md)."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from qcode import Project

WORDS = ("el agente dijo que las visitas traen celulares en la comida y que el escáner "
         "está malogrado desde hace meses porque no hay presupuesto ni voluntad").split()


def generate(folder: Path, documents: int, words: int, seed: int = 7) -> None:
    """Deterministic interviews of `words` words in alternating E:/R: turns."""
    rng = random.Random(seed)
    for number in range(documents):
        turns, count = [], 0
        while count < words:
            size = rng.randint(10, 120)
            turns.append(("E: " if len(turns) % 2 == 0 else "R: ")
                         + " ".join(rng.choice(WORDS) for _ in range(size)) + ".")
            count += size
        (folder / f"entrevista_{number:04d}.txt").write_text("\n\n".join(turns), "utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        generate(corpus, documents=200, words=5000)
        with Project.init(root / "p") as project:
            started = time.perf_counter()
            report = project.import_files([corpus])
            elapsed = time.perf_counter() - started
            segments = project.conn.execute("SELECT count(*) FROM segment").fetchone()[0]
        print(f"import: {len(report.imported)} documents x 5,000 words, {segments} segments "
              f"in {elapsed:.2f} s ({len(report.imported) / elapsed:.0f} documents/s)")


if __name__ == "__main__":
    main()
