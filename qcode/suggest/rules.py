"""Rule suggestions: the codebook's patterns matched with spaCy.

A plain-string pattern is a phrase: it matches where the lemmas of the text equal the
lemmas of the phrase, or where the lower-case words equal the phrase's lower-case words.
A list of dicts is a spaCy Matcher token pattern, used as written. Matchers are built once
per language and reused for every document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import CodebookError
from ..nlp import Annotator


@dataclass(frozen=True)
class Hit:
    code: str
    start: int  # character offsets into the document text
    end: int
    text: str
    pattern: str


class RuleMatcher:
    def __init__(self, codes: list[tuple[str, dict[str, list[Any]]]], annotator: Annotator):
        """`codes`: (code id, patterns per language) in codebook order."""
        from spacy.matcher import Matcher, PhraseMatcher

        self.annotator = annotator
        vocab = annotator.vocab
        self.lemma = PhraseMatcher(vocab, attr="LEMMA")
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.tokens = Matcher(vocab, validate=True)
        self.labels: dict[int, tuple[str, str]] = {}  # match key -> (code, pattern text)
        language = annotator.language
        for code_id, patterns in codes:
            for number, pattern in enumerate(patterns.get(language, [])):
                key = f"{code_id}#{number}"
                match_id = vocab.strings.add(key)
                if isinstance(pattern, str):
                    self.labels[match_id] = (code_id, pattern)
                    phrase = annotator(pattern)
                    self.lower.add(key, [phrase])
                    if annotator.lemmatised:
                        self.lemma.add(key, [phrase])
                    continue
                self.labels[match_id] = (code_id, _describe(pattern))
                try:
                    self.tokens.add(key, [pattern])
                except Exception as exc:  # spaCy raises MatchPatternError or ValueError
                    raise CodebookError([f"code '{code_id}', {language} pattern {number + 1} "
                                         f"{_describe(pattern)}: spaCy rejects it: "
                                         f"{str(exc).strip().splitlines()[0]}"]) from None
        self.active = [m for m in (self.lemma, self.lower, self.tokens) if len(m)]

    def hits(self, doc) -> list[Hit]:
        """Every pattern hit in a Doc, one per (code, span), in text order."""
        found: dict[tuple[str, int, int], Hit] = {}
        for matcher in self.active:
            for match_id, start, end in matcher(doc):
                code, pattern = self.labels[match_id]
                span = doc[start:end]
                key = (code, span.start_char, span.end_char)
                if key not in found:
                    found[key] = Hit(code, span.start_char, span.end_char, span.text, pattern)
        return sorted(found.values(), key=lambda h: (h.start, h.end, h.code))


def _describe(pattern: list[dict]) -> str:
    return " ".join(str(token) for token in pattern)
