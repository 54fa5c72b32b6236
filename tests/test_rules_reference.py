"""The compact rule matcher stores exactly the suggestions the old one did (issue 15)."""

import json

from qcode.nlp import annotator
from qcode.suggest.rules import _describe
from tests.conftest import write
from tests.reference_rules import reference_rows

# Phrases that match on lemma and on lower case at once (one hit kept), two codes on the same
# words, and a token pattern with a wildcard that runs from one speaker turn into the next.
CODEBOOK = """\
languages: [es]
codes:
  - id: visitas
    name: Visitors
    patterns: {es: [visitante, "día de visita", [{LOWER: visita}, {OP: "*"}, {LEMMA: celular}]]}
  - id: celular
    name: Phones
    patterns: {es: [celular, "los celulares", [{LEMMA: traer}, {OP: "?"}, {LEMMA: celular}]]}
"""
TEXT = """\
E: ¿Cómo entran los celulares el día de visita?
R: Las visitantes traen celulares. Las Visitantes, los VISITANTES. Una visita trae
E: ¿qué?
R: el celular. Celulares y celular.
"""


def stored_rows(project, language):
    rows = project.conn.execute("""
        SELECT g.segment_id, g.code_id, g.score, g.evidence, k.patterns FROM suggestion g
        JOIN code k ON k.id = g.code_id JOIN segment s ON s.id = g.segment_id
        JOIN document d ON d.id = s.document_id
        WHERE g.method = 'rules' AND d.language = ?""", (language,)).fetchall()
    out = []
    for segment_id, code, score, evidence, patterns in rows:
        mine = json.loads(patterns)[language]
        described = [(start, end, p if isinstance(p := mine[n], str) else _describe(p))
                     for start, end, n in json.loads(evidence)]
        out.append((segment_id, code, score, described))
    return sorted(out)


def codes_of(project):
    return [(r["id"], json.loads(r["patterns"])) for r in project.conn.execute(
        "SELECT id, patterns FROM code ORDER BY position")]


def test_same_suggestions_as_the_reference_matcher_on_the_samples(sample_project):
    sample_project.suggest(method="rules")
    codes = codes_of(sample_project)
    for language in ("es", "en"):
        expected = reference_rows(sample_project.conn, codes, annotator(language))
        assert len(expected) > 20
        assert stored_rows(sample_project, language) == expected


def test_same_suggestions_on_crafted_edge_cases_and_with_two_jobs(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", TEXT)])
    project.suggest(method="rules", jobs=2)
    expected = reference_rows(project.conn, codes_of(project), annotator("es"))
    got = stored_rows(project, "es")
    assert got == expected
    # the wildcard hit "visita trae\nE: ¿qué?\nR: el celular" reaches from turn 2 into 3 and 4
    spanning = {segment for segment, code, _, evidence in got
                if any(TEXT[s:e].startswith("visita trae") for s, e, _ in evidence)}
    assert len(spanning) == 3
