"""Every documented option the earlier tests left untested: each test here fails if its
option were ignored (the result with the option differs from the result without it)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from qcode import Project
from qcode.errors import InputError
from tests.conftest import run, write

CODEBOOK = """\
languages: [es]
codes:
  - {id: x, name: X}
  - {id: y, name: Y}
  - {id: z, name: Z}
"""
# Both documents: 1 "uno." [3, 7)  2 "dos dos." [11, 19)  3 "tres tres tres." [23, 38)
# 4 "cuatro." [42, 49); 50 characters.
TURNS = "E: uno.\nR: dos dos.\nE: tres tres tres.\nR: cuatro.\n"


@pytest.fixture
def study(project, tmp_path):
    """Documents 'a' and 'b'; ana and ben code both.

    x: ana a#1 a#2 b#4, ben a#2 b#4      y: ana a#3, ben a#3 b#1       z: nobody
    """
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", TURNS),
                          write(tmp_path / "b.txt", TURNS.replace("uno", "one"))])
    for coder, doc, segments, code in (("ana", "a", [1, 2], "x"), ("ana", "b", [4], "x"),
                                       ("ben", "a", [2], "x"), ("ben", "b", [4], "x"),
                                       ("ana", "a", [3], "y"), ("ben", "a", [3], "y"),
                                       ("ben", "b", [1], "y")):
        project.code(doc, segments, [code], coder=coder)
    return project


def cli(project: Project, *args: str, input: str | None = None):
    result = run(*args, env={"QCODE_PROJECT": str(project.path)}, input=input)
    assert result.exit_code == 0, result.output
    return result


def csv_rows(text: str) -> list[dict]:
    """CSV rows; a matrix's first header names its unit ('code (segments)'): read as 'code'."""
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{("code" if k.startswith("code (") else k): v for k, v in r.items()} for r in rows]


# -- global options ---------------------------------------------------------------------------


def test_quiet_keeps_data_and_drops_messages(study, tmp_path):
    loud = cli(study, "code", "a", "4", "z")
    assert loud.stderr.startswith("coded segment 4 of a with z")
    quiet = cli(study, "--quiet", "code", "b", "4", "z")
    assert quiet.stderr == "" and quiet.stdout == ""
    # ana: x a#1 a#2 b#4, y a#3, and z a#4 b#4 just now: a header and 6 rows
    assert cli(study, "-q", "codings", "export", "--coder", "ana").stdout.count("\n") == 1 + 6


# -- code / uncode: segment ranges and lists --------------------------------------------------


def test_code_range_and_uncode_list_from_the_command_line(study):
    cli(study, "code", "a", "1-3", "z", "--coder", "cy", "--memo", "tres")
    got = [(r["segment"], r["memo"]) for r in study.codings("cy")]
    assert got == [(1, "tres"), (2, "tres"), (3, "tres")]
    cli(study, "uncode", "a", "1,3", "z", "--coder", "cy")
    assert [r["segment"] for r in study.codings("cy")] == [2]
    # --exact keeps the span to the last character; without it the final newline is trimmed
    cli(study, "code", "a", "z", "--span", "0:50", "--exact", "--coder", "cy")
    assert [(r["start"], r["end"]) for r in study.codings("cy")] == [(0, 50), (11, 19)]
    cli(study, "uncode", "a", "z", "--span", "0:50", "--exact", "--coder", "cy")
    assert study.codings("cy") == []  # the segment coding inside the span went with it
    cli(study, "code", "a", "z", "--span", "0:50", "--coder", "cy")
    assert [(r["start"], r["end"]) for r in study.codings("cy")] == [(0, 49)]


# -- import: --segment, --encoding, --as, --lang ----------------------------------------------


def test_import_segment_modes(project, tmp_path):
    """Two turns, three sentences in the first turn's line, a blank line before the third
    turn: turns 3, paragraphs 2 (split at the blank line), sentences 5."""
    text = "E: Hola. ¿Cómo está? Bien.\nR: Bien. Gracias.\n\nE: Otra cosa.\n"
    counts = {}
    for mode in ("turn", "paragraph", "sentence"):
        path = write(tmp_path / f"{mode}.txt", text.replace("Otra", f"Otra {mode}"))
        cli(project, "import", path, "--segment", mode)
        counts[mode] = len(project.document(mode)["segments"])
    assert counts == {"turn": 3, "paragraph": 2, "sentence": 6}


def test_import_encoding_as_and_lang(project, tmp_path):
    raw = write(tmp_path / "l.txt", "R: Señor, aquí.\n".encode("latin-1"))
    failed = run("import", raw, "--encoding", "utf-8", env={"QCODE_PROJECT": str(project.path)})
    assert failed.exit_code != 0 and "byte 0xf1 is not valid utf-8" in failed.stderr
    cli(project, "import", raw, "--encoding", "latin-1", "--as", "entrevista", "--lang", "en")
    [document] = project.documents()
    assert (document["name"], document["language"]) == ("entrevista", "en")
    assert "Señor, aquí." in project.document("entrevista")["segments"][0]["text"]


# -- config -------------------------------------------------------------------------------


def test_config_language_and_model_are_used(project, tmp_path):
    cli(project, "config", "language", "en")
    assert cli(project, "config", "language").stdout.strip() == "en"
    project.import_files([write(tmp_path / "t.txt", "R: Hello there.\n")])
    assert project.documents()[0]["language"] == "en"  # the new default applies
    assert cli(project, "config", "model").stdout.strip() == ""
    cli(project, "config", "model", "xx_no_such_pipeline")
    assert project.setting("model") == "xx_no_such_pipeline"
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK.replace("es]", "es, en]")))
    from qcode.errors import QcodeError

    with pytest.raises(QcodeError, match="xx_no_such_pipeline"):  # the setting is used
        project.suggest(method="rules")


# -- agree ----------------------------------------------------------------------------------


def test_agree_docs_and_codes_select(study):
    """--docs 'a' keeps 4 units per code; --codes 'y' keeps the y row (and the pooled and
    mean rows, computed over y alone)."""
    rows = csv_rows(cli(study, "agree", "--docs", "a", "--format", "csv").stdout)
    assert {r["code"]: r["units"] for r in rows}["x"] == "4"
    everything = csv_rows(cli(study, "agree", "--format", "csv").stdout)
    assert {r["code"]: r["units"] for r in everything}["x"] == "8"
    only_y = csv_rows(cli(study, "agree", "--codes", "y", "--format", "csv").stdout)
    assert [r["code"] for r in only_y] == ["y", "overall (pooled)", "mean of 1 codes"]
    assert only_y[1]["alpha"] == only_y[0]["alpha"]
    # y over 8 units: ana 0,0,1,0,0,0,0,0, ben 0,0,1,0,1,0,0,0: one disagreeing unit;
    # D_o = 2/16, D_e = 2*3*13/(16*15) -> alpha = 1 - .125/.325 = .615
    assert float(only_y[0]["alpha"]) == pytest.approx(1 - 0.125 / 0.325)  # full precision


def test_agree_metrics_subset_and_markdown(study):
    md = cli(study, "agree", "--metrics", "kappa,ac1", "--format", "md").stdout.splitlines()
    assert md[0] == "| code | ana | ben | κ | AC1 | reading |"   # rounded for reading
    assert md[1].startswith("|") and set(md[1]) <= {"|", "-", ":", " "}
    assert md[2].startswith("| x | 3 | 2 | 0.714 |")
    header = csv_rows(cli(study, "agree", "--metrics", "percent", "--format", "csv").stdout)[0]
    assert list(header) == ["code", "units", "uses_ana", "uses_ben", "percent", "reading",
                            "flags"]


def test_agree_overlap_and_threshold_from_the_command_line(study):
    """ben codes x on a [15, 38): half of segment 2 (4/8), all of segment 3. At the default
    .5 segment 2 counts for ben (he coded it already); at .9 only segment 3 gains a 1."""
    study.code("a", None, ["z"], span=(15, 38), coder="ben")
    study.code("a", [3], ["z"], coder="ana")

    def z_uses(*options):
        rows = csv_rows(cli(study, "agree", "--format", "csv", *options).stdout)
        return {r["code"]: (r["uses_ana"], r["uses_ben"]) for r in rows}["z"]

    assert z_uses() == ("1", "2") and z_uses("--overlap", "0.9") == ("1", "1")
    # x alpha .727 (test_agreement): flagged below .8, not below .7
    flags = {r["code"]: r["flags"] for r in csv_rows(
        cli(study, "agree", "--format", "csv", "--threshold", "0.8").stdout)}
    assert flags["x"].startswith("below 0.800")
    flags = {r["code"]: r["flags"] for r in csv_rows(
        cli(study, "agree", "--format", "csv", "--threshold", "0.7").stdout)}
    assert "below" not in flags["x"]


def test_disagreements_docs_and_overlap(study):
    rows = json.loads(cli(study, "disagreements", "--format", "json").stdout)
    # x: a#1 ana only; y: b#1 ben only
    assert [(r["document"], r["segment"], r["code"]) for r in rows] == [
        ("a", 1, "x"), ("b", 1, "y")]
    only_b = json.loads(cli(study, "disagreements", "--docs", "b", "--format", "json").stdout)
    assert [(r["document"], r["segment"]) for r in only_b] == [("b", 1)]
    study.code("a", None, ["z"], span=(15, 38), coder="ben")
    study.code("a", [2, 3], ["z"], coder="ana")
    loose = json.loads(cli(study, "disagreements", "--code", "z", "--format", "json").stdout)
    strict = json.loads(cli(study, "disagreements", "--code", "z", "--overlap", "0.9",
                            "--format", "json").stdout)
    assert loose == [] and [(r["segment"], r["not_by"]) for r in strict] == [(2, "ben")]


# -- exports -------------------------------------------------------------------------------


def test_matrix_docs_codes_and_coder(study):
    rows = csv_rows(cli(study, "export", "matrix", "--docs", "b", "--codes", "x*").stdout)
    # x in b: a#4 by ana and ben = 1 distinct segment
    assert [(r["code"], r["b"], r["Total"]) for r in rows] == [("x", "1", "1"),
                                                               ("Total", "1", "1")]
    ben = csv_rows(cli(study, "export", "matrix", "--coder", "ben").stdout)
    # ben: x a#2 b#4; y a#3 b#1
    assert {r["code"]: (r["a"], r["b"]) for r in ben}["y"] == ("1", "1")
    ana = csv_rows(cli(study, "export", "matrix", "--coder", "ana").stdout)
    assert {r["code"]: (r["a"], r["b"]) for r in ana}["y"] == ("1", "0")


def test_cooccurrence_jaccard_docs_and_unit(study):
    """Segments with x: a#1 a#2 b#4; with y: a#3 b#1: none shared -> Jaccard 0.
    Documents with x: a, b; with y: a, b -> Jaccard 2/2 = 1. Only 'a': x {a#1, a#2},
    y {a#3}."""
    counts = csv_rows(cli(study, "export", "cooccurrence", "--all").stdout)
    assert {r["code"]: r["x"] for r in counts} == {"x": "3", "y": "0", "z": "0"}
    used = csv_rows(cli(study, "export", "cooccurrence").stdout)   # z, never used, left out
    assert {r["code"]: r["x"] for r in used} == {"x": "3", "y": "0"}
    jaccard = csv_rows(cli(study, "export", "cooccurrence", "--unit", "document",
                           "--jaccard", "--all").stdout)
    assert {r["code"]: r["y"] for r in jaccard} == {"x": "1.0", "y": "1.0", "z": "0.0"}
    by_document = csv_rows(cli(study, "export", "cooccurrence", "--unit", "document",
                               "--all").stdout)
    assert {r["code"]: r["y"] for r in by_document} == {"x": "2", "y": "2", "z": "0"}
    only_a = csv_rows(cli(study, "export", "cooccurrence", "--docs", "a", "--codes",
                          "[xy]").stdout)
    assert {r["code"]: (r["x"], r["y"]) for r in only_a} == {"x": ("2", "0"), "y": ("0", "1")}


def test_codings_export_coder_and_out(study, tmp_path):
    cli(study, "codings", "export", "--coder", "ben", "--out", tmp_path / "ben.csv")
    rows = csv_rows((tmp_path / "ben.csv").read_text(encoding="utf-8"))
    # ben: x a#2 b#4, y a#3 b#1 -> 4 rows, all his
    assert len(rows) == 4 and {r["coder"] for r in rows} == {"ben"}
    cli(study, "codings", "export", "--out", tmp_path / "all.json")
    everything = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(everything) == 4 + 4 and {r["coder"] for r in everything} == {"ana", "ben"}


def test_heatmap_labels_follow_the_options(study, tmp_path):
    """matplotlib's SVG keeps each text as a comment: the row and column labels are the
    matrix's, without its totals; --codes drops z, --docs drops b."""
    def labels(path):
        svg = path.read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<?xml") and svg.rstrip().endswith("</svg>")
        return set(re.findall(r"<!-- (.*?) -->", svg))

    cli(study, "export", "heatmap", "--out", tmp_path / "all.svg")
    assert {"x", "y", "z", "a", "b"} <= labels(tmp_path / "all.svg")
    assert "Total" not in labels(tmp_path / "all.svg")
    cli(study, "export", "heatmap", "--out", tmp_path / "h.svg", "--codes", "[xy]", "--docs",
        "a")
    found = labels(tmp_path / "h.svg")
    assert {"x", "y", "a"} <= found and not {"z", "b", "Total"} & found
    cli(study, "export", "heatmap", "--out", tmp_path / "c.svg", "--by", "coder")
    assert {"ana", "ben"} <= labels(tmp_path / "c.svg")


# -- merge ----------------------------------------------------------------------------------


def test_merge_brings_decisions_and_matches_documents_by_text(tmp_path):
    """ben's copy names the documents differently; his codings and suggestion decisions
    land on ana's documents with the same text."""
    cb = write(tmp_path / "cb.yaml", CODEBOOK.replace(
        "{id: x, name: X}", "{id: x, name: X, patterns: {es: [dos]}}"))
    texts = {"a": TURNS, "b": TURNS.replace("uno", "one")}
    copies = {}
    for coder, names in (("ana", {"a": "a", "b": "b"}), ("ben", {"a": "A_ben", "b": "B_ben"})):
        project = Project.init(tmp_path / coder, coder=coder)
        project.load_codebook(cb)
        project.import_files([write(tmp_path / coder / "in" / f"{names[k]}.txt", v)
                              for k, v in texts.items()])
        copies[coder] = project
    ana, ben = copies["ana"], copies["ben"]
    ben.code("A_ben", [1], ["y"])
    ben.suggest(method="rules")  # 'dos' in segment 2 of each document
    decided = {r["document"]: r["id"] for r in ben.suggestions()}
    ben.decide([decided["A_ben"]], accept=True)
    ben.decide([decided["B_ben"]], accept=False)
    ben.close()
    result = cli(ana, "merge", tmp_path / "ben", "--coder-map", "ben=benito")
    assert "2 suggestion decisions" in result.stderr
    assert {(r["document"], r["segment"], r["code"], r["coder"]) for r in ana.codings()} == {
        ("a", 1, "y", "benito"), ("a", 2, "x", "benito")}  # accepting codes it
    statuses = {(r["document"], r["status"]) for r in ana.suggestions()}
    assert statuses == {("a", "accepted"), ("b", "rejected")}


# -- suggest options --------------------------------------------------------------------------

SUGGEST_CODEBOOK = """\
languages: [es]
codes:
  - id: visitas
    name: Visitors
    patterns: {es: [visitante]}
  - id: sueldo
    name: Pay
  - id: patio
    name: Yard
    patterns: {es: [patio]}
  - id: nada
    name: Nothing
    patterns: {es: [helicóptero]}
"""


@pytest.fixture
def learnable(project, tmp_path):
    """Six documents of 9 turns: turns 1, 4, 7 speak of visitors, 2, 5, 8 of pay.
    ana codes visitas and sueldo everywhere; ben codes only visitas, in d0 and d1."""
    project.load_codebook(write(tmp_path / "cb.yaml", SUGGEST_CODEBOOK))
    for number in range(6):
        turns = []
        for turn in range(9):
            kind = turn % 3
            turns.append(f"R: Las visitantes traen teléfonos, {number} {turn}." if kind == 0
                         else f"R: El sueldo del agente es bajo, {number} {turn}." if kind == 1
                         else f"E: Pregunta sobre el patio, {number} {turn}.")
        write(tmp_path / "docs" / f"d{number}.txt", "\n".join(turns))
    project.import_files([tmp_path / "docs"])
    for number in range(6):
        project.code(f"d{number}", [1, 4, 7], ["visitas"], coder="ana")
        project.code(f"d{number}", [2, 5, 8], ["sueldo"], coder="ana")
    for number in (0, 1):
        project.code(f"d{number}", [1, 4, 7], ["visitas"], coder="ben")
    return project


def test_suggest_method_all_min_score_and_min_positives(learnable):
    """--method all stores both kinds. --min-score 1.0 keeps no model suggestion (a
    calibrated probability is below 1); --min-positives 19 trains nothing: each code has
    18 coded segments (6 documents x 3)."""
    cli(learnable, "suggest", "run", "--method", "all")
    methods = {r["method"] for r in learnable.suggestions()}
    assert methods == {"rules", "model"}
    learnable.conn.execute("DELETE FROM suggestion")
    cli(learnable, "suggest", "run", "--method", "model", "--min-score", "1.0")
    assert learnable.suggestions() == []
    learnable.conn.execute("DELETE FROM suggestion")
    cli(learnable, "suggest", "run", "--method", "model", "--min-score", "0.0")
    assert {r["code"] for r in learnable.suggestions()} == {"visitas", "sueldo"}
    result = cli(learnable, "suggest", "train", "--min-positives", "19")
    assert "0 codes" in result.stderr and "visitas (18)" in result.stderr
    result = cli(learnable, "suggest", "train", "--min-positives", "18")
    assert "2 codes" in result.stderr


def test_min_positives_below_one_is_refused(project):
    """A code needs at least one coded segment to be learnt: 0 and -1 are refused in one line
    (0 used to mean the default, and -1 went through)."""
    for bad in (0, -1):
        with pytest.raises(InputError, match=rf"^--min-positives {bad}: use a whole number of 1 "
                                             r"or more \(default 5\)$"):
            project.train(min_positives=bad)
        with pytest.raises(InputError, match=rf"^--min-positives {bad}: "):
            project.evaluate_suggestions(min_positives=bad)


def test_train_and_evaluate_with_a_coder(learnable):
    """ben coded 6 segments (visitas in d0, d1): trained from him, only visitas has enough
    (6 >= 5); evaluated against him, only his 2 documents count, 18 segments (9 each)."""
    trained = cli(learnable, "suggest", "train", "--coder", "ben")
    assert "1 codes from 18 labelled segments in 2 documents" in trained.stderr
    everyone = cli(learnable, "suggest", "train")
    assert "2 codes from 54 labelled segments in 6 documents" in everyone.stderr
    rows = json.loads(cli(learnable, "suggest", "evaluate", "--coder", "ben", "--folds", "2",
                          "--format", "json").stdout)
    visitas = next(r for r in rows if r["code"] == "visitas")
    # rules hit visitas' 3 turns in each of ben's 2 documents: tp 6, no fp, no fn
    assert (visitas["segments"], visitas["positives"]) == (18, 6)
    assert (visitas["rules_tp"], visitas["rules_fp"], visitas["rules_fn"]) == (6, 0, 0)


def test_evaluate_min_score_changes_model_predictions(learnable):
    def model_counts(score: str) -> tuple[int, int]:
        rows = json.loads(cli(learnable, "suggest", "evaluate", "--folds", "3", "--min-score",
                              score, "--format", "json").stdout)
        micro = next(r for r in rows if r["code"] == "micro")
        return micro["model_tp"], micro["model_fp"]

    # labelled rows: one per (segment, coder): ana's 54 and ben's 18 (d0, d1) = 72.
    # positives: visitas 18 (ana) + 6 (ben), sueldo 18 (ana) = 42; at 0 the model predicts
    # both trained codes on every row: 144 predictions, 42 of them right
    assert model_counts("0") == (42, 144 - 42)
    assert model_counts("1") == (0, 0)


def test_a_test_document_is_never_seen_in_training(learnable, monkeypatch):
    """Every fold's training documents and test documents are disjoint, and every document
    is tested once."""
    from qcode.suggest import model as learning

    seen: list[tuple[set, set]] = []
    real_fit = learning.fit
    every = {r[0] for r in learnable.conn.execute("SELECT id FROM document")}

    def spy(subset, *args, **kwargs):
        seen.append((set(subset.document_ids), every - set(subset.document_ids)))
        return real_fit(subset, *args, **kwargs)

    monkeypatch.setattr(learning, "fit", spy)
    learnable.evaluate_suggestions(folds=3)
    assert len(seen) == 3
    tested = [held_out for _, held_out in seen]
    assert all(not (trained & held_out) for trained, held_out in seen)
    assert sorted(d for held_out in tested for d in held_out) == sorted(every)


# -- the remaining options of agree, report, codebook, suggestions and exports ---------------

TREE = """\
languages: [es]
codes:
  - id: route
    name: Routes
    definition: How phones get in.
    children:
      - {id: route.visitors, name: Visitors, patterns: {es: [dos]}}
      - {id: route.staff, name: Staff}
  - {id: other, name: Other}
"""


@pytest.fixture
def tree(project, tmp_path):
    """route.visitors on a#1 a#2 (ana), route.staff on a#2 (ben) and a span [11, 23) over
    a#2 and the gap (ana), other on b#1 (ben)."""
    project.load_codebook(write(tmp_path / "tree.yaml", TREE))
    project.import_files([write(tmp_path / "a.txt", TURNS),
                          write(tmp_path / "b.txt", TURNS.replace("uno", "one"))])
    project.code("a", [1, 2], ["route.visitors"], coder="ana")
    project.code("a", [2], ["route.staff"], coder="ben")
    project.code("a", None, ["route.staff"], span=(11, 23), coder="ana")
    project.code("b", [1], ["other"], coder="ben")
    return project


def test_matrix_count_level_labels_and_children(tree):
    def matrix(*options):
        return {r["code"]: r for r in csv_rows(cli(tree, "export", "matrix", *options).stdout)}

    # segments: route.staff a#2 (ben's segment and ana's span both reach only a#2) -> 1;
    # codings: 2; words: "dos dos." -> 2 words (ana's span adds no new word: [19, 23) lies
    # in the gap and "tres" starts at 23)
    assert matrix()["route.staff"]["a"] == "1"
    assert matrix("--count", "codings")["route.staff"]["a"] == "2"
    assert matrix("--count", "words")["route.staff"]["a"] == "2"
    assert matrix("--count", "presence")["route.visitors"]["a"] == "1"
    # level 1: route counts its children's distinct segments a#1, a#2 -> 2
    level = matrix("--level", "1")
    assert set(level) == {"route", "other", "Total"} and level["route"]["a"] == "2"
    assert matrix("--include-children")["route"]["a"] == "2"
    assert "Routes > Staff" in matrix("--labels", "path")
    assert "Visitors" in matrix("--labels", "name")
    percent = matrix("--percent", "column")
    assert percent["route.visitors"]["a"] != matrix()["route.visitors"]["a"]


def test_heatmap_count_level_and_labels(tree, tmp_path):
    cli(tree, "export", "heatmap", "--out", tmp_path / "h.svg", "--level", "1", "--labels",
        "name", "--count", "codings")
    svg = (tmp_path / "h.svg").read_text(encoding="utf-8")
    found = set(re.findall(r"<!-- (.*?) -->", svg))
    assert {"Routes", "Other", "codings"} <= found and "Visitors" not in found
    cli(tree, "export", "heatmap", "--out", tmp_path / "c.svg", "--include-children")
    assert "route.staff" in (tmp_path / "c.svg").read_text(encoding="utf-8")


def test_quotes_docs_and_coder(tree):
    rows = csv_rows(cli(tree, "export", "quotes", "--format", "csv", "--docs", "b").stdout)
    assert [(r["document"], r["code"]) for r in rows] == [("b", "other")]
    ana = csv_rows(cli(tree, "export", "quotes", "--format", "csv", "--coder", "ana").stdout)
    assert {r["coder"] for r in ana} == {"ana"} and len(ana) == 3


def test_report_coder(tree, tmp_path):
    cli(tree, "report", tmp_path / "ben", "--coder", "ben")
    rows = csv_rows((tmp_path / "ben" / "matrix_by_document.csv").read_text(encoding="utf-8"))
    # ben: route.staff a#2, other b#1; ana's route.visitors is left out
    assert {r["code"]: r["Total"] for r in rows}["route.visitors"] == "0"
    cli(tree, "report", tmp_path / "all")
    rows = csv_rows((tmp_path / "all" / "matrix_by_document.csv").read_text(encoding="utf-8"))
    assert {r["code"]: r["Total"] for r in rows}["route.visitors"] == "2"


def test_codebook_load_force_and_show_definitions(tree, tmp_path):
    shown = cli(tree, "codebook", "show").stdout
    assert "How phones get in." in shown
    assert "How phones get in." not in cli(tree, "codebook", "show", "--no-definitions").stdout
    smaller = write(tmp_path / "smaller.yaml", TREE.replace(
        "  - {id: other, name: Other}\n", ""))
    refused = run("codebook", "load", smaller, env={"QCODE_PROJECT": str(tree.path)})
    assert refused.exit_code != 0 and "other" in refused.stderr
    cli(tree, "codebook", "load", smaller, "--force")
    assert "other" not in {c["id"] for c in tree.codes()}


def test_suggestions_status_format_and_model(tree):
    cli(tree, "suggest", "run", "--method", "rules")  # 'dos' in segment 2 of a and b
    listed = json.loads(cli(tree, "suggestions", "list", "--all-coders", "--format",
                            "json").stdout)
    assert [(r["document"], r["segment"]) for r in listed] == [("a", 2), ("b", 2)]
    # without --all-coders, ana (the project's coder) does not see a#2: she coded it
    mine = json.loads(cli(tree, "suggestions", "list", "--format", "json").stdout)
    assert [(r["document"], r["segment"]) for r in mine] == [("b", 2)]
    cli(tree, "suggestions", "accept", str(listed[0]["id"]), "--coder", "cy")
    accepted = csv_rows(cli(tree, "suggestions", "list", "--status", "accepted",
                            "--all-coders", "--format", "csv").stdout)
    assert [r["document"] for r in accepted] == ["a"]
    pending = csv_rows(cli(tree, "suggestions", "list", "--status", "pending", "--all-coders",
                           "--format", "csv").stdout)
    assert [r["document"] for r in pending] == ["b"]
    assert [r["coder"] for r in tree.codings("cy")] == ["cy"]
    missing = run("suggest", "run", "--method", "rules", "--model", "xx_no_such_pipeline",
                  env={"QCODE_PROJECT": str(tree.path)})
    assert missing.exit_code != 0 and "xx_no_such_pipeline" in missing.stderr


def test_agree_ratings_level(tmp_path):
    """Values 1, 2, 3 on two units: (1, 2) and (1, 3). Nominal alpha = -0.2 and interval
    alpha = -4/11 (worked in test_boundaries)."""
    path = write(tmp_path / "r.csv", "a,b\n1,2\n1,3\n")
    nominal = csv_rows(run("agree", "--ratings", path, "--format", "csv").stdout)[0]
    interval = csv_rows(run("agree", "--ratings", path, "--level", "interval", "--format",
                            "csv").stdout)[0]
    assert float(nominal["alpha"]) == pytest.approx(-0.2)
    assert float(interval["alpha"]) == pytest.approx(-4 / 11)


def test_evaluation_rows_worked_by_hand(learnable):
    """Rules against every coder's labels: one row per (segment, coder who labelled it):
    ana labels 54 segments (6 documents x 9 turns), ben 18 (d0, d1), 72 rows on 54 segments.
    visitas: its pattern hits the visitor turns, all coded: ana 18 + ben 6 = tp 24 -> 1, 1, 1.
    sueldo: no pattern; ana coded 18, ben none: fn 18, precision undefined, recall 0.
    patio: hits the question turns, never coded: ana 18 + ben 6 = fp 24, precision 0.
    nada: no hit and never coded: no row.
    micro: tp 24, fp 24, fn 18 -> precision .5, recall 24/42, F1 2PR/(P+R) = 48/90.
    macro (codes with positives: visitas, sueldo; undefined values left out):
    precision 1, recall (1 + 0)/2 = .5, F1 1."""
    result = learnable.evaluate_suggestions(folds=10)
    assert (result.folds, result.documents, result.segments) == (6, 6, 54)  # folds <= docs
    rows = {r["code"]: r for r in result.rows}
    assert list(rows) == ["visitas", "sueldo", "patio", "micro", "macro"]

    def rules(code):
        return tuple(rows[code][f"rules_{m}"] for m in ("tp", "fp", "fn", "precision",
                                                         "recall", "f1"))

    assert rules("visitas") == (24, 0, 0, 1.0, 1.0, 1.0)
    assert rules("sueldo") == (0, 0, 18, None, 0.0, None)
    assert rules("patio") == (0, 24, 0, 0.0, None, None)
    assert rules("micro")[:4] == (24, 24, 18, 0.5)
    assert rules("micro")[4:] == (round(24 / 42, 3), round(48 / 90, 3))
    assert rules("macro") == ("", "", "", 1.0, 0.5, 1.0)
    assert [rows[c]["positives"] for c in rows] == [24, 18, 0, 42, 42]
    # a code's figures rest on its 72 labelled rows; micro and macro name the 54 segments
    assert [rows[c]["segments"] for c in rows] == [72, 72, 72, 54, 54]
    assert [rows[c]["model_folds"] for c in rows] == ["6/6", "6/6", "0/6", "", ""]
    # with --coder ana only her 54 rows count: visitas tp 18, patio fp 18
    ana = {r["code"]: r for r in learnable.evaluate_suggestions(coder="ana", folds=3).rows}
    assert (ana["visitas"]["rules_tp"], ana["patio"]["rules_fp"]) == (18, 18)
    assert (ana["visitas"]["segments"], ana["micro"]["positives"]) == (54, 36)


def test_precision_recall_and_f1_edges():
    from qcode.suggest.evaluate import Counts

    assert (Counts().precision, Counts().recall, Counts().f1) == (None, None, None)
    assert Counts(tp=0, fp=2, fn=3).f1 == 0.0           # both defined and zero
    # tp 1, fp 1, fn 0: P = .5, R = 1, F1 = 2(.5)(1)/1.5 = 2/3
    assert Counts(tp=1, fp=1).f1 == pytest.approx(2 / 3)
    assert Counts(tp=3, fn=1).recall == 0.75 and Counts(tp=3, fp=1).precision == 0.75
    import numpy as np

    counts = Counts()
    counts.add(np.array([1, 1, 0, 0], dtype=bool), np.array([1, 0, 1, 0], dtype=bool))
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 1)


def test_evaluation_for_a_coder_with_one_document(learnable):
    learnable.code("d0", [3], ["patio"], coder="cy")
    from qcode import InputError

    with pytest.raises(InputError, match=r"^evaluation needs coded segments in at least two "
                                         r"documents \(found 1\) for coder cy; code more "
                                         r"documents first$"):
        learnable.evaluate_suggestions(coder="cy")


# -- options added by the issues merged alongside (several coders, safe CSV, REFI-QDA) --------


@pytest.fixture
def formula(project, tmp_path):
    """A code named like a formula, a document whose name starts with '=', ana and ben."""
    project.load_codebook(write(tmp_path / "cb.yaml", 'codes:\n  - {id: x, name: "=1+1"}\n'))
    project.import_files([write(tmp_path / "=doc.txt", "E: hola.\nR: chau.\n")])
    project.code("=doc", [1], ["x"], coder="ana")
    project.code("=doc", [2], ["x"], coder="ben")
    return project


def test_raw_csv_keeps_formula_characters(formula, tmp_path):
    safe = csv_rows(cli(formula, "export", "codebook", "--format", "csv").stdout)
    raw = csv_rows(cli(formula, "export", "codebook", "--format", "csv", "--raw").stdout)
    assert (safe[0]["name"], raw[0]["name"]) == ("'=1+1", "=1+1")
    cli(formula, "report", tmp_path / "safe")
    cli(formula, "report", tmp_path / "raw", "--raw")
    headers = [(tmp_path / d / "matrix_by_document.csv").read_text(encoding="utf-8")
               .splitlines()[0] for d in ("safe", "raw")]
    assert headers == ["code (segments),'=doc,Total", "code (segments),=doc,Total"]


def test_removed_coders_listed_on_request(formula):
    cli(formula, "--coder", "ana", "coders", "remove", "ben")
    listed = [r["coder"] for r in csv_rows(cli(formula, "coders", "list", "--format",
                                                "csv").stdout)]
    with_removed = [r["coder"] for r in csv_rows(cli(formula, "coders", "list", "--removed",
                                                      "--format", "csv").stdout)]
    assert (listed, with_removed) == (["ana"], ["ana", "ben"])


def test_memo_on_a_coding(formula):
    coding = formula.conn.execute("SELECT id FROM coding WHERE coder = 'ana'").fetchone()[0]
    result = cli(formula, "--coder", "ana", "memo", "--coding", str(coding), "nota")
    assert f"memo added on coding {coding} (x by ana)" in result.stderr
    memos = csv_rows(cli(formula, "memos", "--format", "csv").stdout)
    assert [(m["target"], m["coding"], m["text"]) for m in memos] == [
        ("coding", str(coding), "nota")]


def test_qdpx_out(formula, tmp_path):
    import zipfile

    cli(formula, "export", "qdpx", "--out", tmp_path / "study.qdpx")
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        assert "project.qde" in archive.namelist()


# -- every option has a test -----------------------------------------------------------------

# Options whose test is still missing, with the reason; an option listed here that gains a
# test should leave the list.
UNTESTED: dict[tuple[str, str], str] = {}


def test_every_option_is_named_in_some_test():
    """A guard, not a proof: each option of each command appears (with its command's name)
    in a test file, so an option added without a test fails here. The tests named above
    check that each option changes the result."""
    from pathlib import Path

    import typer

    from qcode.cli import app

    marker = "# -- every option has a test --"  # this section names options, tests none
    sources = [p.read_text(encoding="utf-8").split(marker)[0]
               for p in Path(__file__).parent.glob("test_*.py")]
    missing = []

    def walk(command, path: list[str]) -> None:
        name = " ".join(path)
        for param in command.params:
            if param.param_type_name != "option" or (name, param.opts[0]) in UNTESTED:
                continue
            flags = param.opts + param.secondary_opts
            if not any(f'"{flag}"' in source
                       and (not path or f'"{path[-1]}"' in source)
                       for flag in flags for source in sources):
                missing.append(f"qcode {name} {param.opts[0]}".replace("  ", " "))
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, sub_name])

    walk(typer.main.get_command(app), [])
    assert missing == [], "options no test names: " + ", ".join(missing)
