"""Rule suggestions: the codebook's patterns matched with spaCy.

A plain-string pattern is a phrase: it matches where the lemmas of the text equal the
lemmas of the phrase, or where the lower-case words equal the phrase's lower-case words.
A list of dicts is a spaCy Matcher token pattern, used as written. Matchers are built once
per language and reused for every document.

Matches stay numbers from the matcher to the store: `RuleMatcher.matches` gives numpy arrays
of character offsets, code numbers and pattern numbers (no spaCy Span or Python object per
match), one row per distinct (code, start, end), the first pattern found kept.
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


@dataclass
class Matches:
    """Distinct hits of a document in text order: parallel numpy arrays."""

    start: Any  # character offsets, half-open
    end: Any
    code: Any  # index into RuleMatcher.codes
    pattern: Any  # the pattern's number among its code's patterns for this language

    def __len__(self) -> int:
        return len(self.start)

    def shifted(self, offset: int) -> Matches:
        """The same matches `offset` characters further on (a window of a long text)."""
        if not offset:
            return self
        return Matches(self.start + offset, self.end + offset, self.code, self.pattern)

    @staticmethod
    def joined(parts: list[Matches]) -> Matches:
        """Matches of consecutive windows, in text order."""
        import numpy as np

        if len(parts) == 1:
            return parts[0]
        return Matches(*(np.concatenate([getattr(p, name) for p in parts]).astype("int64")
                         for name in ("start", "end", "code", "pattern")))


class RuleMatcher:
    def __init__(self, codes: list[tuple[str, dict[str, list[Any]]]], annotator: Annotator):
        """`codes`: (code id, patterns per language) in codebook order."""
        from spacy.attrs import LEMMA, LOWER
        from spacy.matcher import Matcher, PhraseMatcher

        self.annotator = annotator
        vocab = annotator.vocab
        self.lemma = PhraseMatcher(vocab, attr=LEMMA)
        self.lower = PhraseMatcher(vocab, attr=LOWER)
        self.tokens = Matcher(vocab)  # (it validates patterns: spaCy's default)
        self.codes = [code_id for code_id, _ in codes]
        self.descriptions: dict[tuple[int, int], str] = {}  # (code, pattern) -> as written
        self._keys: dict[int, tuple[int, int]] = {}  # match id -> (code, pattern number)
        language = annotator.language
        for code_number, (code_id, patterns) in enumerate(codes):
            for number, pattern in enumerate(patterns.get(language, [])):
                key = f"{code_id}#{number}"
                self._keys[vocab.strings.add(key)] = (code_number, number)
                if isinstance(pattern, str):
                    self.descriptions[code_number, number] = pattern
                    phrase = annotator(pattern)
                    self.lower.add(key, [phrase])
                    if annotator.lemmatised:
                        self.lemma.add(key, [phrase])
                    continue
                self.descriptions[code_number, number] = _describe(pattern)
                try:
                    self.tokens.add(key, [pattern])
                except Exception as exc:  # spaCy raises MatchPatternError or ValueError
                    raise CodebookError([f"code '{code_id}', {language} pattern {number + 1} "
                                         f"{_describe(pattern)}: spaCy rejects it: "
                                         f"{str(exc).strip().splitlines()[0]}"]) from None
        self.active = [m for m in (self.lemma, self.lower, self.tokens) if len(m)]

    def matches(self, doc) -> Matches:
        """Every pattern hit in a Doc, one per (code, span), in text order."""
        import numpy as np
        from spacy.attrs import IDX, LENGTH

        found = [m for matcher in self.active for m in matcher(doc)]
        if not found:
            empty = np.zeros(0, dtype="int64")
            return Matches(empty, empty, empty, empty)
        # the match ids are 64-bit hashes: looked up as Python ints, never as floats
        label = np.array([self._keys[key] for key, _, _ in found])  # code, pattern number
        tokens = np.array([(first, end) for _, first, end in found])
        offsets = doc.to_array([IDX, LENGTH]).astype("int64")
        start = offsets[tokens[:, 0], 0]
        last = offsets[tokens[:, 1] - 1]
        end = last[:, 0] + last[:, 1]
        code = label[:, 0]
        # keep the first hit (in matcher order) of each (code, start, end)
        order = np.lexsort((np.arange(len(code)), end, start, code))
        key = np.stack([code[order], start[order], end[order]])
        first = np.ones(len(order), dtype=bool)
        first[1:] = (key[:, 1:] != key[:, :-1]).any(axis=0)
        kept = order[first]
        kept = kept[np.lexsort((end[kept], start[kept]))]
        return Matches(start[kept], end[kept], code[kept], label[kept, 1])

    def hits(self, doc) -> list[Hit]:
        """The matches as objects with their text (for display and tests)."""
        import numpy as np

        found = self.matches(doc)
        text = doc.text
        rows = np.column_stack([found.start, found.end, found.code, found.pattern]).tolist()
        return [Hit(self.codes[c], s, e, text[s:e], self.descriptions[c, p])
                for s, e, c, p in rows]


def _describe(pattern: list[dict]) -> str:
    return " ".join(str(token) for token in pattern)
