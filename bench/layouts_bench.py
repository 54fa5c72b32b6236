"""Speed of layout detection and turn splitting (`qcode.importers.turns.split`).

Generates documents of `words` words in four layouts (E:/R: lines, names padded to column 20
and hard-wrapped at 72, Otter headers, Teams headers), then times `split` on all of them
against two linear baselines in the same process: `str.split("\\n")` plus one anchored regex
per line (the least any line-start scan costs) and `paragraphs` (the fall-back). A 10 times
longer document checks that the time grows linearly.
"""

from __future__ import annotations

import random
import re
import textwrap
import time

from qcode.importers.turns import paragraphs, split

WORDS = ("que la el en y los se del las un por con no una su para es al lo como más pero sus "
         "le ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde "
         "quien desde todo nos durante todos uno les ni contra otros ese eso ante ellos e esto "
         "celular visita guardia penal pabellón requisa interno dinero familia comida").split()
NAMES = ["Mara Quinteros", "admin-1", "Lena Ortiz", "Diego Salas"]


def _turn(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 6)):
        words = rng.choices(WORDS, k=rng.randint(6, 30))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def document(layout: str, words: int, seed: int) -> str:
    rng = random.Random(seed)
    parts, count, n = [], 0, 0
    while count < words:
        body, who = _turn(rng), NAMES[n % 2 + (2 if layout in ("otter", "teams") else 0)]
        count += len(body.split())
        n += 1
        if layout == "colon":
            parts.append(f"{'E' if n % 2 else 'R'}: {body}")
        elif layout == "padded":
            parts.append("\n".join(textwrap.wrap(f"{who + ':':<20}{body}", 72)) + "\n")
        elif layout == "otter":
            parts.append(f"{who}  {n // 60}:{n % 60:02d}  \n{body}\n")
        else:
            parts.append(f"{who}   {n // 60}:{n % 60:02d}\n{body}")
    return "\n".join(parts)


def _time(function, texts) -> float:
    started = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - started


def run(docs: int = 1000, words: int = 5000) -> list[str]:
    layouts = ("colon", "padded", "otter", "teams")
    texts = [document(layouts[i % 4], words, i) for i in range(docs)]
    line_start = re.compile(r"[^\W\d_][\w ]{0,40}:")
    scan = _time(lambda t: [line_start.match(line) for line in t.split("\n")], texts)
    fallback = _time(paragraphs, texts)
    turns = _time(split, texts)
    found = {layout: split(document(layout, words, 1)).layout for layout in layouts}
    short = document("padded", words, 1)
    long = document("padded", words * 10, 1)
    ratio = _time(split, [long]) / _time(split, [short])
    megabytes = sum(len(t) for t in texts) / 1e6
    return [
        f"layouts: {docs} documents x {words} words ({megabytes:.0f} M characters), "
        f"detected {found}",
        f"  one regex per line (baseline):  {scan:.2f} s",
        f"  paragraphs (fall-back):         {fallback:.2f} s",
        f"  split (detect layout + turns):  {turns:.2f} s "
        f"({turns / scan:.1f}x the one-regex scan, {docs / turns:.0f} documents/s)",
        f"  10x longer document: {ratio:.1f}x the time (linear: about 10)",
    ]
