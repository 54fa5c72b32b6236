"""Lemmas from the cached lookup and rule matching."""

import pytest

from qcode import CodebookError
from qcode.nlp import Annotator, annotator
from qcode.suggest.rules import RuleMatcher
from tests.conftest import SAMPLES


def test_cached_lemmas_fold_case_and_inflection():
    """(spacy-lookups-data gives "lo" for "Los": the lemmas are the table's, as they are.)"""
    nlp = annotator("es")
    doc = nlp("Los Visitantes traen celulares; VISITANTE.")
    assert [t.lemma_ for t in doc] == ["lo", "visitante", "traer", "celular", ";", "visitante",
                                       "."]


def test_cached_lemmas_agree_with_spacys_lookup_lemmatizer():
    """On lower-cased text our lemmas are exactly spaCy's lookup lemmatizer's: nothing lost."""
    import spacy

    reference = spacy.blank("es")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    text = (SAMPLES / "guardia_lurigancho_2016.txt").read_text("utf-8").lower()
    ours = [t.lemma_ for t in annotator("es")(text)]
    theirs = [t.lemma_ for t in reference(text)]
    assert len(ours) > 1000
    assert ours == [lemma.lower() for lemma in theirs]


def test_language_without_tables_warns_and_uses_lower_case():
    nlp = Annotator("qu")  # Quechua: no spaCy rules, no lookup tables
    assert not nlp.lemmatised
    assert nlp.warnings == ["no lemma tables for language 'qu'; patterns are matched on "
                            "lower-case words only"]
    matcher = RuleMatcher([("c", {"qu": ["Wasi"]})], nlp)
    assert [(h.code, h.text) for h in matcher.hits(nlp("hatun WASI kan"))] == [("c", "WASI")]


def test_phrases_match_lemmas_and_lower_case_token_patterns_as_written():
    nlp = annotator("es")
    codes = [
        ("route.visitors", {"es": ["visitante", "día de visita"], "en": ["visitor"]}),
        ("route.staff", {"es": [[{"LEMMA": "meter"}, {"LOWER": {"IN": ["el", "los"]}, "OP": "?"},
                                 {"LEMMA": "celular"}]]}),
    ]
    matcher = RuleMatcher(codes, nlp)
    text = "Los días de visita, las Visitantes meten los celulares. Visitor no cuenta."
    hits = matcher.hits(nlp(text))
    assert [(h.code, h.text, h.start, h.end) for h in hits] == [
        ("route.visitors", "días de visita", 4, 18),
        ("route.visitors", "Visitantes", 24, 34),
        ("route.staff", "meten los celulares", 35, 54),
    ]
    assert all(text[h.start:h.end] == h.text for h in hits)


def test_pattern_spacy_rejects_names_code_and_pattern():
    with pytest.raises(CodebookError, match=r"code 'route.staff', es pattern 1 .*: spaCy "
                                            r"rejects it"):
        RuleMatcher([("route.staff", {"es": [[{"LEMMA": {"IN": "meter"}}]]})], annotator("es"))


def test_saved_trained_pipeline_is_used_with_model(tmp_path):
    import spacy

    nlp = spacy.blank("es")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.to_disk(tmp_path / "pipeline")
    loaded = Annotator("es", model=str(tmp_path / "pipeline"))
    assert loaded.nlp.pipe_names == ["lemmatizer"]
    matcher = RuleMatcher([("c", {"es": ["visitante"]})], loaded)
    assert [h.text for h in matcher.hits(loaded("las visitantes"))] == ["visitantes"]


def test_missing_model_says_how_to_install():
    from qcode import InputError

    with pytest.raises(InputError, match=r"--model es_core_news_sm: no spaCy pipeline package "
                                         r"by that name; install one with `pip install "
                                         r"es_core_news_sm`"):
        Annotator("es", model="es_core_news_sm")


def test_lemma_index_is_cached_on_disk_reused_and_rebuilt_when_damaged(tmp_path, monkeypatch):
    import numpy as np

    from qcode import nlp

    monkeypatch.setenv("QCODE_CACHE_DIR", str(tmp_path / "cache"))
    build = nlp.lemma_index.__wrapped__  # past the per-process memo
    first = build("es")
    [saved] = (tmp_path / "cache" / "lemmas").glob("es-lookups-*-v1.npz")
    table = nlp.lemma_table("es")
    assert len(first.keys) == sum(1 for value in table.values() if value)

    def no_table(language):
        raise AssertionError("the table was read although the cache file is there")

    monkeypatch.setattr(nlp, "lemma_table", no_table)
    again = build("es")
    assert np.array_equal(again.keys, first.keys) and again.names == first.names
    monkeypatch.undo()
    monkeypatch.setenv("QCODE_CACHE_DIR", str(tmp_path / "cache"))
    saved.write_bytes(b"not an npz file")
    rebuilt = build("es")
    assert np.array_equal(rebuilt.keys, first.keys)
    assert nlp.LemmaIndex.load(saved).names == first.names  # written again, whole


def test_lemma_index_without_a_writable_cache_folder_is_built_in_memory(tmp_path, monkeypatch):
    import numpy as np

    from qcode import nlp

    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be created below a file")
    monkeypatch.setenv("QCODE_CACHE_DIR", str(blocker / "cache"))
    index = nlp.lemma_index.__wrapped__("es")
    assert index is not None and len(index.keys) > 100_000
    visitantes = nlp.blank("es").vocab.strings.add("visitantes")
    [number] = index.lookup(np.array([visitantes], dtype="uint64")).tolist()
    assert index.names[number] == "visitante"
