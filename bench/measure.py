"""Whole processes measured side by side: wall time and peak RSS of each run, medians of N.

qcode and its baseline run alternately in the same loop (a-b-a-b...), so a machine that
gets busier or quieter during the run affects both alike; the ratio is what to read.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QCODE = str(BIN / "qcode")
PYTHON = sys.executable


@dataclass
class Run:
    seconds: float  # wall
    rss_mb: float
    cpu: float = 0.0  # user + system seconds: steadier than wall time on a busy machine


# A minimal launcher (python -S, a few MB) forks and execs the command, then reports the
# wall time and the child's own peak RSS. Linux carries ru_maxrss across fork and exec, so
# the child must not be forked from this process, which holds spaCy and the corpus.
_LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
os.write(2, b"\\nqcode-bench %f %d %d %f\\n" % (
    time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
    usage.ru_utime + usage.ru_stime))
"""


def run(command: Sequence[str], cwd: Path | None = None, env: dict | None = None,
        check: bool = True) -> Run:
    """One process: wall time and its own peak resident memory (from wait4's rusage)."""
    done = subprocess.run([PYTHON, "-S", "-c", _LAUNCHER, *command], cwd=cwd,
                          env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    *errors, last = done.stderr.rstrip("\n").split("\n")
    _, seconds, peak, code, cpu = last.split()
    if check and int(code) != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({code}): {chr(10).join(errors)[-2000:]}")
    return Run(float(seconds), int(peak) / 1024, float(cpu))  # ru_maxrss: KiB on Linux


@dataclass
class Figure:
    step: str
    qcode: list[Run]
    baseline: list[Run] = field(default_factory=list)
    baseline_name: str = ""
    target: str = ""
    note: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.qcode)

    @property
    def base_seconds(self) -> float | None:
        return statistics.median(r.seconds for r in self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.base_seconds
        return self.seconds / base if base else None

    @property
    def cpu_ratio(self) -> float | None:
        if not self.baseline:
            return None
        base = statistics.median(r.cpu for r in self.baseline)
        return statistics.median(r.cpu for r in self.qcode) / base if base else None

    def cells(self) -> list[str]:
        base = self.base_seconds
        return [self.step, f"{self.seconds:.2f} s", f"{max(r.rss_mb for r in self.qcode):.0f} MB",
                f"{base:.2f} s ({self.baseline_name})" if base is not None else "–",
                f"{max(r.rss_mb for r in self.baseline):.0f} MB" if self.baseline else "–",
                f"{self.ratio:.2f}×" if self.ratio is not None else "–",
                f"{statistics.median(r.cpu for r in self.qcode):.2f} s"
                + (f" ({self.cpu_ratio:.2f}×)" if self.cpu_ratio is not None else ""),
                self.target,
                str(len(self.qcode)), self.note]


HEADER = ["step", "qcode (median)", "qcode peak RSS", "baseline (median)", "baseline peak RSS",
          "ratio", "qcode CPU (CPU ratio)", "target", "N", "note"]


def side_by_side(step: str, repeat: int, qcode: Callable[[], Run],
                 baseline: Callable[[], Run] | None = None, baseline_name: str = "",
                 target: str = "", note: str = "") -> Figure:
    figure = Figure(step, [], baseline_name=baseline_name, target=target, note=note)
    for _ in range(repeat):
        if baseline:
            figure.baseline.append(baseline())
        figure.qcode.append(qcode())
    return figure


def table(figures: list[Figure]) -> str:
    rows = [HEADER, ["---"] * len(HEADER)] + [f.cells() for f in figures]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def machine() -> str:
    from importlib.metadata import version

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    packages = ", ".join(f"{name} {version(name)}" for name in (
        "spacy", "spacy-lookups-data", "numpy", "pandas", "typer", "pydantic"))
    import sqlite3

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, "
            f"{os.cpu_count()} cores, {memory:.0f} GiB; Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}; {packages}; load average at start {load}")


RESULTS = ROOT / "bench" / "RESULTS.md"


def record(report: str, no_record: bool = False) -> None:
    """Print a benchmark's report and append it to bench/RESULTS.md (unless `no_record`)."""
    print(report)
    if not no_record:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write(report)
