"""`python -m bench [import|suggest|review|agreement] [--docs N]`: see bench/RESULTS.md."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from . import agreement_bench, import_bench, review_bench, suggest_bench


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("which", nargs="*", default=["import", "suggest", "review", "agreement"],
                        choices=["import", "suggest", "review", "agreement"])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if "import" in args.which:
            print(import_bench.run(root, min(args.docs, 200), args.words), flush=True)
        if "agreement" in args.which:
            for line in agreement_bench.run():
                print(line, flush=True)
        if "review" in args.which:
            for line in review_bench.run(root):
                print(line, flush=True)
        if "suggest" in args.which:
            for line in suggest_bench.run(root, args.docs, args.words):
                print(line, flush=True)


if __name__ == "__main__":
    main()
