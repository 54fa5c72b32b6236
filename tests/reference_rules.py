"""The rule matcher as it was before issue 15, kept only as a reference for the tests.

A spaCy Span and a Python object per match, de-duplicated in a dict, mapped to segments one
hit at a time: slow, but plainly right. `reference_rows` gives what `qcode suggest --method
rules` stored then: (segment id, code, score, evidence as (start, end, pattern text)).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    code: str
    start: int
    end: int
    text: str
    pattern: str


def _describe(pattern: list[dict]) -> str:
    return " ".join(str(token) for token in pattern)


class ReferenceMatcher:
    def __init__(self, codes, annotator):
        from spacy.matcher import Matcher, PhraseMatcher

        self.annotator = annotator
        vocab = annotator.vocab
        self.lemma = PhraseMatcher(vocab, attr="LEMMA")
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.tokens = Matcher(vocab, validate=True)
        self.labels = {}
        language = annotator.language
        for code_id, patterns in codes:
            for number, pattern in enumerate(patterns.get(language, [])):
                key = f"ref:{code_id}#{number}"
                match_id = vocab.strings.add(key)
                if isinstance(pattern, str):
                    self.labels[match_id] = (code_id, pattern)
                    phrase = annotator(pattern)
                    self.lower.add(key, [phrase])
                    if annotator.lemmatised:
                        self.lemma.add(key, [phrase])
                    continue
                self.labels[match_id] = (code_id, _describe(pattern))
                self.tokens.add(key, [pattern])
        self.active = [m for m in (self.lemma, self.lower, self.tokens) if len(m)]

    def hits(self, doc) -> list[Hit]:
        found = {}
        for matcher in self.active:
            for match_id, start, end in matcher(doc):
                code, pattern = self.labels[match_id]
                span = doc[start:end]
                key = (code, span.start_char, span.end_char)
                if key not in found:
                    found[key] = Hit(code, span.start_char, span.end_char, span.text, pattern)
        return sorted(found.values(), key=lambda h: (h.start, h.end, h.code))


def reference_rows(conn, codes, annotator) -> list[tuple]:
    """Every document of the project in `annotator`'s language, the old way."""
    matcher = ReferenceMatcher(codes, annotator)
    rows = []
    for document_id, text in conn.execute("SELECT id, text FROM document WHERE language = ?"
                                          " ORDER BY id", (annotator.language,)).fetchall():
        doc = annotator(text)
        segments = conn.execute('SELECT id, start, "end" FROM segment WHERE document_id = ?'
                                " ORDER BY start", (document_id,)).fetchall()
        starts = [s[1] for s in segments]
        found: dict[tuple[int, str], list[dict]] = {}
        for hit in matcher.hits(doc):
            index = bisect_right(starts, hit.start) - 1
            while 0 <= index < len(segments) and segments[index][1] < hit.end:
                segment_id, start, end = segments[index]
                if start < hit.end and hit.start < end:
                    found.setdefault((segment_id, hit.code), []).append(
                        {"text": hit.text, "start": hit.start, "end": hit.end,
                         "pattern": hit.pattern})
                index += 1
        for (segment_id, code), evidence in found.items():
            distinct = len({e["text"].lower() for e in evidence})
            rows.append((segment_id, code, 1 - 0.5 ** distinct,
                         [(e["start"], e["end"], e["pattern"]) for e in evidence]))
    return sorted(rows)
