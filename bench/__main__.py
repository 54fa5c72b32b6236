"""`python -m bench [--quick] [--docs N] [--repeat N]`: whole-process figures against
baselines, printed as a table and appended to bench/RESULTS.md (see bench/processes.py).

`python -m bench import|suggest|review|agreement|export|hardening|pii|layouts` runs the older
in-process benchmarks instead (their figures are in bench/RESULTS.md too).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from . import (
    agreement_bench,
    corpus,
    export_bench,
    hardening_bench,
    import_bench,
    layouts_bench,
    pii_bench,
    processes,
    review_bench,
    suggest_bench,
)
from .measure import machine, record, table

BENCHES = ("import", "suggest", "review", "agreement", "export", "hardening", "pii", "layouts")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("which", nargs="*", help=f"older in-process benchmarks: {BENCHES}")
    parser.add_argument("--quick", action="store_true",
                        help="200 documents, no memory or --jobs runs (under two minutes)")
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, help="also compare with an earlier qcode "
                        "source tree (git archive REV | tar -x -C DIR)")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    unknown = [name for name in args.which if name not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]}; choose from {', '.join(BENCHES)}")
    with tempfile.TemporaryDirectory(dir=os.environ.get("QCODE_BENCH_DIR")) as tmp:
        root = Path(tmp)
        if args.which:
            return older(root, args)
        compare(root, args)


def older(root: Path, args) -> None:
    docs = args.docs or 1000
    lines = {
        "import": lambda: [import_bench.run(root, min(docs, 200), args.words)],
        "suggest": lambda: suggest_bench.run(root, docs, args.words),
        "review": lambda: review_bench.run(root),
        "agreement": agreement_bench.run,
        "export": lambda: export_bench.run(root),
        "hardening": lambda: hardening_bench.run(root),
        "pii": lambda: pii_bench.run(root),
        "layouts": lambda: layouts_bench.run(docs, args.words),
    }
    for name in args.which:
        for line in lines[name]():
            print(line, flush=True)


def compare(root: Path, args) -> None:
    docs = args.docs or (200 if args.quick else 1000)
    started = time.perf_counter()
    about = machine()
    print(about, flush=True)
    folder = root / f"corpus_{docs}"
    corpus.write(folder, docs, args.words)
    figures = [processes.help_figure(args.repeat * 2)]
    print(table(figures), flush=True)
    imports = processes.import_figures(root, folder, args.repeat, docs, args.quick)
    print("\n".join(table(imports).splitlines()[2:]), flush=True)
    found, project = processes.suggest_figures(root, folder, args.repeat, docs,
                                               jobs=not args.quick)
    found.append(processes.export_figure(project, args.repeat, docs))
    print("\n".join(table(found).splitlines()[2:]), flush=True)
    figures += imports + found
    if args.before:
        earlier = processes.before_figures(root, folder, args.repeat, docs, args.before)
        figures += earlier
        print("\n".join(table(earlier).splitlines()[2:]), flush=True)
    if not args.quick:
        memory = processes.memory_figures(root, max(1600, docs), args.words)
        figures += memory
        print("\n".join(table(memory).splitlines()[2:]), flush=True)
    report = (f"\n## `make bench{' QUICK=1' if args.quick else ''}`: {about}\n\n"
              f"Corpus: {docs:,} generated Spanish interviews × {args.words:,} words "
              f"(bench/corpus.py). Whole processes, medians of N runs, qcode and its baseline "
              f"alternating in one loop; took {time.perf_counter() - started:.0f} s.\n\n"
              f"{table(figures)}\n")
    record(report, args.no_record)


if __name__ == "__main__":
    main()
