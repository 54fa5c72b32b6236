"""Baseline for `qcode suggest --method rules`: spaCy's bare Spanish tokenizer over the same
texts (read from the files), through `nlp.pipe`.

    python -m bench.baselines.spacy_tokenizer DIR
"""

import sys
from pathlib import Path

import spacy

nlp = spacy.blank("es")
texts = (path.read_text("utf-8") for path in sorted(Path(sys.argv[1]).glob("*.txt")))
print(sum(len(doc) for doc in nlp.pipe(texts, batch_size=64)))
