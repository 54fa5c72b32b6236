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

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .measure import ROOT
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


# -- same findings before and after a speed change ----------------------------------------
# `python -m bench.pii_bench record FILE` writes the findings of scan_text on every labelled,
# clean and sample transcript, the test transcripts and a generated corpus with names (and
# near-names) planted; `python -m bench.pii_bench compare FILE` scans again and lists every
# difference; `python -m bench.pii_bench speed` gives words per CPU-second on clean text.

# What is planted in the generated corpus: every path of the name detector (listed first
# names and surnames, strong and weak, titles and cues, abbreviations, capitals, possessives,
# nicknames, particles, allowed places and phrases, headings) and a few numbers.
PLANTS = ("{F} {S}", "{F} {S} {S}", "{f}", "{s}", "{F}", "{S}", "el señor {W}", "la doctora {S}",
          "Mr. {W}", "Dr {W}", "dr. {S}", "se llama {W}", "me llamo {F}", "named {W} {W}",
          "{S}'s", "{F} \"{W}\" {S}", "{F} de la {S}", "{F} del {S}", "{W} {W}", "{W} {W} {W}",
          "{FU} {SU}", "{SU}", "San {F}", "Santa {F} {S}", "Puerto {S}", "Castro Castro",
          "Patio Chico", "Penal de {S}", "{F}-{F}", "agente {W}", "Agente {S}",
          "interno {W}'s", "{F}\t{S}", "El {S}", "Pero {F} {S}", "llamado {w}",
          "{S} y {S}", "Lima {S}", "tel. 987 654 321", "DNI 40123456", "{F} {S}, {F} {S}")


def planted_corpus(count: int = 12, words: int = 3000, seed: int = 5) -> list[str]:
    import random

    from qcode.pii.names import name_lists

    from .corpus import stream

    first, last = (sorted(table) for table in name_lists())
    rng = random.Random(seed)
    texts = []
    for text in stream(count, words, seed):
        tokens = text.split(" ")
        vocab = [t for t in tokens if t.isalpha()]
        for _ in range(len(tokens) // 25):
            f, s, w = rng.choice(first), rng.choice(last), rng.choice(vocab)
            plant = rng.choice(PLANTS).format(
                F=f.title(), S=s.title(), W=w.title(), f=f, s=s, w=w, FU=f.upper(),
                SU=s.upper())
            at = rng.randrange(len(tokens))
            tokens[at] = plant + rng.choice(("", "", ".", ",", "\n", ":"))
        texts.append(" ".join(tokens))
    return texts


def snapshot() -> dict[str, list]:
    """{source: findings as tuples} for every text the speed work must not change."""
    from qcode.importers import read_document
    from qcode.pii import Allowlist, scan_text

    from .pii_eval import language_of, scan

    root = ROOT
    out: dict[str, list] = {}
    paths = sorted(DATA.glob("*_planted.txt"))
    for path in paths:
        out[path.name] = scan(unmark(path.read_text("utf-8"))[0], language_of(path))
    paths = [*sorted((DATA / "clean").glob("*.txt")), *sorted(SAMPLES.iterdir()),
             *sorted((root / "tests" / "data" / "transcripts").iterdir())]
    for path in paths:
        if path.suffix not in (".csv", ".key"):
            doc = read_document(path)
            out[str(path.relative_to(root))] = scan(doc.text, doc.language or "es")
    allow = Allowlist(["Patio Chico", "Castro Castro Castro", "Lima Norte Sur", "Rosa"])
    for number, text in enumerate(planted_corpus()):
        out[f"generated_{number}"] = scan(text, "es")
        out[f"generated_{number}_allow"] = scan_text(text, allow)
    return {key: [tuple(f.as_dict().values()) for f in found] for key, found in out.items()}


_SPEED = """
import sys, time
from bench.corpus import stream
from qcode.pii import Allowlist, scan_text
from qcode.pii.names import names
texts = list(stream(int(sys.argv[1]), 5000))
scan_text("warm-up: Juan Quispe, 987 654 321")
def cpu(scan):
    start = time.process_time()
    for text in texts:
        scan(text)
    return time.process_time() - start
allow = Allowlist()
print(sum(len(t.split()) for t in texts), cpu(scan_text), cpu(lambda t: list(names(t, allow))))
"""


def speed(before: Path | None, documents: int = 100, repeat: int = 5) -> list[str]:
    """Words per CPU-second of scan_text and of its name detector on clean generated text
    (what an import scans), and `qcode import` CPU against the read-hash-insert script, this
    tree and (`before`, an earlier source tree) the earlier one alternating in one run."""
    import statistics

    from . import corpus, processes

    trees = {"now": ROOT} | ({"before": before} if before else {})
    cpu: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    words = 0
    for _ in range(repeat):
        for name, tree in trees.items():
            done = subprocess.run([sys.executable, "-c", _SPEED, str(documents)], check=True,
                                  capture_output=True, text=True, cwd=tree.parent,
                                  env={**os.environ, "PYTHONPATH": f"{tree}:{ROOT}"})
            count, scan, names = done.stdout.split()
            words = int(count)
            cpu[name].append((float(scan), float(names)))
    lines = []
    for name, runs in cpu.items():
        scan = statistics.median(r[0] for r in runs)
        names = statistics.median(r[1] for r in runs)
        lines.append(f"{name}: scan_text {words / scan:,.0f} words per CPU-second "
                     f"({scan:.3f} s for {words:,} words), of which names {names:.3f} s")
    if before:
        ratio = [statistics.median(cpu["before"][i][k] / cpu["now"][i][k]
                                   for i in range(repeat)) for k in (0, 1)]
        lines.append(f"now is {ratio[0]:.2f}x as fast as before (scan_text), "
                     f"{ratio[1]:.2f}x (names); medians of {repeat} paired runs")
    import tempfile

    from .measure import PYTHON, run, side_by_side

    def importer(tree: Path, project: Path):
        qcode = [PYTHON, "-m", "qcode"]  # run outside ROOT, which `-m` puts first on sys.path
        env = {"PYTHONPATH": str(tree)}

        def go():
            shutil.rmtree(project, ignore_errors=True)
            run([*qcode, "init", str(project)], cwd=root, env=env)
            return run([*qcode, "-p", str(project), "import", str(folder)], cwd=root, env=env)
        return go

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "corpus"
        corpus.write(folder, 200, 5000)
        figures = processes.import_figures(root, folder, 3, 200, quick=True)
        if before:
            figures.append(side_by_side("`qcode import DIR`, 200 documents: now against before",
                                        3, importer(ROOT, root / "now"),
                                        importer(before, root / "before"), "qcode before"))
    for figure in figures:
        now = statistics.median(r.cpu for r in figure.qcode)
        base = statistics.median(r.cpu for r in figure.baseline)
        lines.append(f"{figure.step}: CPU {now:.2f} s against {figure.baseline_name} "
                     f"{base:.2f} s ({now / base:.2f}x)")
    return lines


def main() -> None:
    import json

    what, file = (sys.argv[1:] + ["", ""])[:2]
    if what == "speed":
        print("\n".join(speed(Path(file) if file else None)))
    elif what == "record":
        Path(file).write_text(json.dumps(snapshot(), ensure_ascii=False, indent=0), "utf-8")
    elif what == "compare":
        before = json.loads(Path(file).read_text("utf-8"))
        after = json.loads(json.dumps(snapshot(), ensure_ascii=False))
        differ = [k for k in sorted(before.keys() | after.keys()) if before.get(k) != after.get(k)]
        for key in differ:
            old, new = before.get(key, []), after.get(key, [])
            print(f"{key}: {len(old)} -> {len(new)} findings")
            print("  only before:", [f for f in old if f not in new][:5])
            print("  only after:", [f for f in new if f not in old][:5])
        total = sum(len(v) for v in after.values())
        print(f"{len(after)} sources, {total} findings; {len(differ)} differ")
        sys.exit(1 if differ else 0)
    else:
        sys.exit("usage: python -m bench.pii_bench record|compare FILE | speed [BEFORE_TREE]")


if __name__ == "__main__":
    main()
