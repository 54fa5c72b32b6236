"""spaCy pipelines. spaCy is imported only here, and only when a command needs it.

The default pipeline is `spacy.blank(lang)`: no model download is ever needed. Lemmas come
from the lookup tables of `spacy-lookups-data`, but not through spaCy's lemmatizer
component, which looks every token up one by one and runs at about a tenth of tokenizer
speed. `Annotator` writes all lemmas of a document at once: it takes the distinct word
forms of the document (numpy), looks them up in a `LemmaIndex` (sorted arrays of the
table's form hashes and lemma numbers, one `searchsorted`), and sets them with one
`Doc.from_array` call. The lemma of a word is the table's entry for its exact form, else for
its lower-case form, else the lower-case form itself, so "Visitantes" and "visitante"
share the lemma `visitante`.

Reading the table from spacy-lookups-data takes one to three seconds per process, so the
index is saved once per language and spacy-lookups-data version in the user's cache folder
(`$QCODE_CACHE_DIR`, else `$XDG_CACHE_HOME/qcode`, else `~/.cache/qcode`) and loaded from
there in milliseconds. A missing, unreadable or corrupt cache file is rebuilt from the
table; a folder qcode cannot write to only means the index is built in memory each time.

`--model NAME|PATH` loads an installed trained pipeline instead; its own lemmatizer (and
its tagger, parser, NER) then run as trained.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from contextlib import suppress
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


def cache_dir() -> Path:
    """Where qcode keeps rebuildable caches (never project data)."""
    if os.environ.get("QCODE_CACHE_DIR"):
        return Path(os.environ["QCODE_CACHE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "qcode" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "qcode"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qcode"


_INDEX_FORMAT = 1


class LemmaIndex:
    """A lookup table as arrays: `keys` (sorted form hashes) -> `lemma` (numbers into
    `names`, the distinct lemma strings) with their spaCy hashes in `hashes`."""

    def __init__(self, keys, lemma, names: list[str], hashes):
        import numpy as np

        self.keys, self.lemma, self.names, self.hashes = keys, lemma, names, hashes
        self.known = np.zeros(len(names), dtype=bool)  # names added to a StringStore

    @classmethod
    def from_table(cls, table) -> LemmaIndex:
        import numpy as np
        from spacy.strings import StringStore

        strings = StringStore()
        numbers: dict[str, int] = {}
        keys, lemma = [], []
        for key, value in table.items():
            if value:  # an empty entry falls through to the lower-case form, as before
                keys.append(key)
                lemma.append(numbers.setdefault(value, len(numbers)))
        keys_array = np.array(keys, dtype="uint64")
        order = np.argsort(keys_array, kind="stable")
        names = list(numbers)
        hashes = np.fromiter((strings.add(n) for n in names), dtype="uint64", count=len(names))
        return cls(keys_array[order], np.array(lemma, dtype="int32")[order], names, hashes)

    def save(self, path: Path) -> None:
        """Written to a temporary file and renamed, so a reader never sees half a file."""
        import numpy as np

        path.parent.mkdir(parents=True, exist_ok=True)
        blob = np.frombuffer("\0".join(self.names).encode("utf-8"), dtype="uint8")
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(file, keys=self.keys, lemma=self.lemma, names=blob, hashes=self.hashes)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> LemmaIndex:
        import numpy as np

        with np.load(path, allow_pickle=False) as data:
            names = data["names"].tobytes().decode("utf-8").split("\0")
            index = cls(data["keys"], data["lemma"], names, data["hashes"])
        if not (len(index.keys) == len(index.lemma) and len(names) == len(index.hashes)
                and (len(index.lemma) == 0 or int(index.lemma.max()) < len(names))):
            raise ValueError(f"{path}: inconsistent lemma index")
        return index

    def lookup(self, forms):
        """Lemma numbers of `forms` (hashes, a numpy array), -1 where the table has none."""
        import numpy as np

        if not len(self.keys):
            return np.full(len(forms), -1, dtype="int64")
        where = np.minimum(np.searchsorted(self.keys, forms), len(self.keys) - 1)
        return np.where(self.keys[where] == forms, self.lemma[where], -1)

    def hashes_of(self, numbers, strings):
        """spaCy hashes of lemma numbers, adding the strings not yet in `strings`."""
        import numpy as np

        fresh = np.unique(numbers[~self.known[numbers]])
        for number in fresh.tolist():
            strings.add(self.names[number])
        self.known[fresh] = True
        return self.hashes[numbers]


def _lookups_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spacy-lookups-data")
    except PackageNotFoundError:
        return "none"


@cache
def lemma_index(language: str) -> LemmaIndex | None:
    """The lemma index for `language`: from the cache folder, else built from the table
    (and saved there when possible); None when spacy-lookups-data has no table."""
    path = cache_dir() / "lemmas" / f"{language}-lookups-{_lookups_version()}-v{_INDEX_FORMAT}.npz"
    try:
        return LemmaIndex.load(path)
    except (OSError, ValueError, KeyError, UnicodeDecodeError, EOFError):
        pass  # missing or damaged: rebuild it
    table = lemma_table(language)
    if table is None:
        return None
    index = LemmaIndex.from_table(table)
    with suppress(OSError):  # a read-only home or cache folder: keep the index in memory
        index.save(path)
    return index


class Annotator:
    """Tokenises texts and gives every token a lemma, fast; see the module docstring."""

    def __init__(self, language: str, model: str | None = None):
        self.language = language
        self.model = model
        self.warnings: list[str] = []
        if model:
            self.nlp = load_model(model)
            self.index = None
            self.lemmatised = True
            return
        self.nlp = blank(language)
        self.index = lemma_index(language)
        self.lemmatised = self.index is not None
        if not self.lemmatised:
            self.warnings.append(f"no lemma tables for language '{language}'; patterns are "
                                 "matched on lower-case words only")

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
        from spacy.attrs import LEMMA, LOWER, ORTH

        if not len(doc):
            return
        forms = doc.to_array([ORTH, LOWER])
        unique, first, inverse = np.unique(forms[:, 0], return_index=True,
                                           return_inverse=True)
        lower = forms[first, 1]
        lemmas = lower.copy()  # no entry: the lower-case form itself
        if self.index is not None:
            number = self.index.lookup(unique)
            missing = number < 0
            number[missing] = self.index.lookup(lower[missing])
            found = number >= 0
            lemmas[found] = self.index.hashes_of(number[found], self.vocab.strings)
        doc.from_array([LEMMA], lemmas[inverse].reshape(-1, 1))


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
