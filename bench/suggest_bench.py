"""Rule suggestion throughput against a bare tokenizer, --jobs, and model training time."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from qcode import Project
from qcode.nlp import Annotator, blank
from qcode.suggest.rules import RuleMatcher

from . import corpus

CODEBOOK = Path(__file__).resolve().parent.parent / "codebooks" / "prison_phones.yaml"


def rules_vs_tokenizer(texts: list[str]) -> list[str]:
    from qcode import load_codebook

    book = load_codebook(CODEBOOK)
    codes = [(c.id, c.patterns) for c in book.codes]
    lines = []
    tokenizer = blank("es").tokenizer
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in tokenizer.pipe(texts, batch_size=64))
    bare = tokens / (time.perf_counter() - started)
    lines.append(f"bare spacy.blank('es') tokenizer: {tokens:,} tokens, {bare:,.0f} tokens/s")

    annotator = Annotator("es")          # table loading is start-up, not throughput
    matcher = RuleMatcher(codes, annotator)
    started = time.perf_counter()
    hits = 0
    for doc in annotator.pipe(texts):
        hits += len(matcher.hits(doc))
    rules = tokens / (time.perf_counter() - started)
    lines.append(f"qcode rules (cached lookup lemmas + phrase/token matchers): {rules:,.0f} "
                 f"tokens/s, {hits:,} hits; ratio {rules / bare:.2f} of the bare tokenizer")

    import spacy

    nlp = spacy.blank("es")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    subset = texts[: max(1, len(texts) // 10)]
    started = time.perf_counter()
    sub_tokens = sum(len(doc) for doc in nlp.pipe(subset, batch_size=64))
    stock = sub_tokens / (time.perf_counter() - started)
    lines.append(f"for comparison, spaCy's own lookup lemmatizer component: {stock:,.0f} "
                 f"tokens/s ({stock / bare:.2f} of the tokenizer; on a tenth of the corpus)")
    return lines


def end_to_end(root: Path, documents: int, words: int) -> list[str]:
    corpus.write(root / "suggest_corpus", documents, words)
    lines = []
    with Project.init(root / "suggest_project") as project:
        project.import_files([root / "suggest_corpus"])
        project.load_codebook(CODEBOOK)
        for jobs in (1, 2):
            started = time.perf_counter()
            report = project.suggest(method="rules", jobs=jobs)
            elapsed = time.perf_counter() - started
            lines.append(f"qcode suggest --method rules --jobs {jobs}: {documents} documents in "
                         f"{elapsed:.1f} s ({report.tokens / elapsed:,.0f} tokens/s, "
                         f"{sum(report.by_method.values()):,} suggestions)")
        lines.append(train_10k(project))
    return lines


def train_10k(project: Project) -> str:
    """Code 10,000 segments from the rule hits (with 10% noise), then time training."""
    conn = project.conn
    rng = random.Random(3)
    rows = conn.execute("""SELECT g.segment_id, g.code_id, s.document_id, s.start, s."end"
                           FROM suggestion g JOIN segment s ON s.id = g.segment_id
                           ORDER BY g.segment_id""").fetchall()
    chosen: dict[int, list] = {}
    for row in rows:
        if len(chosen) >= 10000 and row[0] not in chosen:
            continue
        chosen.setdefault(row[0], []).append(row)
    with conn:
        for segment_rows in chosen.values():
            for _, code, document_id, start, end in segment_rows:
                if rng.random() < 0.9:
                    conn.execute('INSERT OR IGNORE INTO coding (document_id, code_id, coder, '
                                 'start, "end", origin, created_at) VALUES (?, ?, ?, ?, ?, '
                                 "'manual', 'bench')", (document_id, code, "bench", start, end))
    started = time.perf_counter()
    training = project.train()
    elapsed = time.perf_counter() - started
    info = training.model.trained_on
    return (f"qcode suggest train: {info['segments']:,} labelled segments "
            f"({len(chosen):,} coded), {len(training.model.codes)} codes in {elapsed:.1f} s; "
            f"trained_on {json.dumps({k: info[k] for k in ('documents', 'min_positives')})}")


def run(root: Path, documents: int = 1000, words: int = 5000) -> list[str]:
    texts = corpus.interviews(documents, words)
    lines = [f"corpus: {documents} generated Spanish interviews x {words:,} words"]
    lines += rules_vs_tokenizer(texts)
    lines += end_to_end(root, documents, words)
    return lines
