"""`make bench-scale [DOCS=17000]`: an archive-sized project, step by step.

Generates DOCS interviews × 5,000 words (Peru's Truth and Reconciliation Commission holds
about 17,000 testimonies), then: `qcode import` killed with SIGKILL a third of the way and
run again (it must skip what is in), `qcode codebook load`, `qcode suggest --method rules`,
one coder's codings on a tenth of the documents, `qcode export matrix`, then what a
researcher asks of the archive (`qcode docs`, `show DOC`, `speakers`, `memos`, `coders`,
`codings export`, `export cooccurrence`, `export quotes`). Prints wall time and peak RSS per
step and the project's size, and appends them to bench/RESULTS.md. Targets at 17,000
documents: everything under 15 minutes on 2 cores, peak RSS under 2 GiB, each of
docs/show/export matrix under 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from .measure import PYTHON, QCODE, ROOT, Figure, Run, machine, record, run, table
from .processes import CODEBOOK


def count_documents(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM document").fetchone()[0]
    except sqlite3.Error:
        return 0


def killed_import(project: Path, folder: Path, at: int, jobs: list[str]) -> tuple[Run, int]:
    """Start `qcode import`, SIGKILL it once `at` documents are committed."""
    started = time.perf_counter()
    child = subprocess.Popen([QCODE, "-p", str(project), "import", str(folder), *jobs],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while child.poll() is None and count_documents(project / "qcode.db") < at:
        time.sleep(0.2)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    _, _, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    return (Run(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime),
            count_documents(project / "qcode.db"))


def code_a_tenth(project: Path) -> int:
    """Coder 'ana' codes every rule suggestion of every tenth document."""
    with sqlite3.connect(project / "qcode.db") as conn:
        conn.execute("""INSERT OR IGNORE INTO coding (document_id, code_id, coder, start, "end",
                        origin, created_at)
                        SELECT s.document_id, g.code_id, 'ana', s.start, s."end", 'imported',
                               'bench' FROM suggestion g JOIN segment s ON s.id = g.segment_id
                        WHERE s.document_id % 10 = 0""")
        return conn.execute("SELECT count(*) FROM coding").fetchone()[0]


def size_mb(project: Path) -> float:
    return sum(p.stat().st_size for p in project.glob("qcode.db*")) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--docs", type=int, default=17000)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=None, help="default: qcode's (a worker "
                        "per core)")
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("QCODE_BENCH_DIR", "/tmp"))
                        / "qcode-bench-scale", help="work folder (kept: the corpus is reused)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    about = machine()
    print(about, flush=True)
    folder, project = args.dir / f"corpus_{args.docs}_{args.words}", args.dir / "project"
    started = time.perf_counter()
    run([PYTHON, "-c", f"from bench import corpus; from pathlib import Path; "
                       f"corpus.write(Path({str(folder)!r}), {args.docs}, {args.words})"],
        cwd=ROOT)
    print(f"corpus ready in {time.perf_counter() - started:.0f} s: {folder}", flush=True)
    shutil.rmtree(project, ignore_errors=True)
    run([QCODE, "init", str(project), "--lang", "es"])
    figures: list[Figure] = []

    def step(name: str, result: Run, note: str = "") -> None:
        size = f"project {size_mb(project):,.0f} MB"
        figures.append(Figure(name, [result], note=f"{note}; {size}" if note else size))
        print(table(figures[-1:]).splitlines()[-1], flush=True)

    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    shown = " ".join(jobs) or "(a worker per core)"
    killed, stored = killed_import(project, folder, args.docs // 3, jobs)
    step(f"`qcode import` {shown} (SIGKILL a third of the way)", killed,
         f"{stored:,} documents kept")
    resumed = run([QCODE, "-p", str(project), "import", str(folder), *jobs])
    total = count_documents(project / "qcode.db")
    step(f"`qcode import` {shown} again (resumes)", resumed,
         f"{total:,} documents in, {stored:,} skipped")
    run([QCODE, "-p", str(project), "codebook", "load", str(CODEBOOK)])
    step(f"`qcode suggest --method rules` {shown}",
         run([QCODE, "-p", str(project), "suggest", "--method", "rules", *jobs]))
    codings = code_a_tenth(project)
    step(f"`qcode export matrix` ({codings:,} codings on a tenth of the documents)",
         run([QCODE, "-p", str(project), "export", "matrix", "--out",
              str(args.dir / "matrix.csv")]))
    doc = f"entrevista_{min(8500, args.docs - 1):05d}"
    answers = [  # what a researcher asks of an archive, each a whole process
        ("`qcode docs`", ["docs"]), ("`qcode docs --format csv`", ["docs", "--format", "csv"]),
        (f"`qcode show {doc}`", ["show", doc]), ("`qcode speakers`", ["speakers"]),
        ("`qcode memos`", ["memos"]), ("`qcode coders`", ["coders"]),
        ("`qcode codings export`", ["codings", "export", "--out", str(args.dir / "c.csv")]),
        ("`qcode export cooccurrence`", ["export", "cooccurrence", "--out",
                                         str(args.dir / "co.csv")]),
        ("`qcode export quotes`", ["export", "quotes", "--out", str(args.dir / "q.csv")]),
    ]
    for name, command in answers:
        step(name, run([QCODE, "-p", str(project), *command]))
    work = sum(f.seconds for f in figures[:3]) + figures[3].seconds
    peak = max(r.rss_mb for f in figures for r in f.qcode)
    report = (f"\n## `make bench-scale DOCS={args.docs}`: {about}\n\n"
              f"{args.docs:,} generated interviews × {args.words:,} words; one run per step "
              f"(N = 1). Import, resumed import, rules and export: {work / 60:.1f} min in "
              f"total; highest peak RSS {peak:,.0f} MB; project {size_mb(project):,.0f} MB.\n\n"
              f"{table(figures)}\n")
    record(report, args.no_record)


if __name__ == "__main__":
    main()
