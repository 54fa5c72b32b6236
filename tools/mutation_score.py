"""Mutation score per module from mutmut 3's results (`make mutate` prints this).

Reads the `.meta` files mutmut leaves under mutants/, keeps the mutants whose names match
the patterns given (the same patterns `mutmut run` was given), and prints, per module,
killed / tested and the surviving mutants' names (`mutmut show NAME` prints a diff).
A timeout or a crash counts as killed (the tests did not pass); a mutant no test reaches
("no tests") counts as survived: nothing would catch it. Survivors listed in
docs/mutation-equivalent.txt (judged equivalent: no input tells them apart) are counted
apart and left out of the score; a listed name that was killed or no longer exists is
reported, so the list cannot go stale unnoticed.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections import defaultdict
from pathlib import Path

KILLED = {"killed", "timeout", "segfault", "caught by type check"}
SURVIVED = {"survived", "no tests", "suspicious"}


EQUIVALENT = Path("docs/mutation-equivalent.txt")


def equivalents(path: Path = EQUIVALENT) -> set[str]:
    """The mutant names listed in `path` (comments and blank lines skipped)."""
    if not path.exists():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return {line for line in lines if line}


def main(patterns: list[str], root: Path = Path("mutants"),
         equivalent_file: Path = EQUIVALENT) -> int:
    from mutmut.stats import status_by_exit_code

    by_module: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    listed, seen, stale = equivalents(equivalent_file), set(), []
    for meta in sorted(root.rglob("*.py.meta")):
        module = str(meta.relative_to(root))[:-len(".py.meta")].replace("/", ".")
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        for name, code in codes.items():
            if patterns and not any(fnmatch.fnmatch(name, p) for p in patterns):
                continue
            status = "not checked" if code is None else status_by_exit_code[code]
            if name in listed:
                seen.add(name)
                if status in SURVIVED:
                    status = "equivalent"
                else:
                    stale.append(f"{name} ({status})")
            by_module[module][status].append(name)
    if not by_module:
        print("no mutation results: run `make mutate` first")
        return 1
    print(f"{'module':32} {'killed':>7} {'tested':>7} {'score':>7} {'equiv.':>6} "
          f"{'unchecked':>9}")
    for module, statuses in sorted(by_module.items()):
        killed = sum(len(statuses[s]) for s in KILLED)
        tested = killed + sum(len(statuses[s]) for s in SURVIVED)
        score = f"{100 * killed / tested:.1f}%" if tested else "-"
        print(f"{module:32} {killed:7} {tested:7} {score:>7} {len(statuses['equivalent']):6} "
              f"{len(statuses['not checked']):9}")
    print("tested = killed + survived; equivalent survivors (docs/mutation-equivalent.txt) "
          "are left out")
    for _module, statuses in sorted(by_module.items()):
        for status in sorted(SURVIVED):
            for name in sorted(statuses[status]):
                print(f"  {status}: {name}")
    for name in stale:
        print(f"  listed as equivalent but not a survivor: {name}")
    if not patterns:
        for name in sorted(listed - seen):
            print(f"  listed as equivalent but no such mutant: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
