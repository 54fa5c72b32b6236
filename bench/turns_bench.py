"""Turn detection: the same segments as a recorded reference, and CPU per document.

    python -m bench.turns_bench record REF.pickle [--cases CASES.pickle]
    python -m bench.turns_bench check REF.pickle [--cases CASES.pickle] [--runs 5]
        [--before DIR]   (DIR: an earlier source tree, e.g. from `git archive REV qcode`)

The texts: every fixture in tests/data/transcripts/ and transcripts_sample/ (as read by
`read_document`), the texts the tests hand to `find_layout` and `speaker_prefix` (recorded by
`bench/turns_capture.py` into CASES), random texts made of every kind of marker line, and
generated interviews (`bench.corpus.stream`, E:/R: turns; `bench.layouts_bench.document` in
four layouts). For each text, `split` in turn mode with the layout detected and with each
layout forced, and `speaker_prefix` of every line of the small texts. `check` compares all
of them with REF and prints the CPU time (user+sys) per document of `split` on the
generated interviews, median of `--runs` runs, and with `--before` the same for the turn
detection of DIR, timed in the same process, runs interleaved.
"""

from __future__ import annotations

import argparse
import pickle
import random
import statistics
import sys
import time
from pathlib import Path

from qcode.importers import read_document
from qcode.importers.layouts import LAYOUTS
from qcode.importers.turns import speaker_prefix, split

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = [p for folder in (ROOT / "tests" / "data" / "transcripts", ROOT / "transcripts_sample")
            for p in sorted(folder.iterdir()) if p.suffix not in (".key", ".csv")]

_NAMES = ["E", "R", "Mara Quinteros", "admin-1", "Entrevistador(a)", "Dr. Lena Ortiz",
          "SPEAKER_00", "Nota", "B1", "GUARDIA", "Speaker 1", "de la Cruz", "Kwame Mensah (Guest)",
          "Q", "Fecha", "interviewer", "x"]
_WORDS = "que la visita celular guardia dinero. pabellón? requisa! familia: comida (risas)".split()


def _words(rng: random.Random) -> str:
    return " ".join(rng.choices(_WORDS, k=rng.randint(0, 12)))


def _line(rng: random.Random) -> str:
    name, words = rng.choice(_NAMES), _words(rng)
    clock = f"{rng.randint(0, 1)}{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}"
    forms = [
        f"{name}: {words}", f"[{clock}] {name}: {words}", f"**{name}:** {words}",
        f"[{name.upper()}] {words}", f"*{name[:3].upper()}:\t{words}", f"{name}  {clock[3:]}",
        f"{name}   {clock[4:]}", f"[{name}] {clock}", f"[{clock}] {name}", f"{clock}",
        f"{name} ({clock[3:]}):", f"{name}: [{clock}] {words}", f"{name}:",
        f"{name + ':':<20}{words}",
        f"{name}:\t{words}", f"  {name}: {words}", f"Page {rng.randint(1, 9)} of 9", "- 3 -",
        f"{words} #{clock}-{rng.randint(0, 9)}#", f"{words} \x15{rng.randint(0, 9999)}_1\x15",
        "@Begin", f"%mor:\t{words}", "", "   ", words, words.capitalize() + ".",
        "Transcribed by otter.ai", f"{name} started transcription", f"{words}:{words}",
        f"[{rng.choice(['inaudible', 'risas', 'crosstalk'])}] {words}",
    ]
    return rng.choice(forms)


def random_texts(count: int = 1500, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pool = [_line(rng) for _ in range(rng.randint(2, 6))]
        lines = [rng.choice(pool) if rng.random() < 0.6 else _line(rng)
                 for _ in range(rng.randint(1, 40))]
        texts.append("\n".join(lines))
    return texts


def generated(count: int = 200, words: int = 5000) -> list[str]:
    from bench.corpus import stream

    return list(stream(count, words))


def layout_texts(count: int = 40, words: int = 5000) -> list[str]:
    from bench.layouts_bench import document

    kinds = ("colon", "padded", "otter", "teams")
    return [document(kinds[i % 4], words, i) for i in range(count)]


def _spans(text: str, layout: str | None = None, speakers=None, turns=None) -> tuple:
    done = split(text, "turn", "en", turns, layout, list(speakers) if speakers else None)
    return done.mode, done.layout, tuple((s.start, s.end, s.speaker, s.time_start, s.time_end)
                                         for s in done.spans)


def small_cases(cases_file: Path | None) -> tuple[list[tuple], list[str]]:
    """(name, text, layout, speakers, turns) and the lines for `speaker_prefix`."""
    cases, lines = [], []
    for path in FIXTURES:
        doc = read_document(path)
        cases.append((f"fixture {path.name} (as imported)", doc.text, None, None, doc.turns))
        cases += [(f"fixture {path.name} --layout {name}", doc.text, name, None, None)
                  for name in [None, *LAYOUTS]]
        lines += doc.text.split("\n")
    if cases_file:
        captured = pickle.loads(cases_file.read_bytes())
        cases += [(f"test text {n}", text, layout, speakers, None)
                  for n, (text, layout, speakers) in enumerate(captured["cases"])]
        lines += captured["prefixes"]
    for n, text in enumerate(random_texts()):
        cases += [(f"random {n} --layout {name}", text, name, None, None)
                  for name in [None, *LAYOUTS]]
        lines += text.split("\n")
    return cases, lines


def results(cases_file: Path | None) -> dict[str, tuple]:
    cases, lines = small_cases(cases_file)
    out = {name: _spans(text, layout, speakers, turns)
           for name, text, layout, speakers, turns in cases}
    out["speaker_prefix"] = tuple(speaker_prefix(line) for line in lines)
    for n, text in enumerate(generated()):
        out[f"generated {n}"] = _spans(text)
    for n, text in enumerate(layout_texts()):
        out[f"layouts_bench {n}"] = _spans(text)
    return out


def before(folder: Path):
    """`split` of an earlier tree: its turn modules copied into a package of their own."""
    import importlib
    import shutil
    import tempfile

    package = Path(tempfile.mkdtemp()) / "qcode_before"
    (package / "importers").mkdir(parents=True)
    shutil.copy(folder / "qcode" / "errors.py", package / "errors.py")
    (package / "__init__.py").write_text("")
    (package / "importers" / "__init__.py").write_text("")
    for name in ("model", "markers", "layouts", "turns"):
        shutil.copy(folder / "qcode" / "importers" / f"{name}.py", package / "importers")
    sys.path.insert(0, str(package.parent))
    return importlib.import_module("qcode_before.importers.turns").split


def cpu_per_document(functions: dict, texts: list[str], runs: int) -> dict[str, float]:
    """Median over `runs` of the CPU seconds (user+sys) per text of each function, in ms."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            started = time.process_time()
            for text in texts:
                function(text)
            times[name].append((time.process_time() - started) / len(texts) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("reference", type=Path)
    parser.add_argument("--cases", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path)
    args = parser.parse_args()
    found = results(args.cases)
    if args.action == "record":
        args.reference.write_bytes(pickle.dumps(found))
    else:
        expected = pickle.loads(args.reference.read_bytes())
        wrong = [name for name in expected if found.get(name) != expected[name]]
        print(f"{len(expected) - len(wrong)} of {len(expected)} results identical")
        for name in wrong[:20]:
            print("  differs:", name)
        if wrong:
            sys.exit(1)
    functions = {"now": split} | ({"before": before(args.before)} if args.before else {})
    print(f"split, CPU ms per document (user+sys, median of {args.runs} runs):")
    for name, texts in (("bench.corpus 200 x 5000 words, E:/R:", generated()),
                        ("layouts_bench 40 x 5000 words, colon/padded/otter/teams",
                         layout_texts())):
        found = cpu_per_document(functions, texts, args.runs)
        ratio = f" (before / now: {found['before'] / found['now']:.1f}x)" if args.before else ""
        print(f"  {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in found.items()) + ratio)


if __name__ == "__main__":
    main()
