"""A deterministic generator of Spanish interview transcripts for benchmarks.

The vocabulary mixes the words of the bundled Spanish samples (so codebook patterns do hit)
with lemmas from spacy-lookups-data (so the number of distinct word forms is realistic);
words are drawn with Zipf-like weights, sentences are 6-30 words, turns alternate E:/R:.
Words on qcode's lists of first names and surnames are left out, so that the corpus is as
anonymous as a real one should be and imports without `--allow-pii`, scanned like any other.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "transcripts_sample"


def vocabulary(seed: int = 11, extra: int = 30000) -> list[str]:
    from spacy.lookups import load_lookups

    words: list[str] = []
    for path in sorted(SAMPLES.glob("*_20*.txt")):
        text = path.read_text("utf-8")
        if re.search(r"\b(el|la|los|que)\b", text):  # the Spanish ones
            words += re.findall(r"[^\W\d_]+", text.lower())
    seen = [word for word, _ in Counter(words).most_common()]
    table = load_lookups("es", ["lemma_lookup"]).get_table("lemma_lookup")
    lemmas = sorted({value for value in table.values() if value.isalpha()})
    rng = random.Random(seed)
    return [word for word in seen + rng.sample(lemmas, min(extra, len(lemmas)))
            if not _is_name(word)]


def _is_name(word: str) -> bool:
    from qcode.pii.allowlist import plain
    from qcode.pii.names import name_lists

    first, last = name_lists()
    return plain(word) in first or plain(word) in last


def interviews(count: int, words: int, seed: int = 7) -> list[str]:
    return list(stream(count, words, seed))


def stream(count: int, words: int, seed: int = 7) -> Iterator[str]:
    """The same interviews one at a time (a corpus of 17,000 never sits in memory)."""
    vocab = vocabulary()
    cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    rng = random.Random(seed)
    for _ in range(count):
        drawn = rng.choices(vocab, cum_weights=cumulative, k=words)
        turns, position, speaker = [], 0, 0
        while position < words:
            turn_words = rng.randint(20, 160)
            sentences, chunk = [], drawn[position:position + turn_words]
            while chunk:
                size = rng.randint(6, 30)
                sentence, chunk = chunk[:size], chunk[size:]
                sentences.append(sentence[0].capitalize() + " " + " ".join(sentence[1:]) + ".")
            turns.append(("E: " if speaker == 0 else "R: ") + " ".join(sentences))
            position += turn_words
            speaker = 1 - speaker
        yield "\n\n".join(turns)


def write(folder: Path, count: int, words: int) -> list[Path]:
    """`count` files in `folder`; files already there (same count, words) are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp, version = folder / ".corpus", "anonymous"
    paths = [folder / f"entrevista_{number:05d}.txt" for number in range(count)]
    if stamp.exists() and stamp.read_text() == f"{count} {words} {version}":
        return paths
    for path in folder.glob("entrevista_*.txt"):
        path.unlink()
    for path, text in zip(paths, stream(count, words), strict=True):
        path.write_text(text, "utf-8")
    stamp.write_text(f"{count} {words} {version}")
    return paths
