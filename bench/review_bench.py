"""How long the next segment takes to appear in `qcode review` (target: under 100 ms)."""

from __future__ import annotations

import io
import shutil
import statistics
import time
from pathlib import Path

from rich.console import Console

from qcode import Project
from qcode.cli.review_cmd import draw
from qcode.review import ReviewSession

ROOT = Path(__file__).resolve().parent.parent


def run(root: Path, steps: int = 500) -> list[str]:
    with Project.init(root / "review_project", coder="bench") as project:
        project.import_files([ROOT / "transcripts_sample"],
                             attributes=ROOT / "transcripts_sample" / "attributes.csv")
        project.load_codebook(ROOT / "codebooks" / "prison_phones.yaml")
        for coder in ("ana", "ben"):
            project.import_codings(ROOT / "transcripts_sample" / f"codings_{coder}.csv")
        project.suggest()
        session = ReviewSession(project.conn, "bench", restart=True)
        console = Console(file=io.StringIO(), width=80, height=24, force_terminal=True)
        timings = []
        forward = True
        for step in range(steps):
            started = time.perf_counter()
            moved = session.next() if forward else session.back()
            if not moved:
                forward = not forward
            if step % 7 == 0 and session.view().choices:   # a decision now and then
                session.toggle(1)
            draw(console, session, "", clear=True)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    shutil.rmtree(root / "review_project", ignore_errors=True)
    return [f"review: next segment (move, decide every 7th, draw 80x24) over {steps} steps on "
            f"the sample project ({len(session.items)} segments): median "
            f"{statistics.median(timings):.1f} ms, 95th percentile "
            f"{timings[int(0.95 * len(timings))]:.1f} ms, max {timings[-1]:.1f} ms"]
