"""Building spaCy pipelines. spaCy is imported only here, and only when a command needs it."""

from __future__ import annotations

from functools import cache


@cache
def sentencizer(language: str):
    """A blank pipeline for `language` with a rule-based sentencizer (no model download)."""
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):  # a language spaCy has no tokenizer rules for
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp
