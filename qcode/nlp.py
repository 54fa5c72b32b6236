"""spaCy pipelines. spaCy is imported only here, and only when a command needs it.

The default pipeline is `spacy.blank(lang)`: no model download is ever needed. Lemmas come
from the lookup tables of `spacy-lookups-data`, but not through spaCy's lemmatizer
component, which looks every token up one by one and runs at about a tenth of tokenizer
speed. `Annotator` caches the lemma of each vocabulary entry instead: per document it takes
the distinct token ids (numpy), looks up only the ones never seen before, and writes all
lemmas back in one `Doc.from_array` call. The lemma of a word is the table's entry for its
exact form, else for its lower-case form, else the lower-case form itself, so "Visitantes"
and "visitante" share the lemma `visitante`.

`--model NAME|PATH` loads an installed trained pipeline instead; its own lemmatizer (and
its tagger, parser, NER) then run as trained.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from .errors import InputError


@cache
def sentencizer(language: str):
    """A blank pipeline for `language` with a rule-based sentencizer (no model download)."""
    nlp = blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def blank(language: str):
    import spacy

    try:
        return spacy.blank(language)
    except (ImportError, KeyError, ValueError):  # a language spaCy has no tokenizer rules for
        return spacy.blank("xx")


@cache
def lemma_table(language: str):
    """The `lemma_lookup` table of spacy-lookups-data for `language`, or None."""
    from spacy.lookups import load_lookups

    try:
        return load_lookups(language, ["lemma_lookup"]).get_table("lemma_lookup")
    except (ValueError, KeyError, ImportError):
        return None


class Annotator:
    """Tokenises texts and gives every token a lemma, fast; see the module docstring."""

    def __init__(self, language: str, model: str | None = None):
        self.language = language
        self.model = model
        self.warnings: list[str] = []
        if model:
            self.nlp = load_model(model)
            self.table = None
            self.lemmatised = True
            return
        self.nlp = blank(language)
        self.table = lemma_table(language)
        self.lemmatised = self.table is not None
        if not self.lemmatised:
            self.warnings.append(f"no lemma tables for language '{language}'; patterns are "
                                 "matched on lower-case words only")
        self._cache: dict[int, int] = {}

    @property
    def vocab(self):
        return self.nlp.vocab

    def __call__(self, text: str):
        return next(self.pipe([text]))

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator:
        if self.model:
            yield from self.nlp.pipe(texts, batch_size=batch_size)
            return
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=batch_size):
            self._lemmatise(doc)
            yield doc

    def _lemmatise(self, doc) -> None:
        import numpy as np
        from spacy.attrs import LEMMA, ORTH

        if not len(doc):
            return
        orths = doc.to_array(ORTH)
        unique, inverse = np.unique(orths, return_inverse=True)
        cache_ = self._cache
        lemmas = np.fromiter((cache_.get(o) or self._lemma_of(o) for o in unique.tolist()),
                             dtype="uint64", count=len(unique))
        doc.from_array([LEMMA], lemmas[inverse].reshape(-1, 1))

    def _lemma_of(self, orth: int) -> int:
        lexeme = self.vocab[orth]
        lemma = None
        if self.table is not None:
            lemma = self.table.get(orth) or self.table.get(lexeme.lower)
        value = self.vocab.strings.add(lemma or lexeme.lower_)
        self._cache[orth] = value
        return value


def load_model(name: str):
    """An installed trained spaCy pipeline, by package name or path."""
    import spacy

    try:
        return spacy.load(name)
    except OSError:
        where = "folder" if Path(name).exists() else "package"
        raise InputError(f"--model {name}: no spaCy pipeline {where} by that name; install "
                         f"one with `pip install {name}` (or `python -m spacy download {name}` "
                         "where there is network), or give the path of a saved pipeline. "
                         "Without --model qcode uses blank pipelines with lookup lemmas") from None


def annotator(language: str, model: str | None = None) -> Annotator:
    """A cached Annotator per (language, model)."""
    return _annotator(language, model)


@cache
def _annotator(language: str, model: str | None) -> Annotator:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Annotator(language, model)
