"""`python -m bench [import|suggest|review|agreement|export|hardening|layouts]`.

Options: --docs N, --words N. Results: bench/RESULTS.md."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from . import (
    agreement_bench,
    export_bench,
    hardening_bench,
    import_bench,
    layouts_bench,
    review_bench,
    suggest_bench,
)

BENCHES = ("import", "suggest", "review", "agreement", "export", "hardening", "layouts")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("which", nargs="*", default=list(BENCHES), choices=BENCHES)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        lines = {
            "import": lambda: [import_bench.run(root, min(args.docs, 200), args.words)],
            "suggest": lambda: suggest_bench.run(root, args.docs, args.words),
            "review": lambda: review_bench.run(root),
            "agreement": agreement_bench.run,
            "export": lambda: export_bench.run(root),
            "hardening": lambda: hardening_bench.run(root),
            "layouts": lambda: layouts_bench.run(args.docs, args.words),
        }
        for name in args.which:
            for line in lines[name]():
                print(line, flush=True)


if __name__ == "__main__":
    main()
