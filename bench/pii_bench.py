"""Speed and memory of `qcode pii scan` (`make bench BENCH=pii`).

The corpus is the six bundled interviews plus the planted evaluation transcripts, repeated
to about a million words (so it holds names, phones and every other kind at a realistic
rate). Times are CPU seconds (the machine is shared; wall time is given too). Reported:
words per second of `scan_text` in this process, against spaCy's blank
Spanish tokenizer on the same text (the least a spaCy-based scan would cost); and the whole
`qcode pii scan FILE` process: wall time and peak resident memory (getrusage of the child,
the figure /usr/bin/time -v prints as "Maximum resident set size").
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from .pii_eval import DATA, SAMPLES, unmark


def corpus(words: int) -> str:
    from qcode.importers import read_document

    texts = [read_document(p).text for p in sorted(SAMPLES.iterdir()) if p.suffix != ".csv"]
    texts += [unmark(p.read_text("utf-8"))[0] for p in sorted(DATA.glob("*_planted.txt"))]
    block = "\n\n".join(texts)
    return "\n\n".join([block] * max(1, words // len(block.split())))


def run(root: Path, words: int = 1_000_000) -> list[str]:
    from qcode.pii import scan_text

    text = corpus(words)
    count = len(text.split())
    scan_text("warm-up: Juan Quispe, 987 654 321")  # name lists and phone metadata
    start, cpu = time.perf_counter(), time.process_time()
    found = scan_text(text)
    scan_wall, scan = time.perf_counter() - start, time.process_time() - cpu

    import spacy

    sample = text[: len(text) // 5]
    nlp = spacy.blank("es")
    cpu = time.process_time()
    nlp.tokenizer(sample)
    tokenizer = (time.process_time() - cpu) * len(text) / len(sample)

    path = root / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    qcode = Path(sys.executable).parent / "qcode"
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    done = subprocess.run([*timer, str(qcode), "pii", "scan", str(path), "--format", "csv"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = usage.ru_utime + usage.ru_stime
    # ru_maxrss of children counts this (large) process's pages before exec; GNU time's
    # "Maximum resident set size" is the scan's own peak.
    peak_kb = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    peak = int(peak_kb.group(1)) / 1024 if peak_kb else usage.ru_maxrss / 1024
    return [
        f"pii scan_text: {count:,} words, {len(found):,} findings; CPU {scan:.2f} s = "
        f"{count / scan:,.0f} words/s (wall {scan_wall:.2f} s = {count / scan_wall:,.0f})",
        f"pii baseline: spaCy blank 'es' tokenizer alone {count / tokenizer:,.0f} words/s CPU "
        f"(scan is {tokenizer / scan:.2f} times its speed)",
        f"pii whole process `qcode pii scan` ({path.stat().st_size / 2**20:.1f} MB file): CPU "
        f"{child_cpu:.2f} s = {count / child_cpu:,.0f} words/s (wall {wall:.2f} s), "
        f"peak RSS {peak:.0f} MB",
    ]
