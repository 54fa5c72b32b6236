"""Score the anonymisation check on the labelled set in tests/data/pii (`make pii-eval`).

Planted identifiers are marked `[[kind:text]]`. A planted identifier is *found* when a
finding of the same kind overlaps it, and *covered* when findings of any kind cover all of
its characters (what redaction needs). A finding is *correct* when it overlaps a planted
identifier of its kind. Clean transcripts (tests/data/pii/clean and transcripts_sample/)
give the false findings per 1,000 words.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "pii"
SAMPLES = ROOT / "transcripts_sample"
MARK = re.compile(r"\[\[(\w+):(.+?)\]\]")
FLOORS = {"phone": 0.95, "dni": 0.95, "email": 0.95, "name": 0.85}
MAX_FALSE_PER_1000 = 1.0


@dataclass
class Planted:
    start: int
    end: int
    kind: str
    text: str


def unmark(marked: str) -> tuple[str, list[Planted]]:
    """The plain text and the planted identifiers' spans in it."""
    parts, planted, position, length = [], [], 0, 0
    for match in MARK.finditer(marked):
        parts.append(marked[position:match.start()])
        length += match.start() - position
        kind, text = match.group(1), match.group(2)
        planted.append(Planted(length, length + len(text), kind, text))
        parts.append(text)
        length += len(text)
        position = match.end()
    parts.append(marked[position:])
    return "".join(parts), planted


def language_of(path: Path) -> str:
    return "en" if path.name.startswith("en_") else "es"


def scan(text: str, language: str):
    from qcode.pii import Allowlist, scan_text
    from qcode.pii.scan import speaker_labels

    return scan_text(text, Allowlist(), speakers=speaker_labels(text, language))


@dataclass
class Score:
    planted: int = 0
    found: int = 0
    covered: int = 0
    findings: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else float("nan")

    @property
    def precision(self) -> float:
        return self.correct / self.findings if self.findings else float("nan")


def evaluate(folder: Path = DATA) -> dict[str, Score]:
    from qcode.pii import KINDS

    scores = {kind: Score() for kind in KINDS}
    for path in sorted(folder.glob("*_planted.txt")):
        text, planted = unmark(path.read_text("utf-8"))
        findings = scan(text, language_of(path))
        for p in planted:
            score = scores[p.kind]
            score.planted += 1
            overlapping = [f for f in findings if f.start < p.end and f.end > p.start]
            if any(f.kind == p.kind for f in overlapping):
                score.found += 1
            else:
                score.missed.append(f"{path.name}: {p.text!r}")
            covered = {i for f in overlapping for i in range(f.start, f.end)}
            if all(i in covered for i in range(p.start, p.end)):
                score.covered += 1
        for f in findings:
            score = scores[f.kind]
            score.findings += 1
            if any(p.kind == f.kind and f.start < p.end and f.end > p.start for p in planted):
                score.correct += 1
            else:
                score.wrong.append(f"{path.name}:{f.line}: {f.text!r} ({f.reason})")
    return scores


def clean_rate() -> tuple[int, int, list[str]]:
    """(false findings, words, the findings) over the clean transcripts."""
    from qcode.importers import read_document

    false, words, listed = 0, 0, []
    paths = sorted((DATA / "clean").glob("*.txt")) + sorted(
        p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".docx", ".vtt", ".srt"))
    for path in paths:
        doc = read_document(path)
        found = scan(doc.text, doc.language or language_of(path))
        false += len(found)
        words += len(doc.text.split())
        listed += [f"{path.name}:{f.line}: {f.text!r} {f.kind} ({f.reason})" for f in found]
    return false, words, listed


def report() -> tuple[str, bool]:
    scores = evaluate()
    lines = [f"{'kind':<12} {'planted':>7} {'found':>6} {'recall':>7} {'covered':>8} "
             f"{'findings':>8} {'precision':>9}"]
    ok = True
    for kind, s in scores.items():
        if not s.planted and not s.findings:
            continue
        floor = FLOORS.get(kind)
        mark = "" if floor is None else (" ok" if s.recall >= floor else f" BELOW {floor}")
        ok &= floor is None or s.recall >= floor
        lines.append(f"{kind:<12} {s.planted:>7} {s.found:>6} {s.recall:>7.3f} {s.covered:>8} "
                     f"{s.findings:>8} {s.precision:>9.3f}{mark}")
    total = Score(sum(s.planted for s in scores.values()), sum(s.found for s in scores.values()),
                  sum(s.covered for s in scores.values()),
                  sum(s.findings for s in scores.values()),
                  sum(s.correct for s in scores.values()))
    lines.append(f"{'all':<12} {total.planted:>7} {total.found:>6} {total.recall:>7.3f} "
                 f"{total.covered:>8} {total.findings:>8} {total.precision:>9.3f}")
    for kind, s in scores.items():
        lines += [f"  missed {kind}: {m}" for m in s.missed]
        lines += [f"  wrong {kind}: {w}" for w in s.wrong]
    false, words, listed = clean_rate()
    rate = 1000 * false / words
    ok &= rate < MAX_FALSE_PER_1000
    lines.append(f"clean transcripts: {false} false findings in {words} words = {rate:.2f} per "
                 f"1,000 words (floor < {MAX_FALSE_PER_1000})")
    lines += [f"  {x}" for x in listed]
    return "\n".join(lines), ok


def main() -> None:
    text, ok = report()
    print(text)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
