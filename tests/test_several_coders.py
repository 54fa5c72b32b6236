"""Several coders on one project: per-coder (blind) suggestion decisions, the model learning
from each coder, coders and consensus, partial coverage, memos, span versus segment coding,
and the codings CSV/JSON exchange."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode import InputError, NotFoundError, Project, store
from qcode.review import ReviewSession
from tests.conftest import run, write

CODEBOOK = """\
codes:
  - {id: visitas, name: Visitors, patterns: {es: [visitante]}}
  - {id: sueldo, name: Low pay, patterns: {es: [sueldo]}}
  - {id: miedo, name: Fear, patterns: {es: [miedo]}}
"""
# Segments of a (offsets): 1 "¿Cómo entran?" [3, 16)  2 "Las visitantes ... miedo." [20, 69)
#   3 "¿Y el sueldo?" [73, 86)  4 "El sueldo es poco." [90, 108)
DOC_A = ("E: ¿Cómo entran?\nR: Las visitantes los traen, por sueldo y por miedo.\n"
         "E: ¿Y el sueldo?\nR: El sueldo es poco.\n")
DOC_B = "E: Hola.\nR: Las visitantes pasan.\nE: ¿Algo más?\nR: No.\n"


@pytest.fixture
def study(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", DOC_A), write(tmp_path / "b.txt", DOC_B)])
    project.suggest(method="rules")
    return project


def ids(project, document, segment):
    return {r["code"]: r["id"] for r in project.suggestions([document], coder="nobody")
            if r["segment"] == segment}


# -- per-coder decisions --------------------------------------------------------------------

def test_decisions_are_per_coder_and_blind(study):
    # a#2 has three rule suggestions (visitas, sueldo, miedo: one word each)
    on_a2 = ids(study, "a", 2)
    assert sorted(on_a2) == ["miedo", "sueldo", "visitas"]
    study.decide([on_a2["visitas"], on_a2["sueldo"]], accept=True, coder="ana")
    study.decide([on_a2["miedo"]], accept=False, coder="ana")
    # ben sees all three pending, in review and in the listing; none of ana's decisions
    ben = ReviewSession(study.conn, "ben", ["a"])
    ben.next()
    assert [(c.number, c.code, c.state) for c in ben.view().choices] == [
        (1, "visitas", "pending"), (2, "sueldo", "pending"), (3, "miedo", "pending")]
    listed = [r for r in study.suggestions(["a"], coder="ben") if r["segment"] == 2]
    assert {(r["code"], r["coder"], r["status"]) for r in listed} == {
        ("visitas", "ben", "pending"), ("sueldo", "ben", "pending"),
        ("miedo", "ben", "pending")}
    # ana sees her own decisions; the supervisor's view has one row per decision
    assert {r["code"]: r["status"] for r in study.suggestions(["a"], coder="ana")
            if r["segment"] == 2} == {"visitas": "accepted", "sueldo": "accepted",
                                      "miedo": "rejected"}
    ben.toggle(3)  # ben codes miedo: a decision of his own
    everyone = [(r["code"], r["coder"], r["status"]) for r in study.suggestions(["a"])
                if r["segment"] == 2]
    assert everyone == [("visitas", "ana", "accepted"), ("sueldo", "ana", "accepted"),
                        ("miedo", "ana", "rejected"), ("miedo", "ben", "accepted")]
    assert study.suggestions(["a"], status="rejected", coder="ben") == []


def test_suggestions_cli_coder_column_and_option(study):
    env = {"QCODE_PROJECT": str(study.path)}
    on_a2 = ids(study, "a", 2)
    assert run("--coder", "ana", "suggestions", "accept", on_a2["visitas"], env=env).exit_code == 0
    ana = run("suggestions", "a", "--coder", "ana", "--format", "csv", env=env).stdout
    ben = run("--coder", "ben", "suggestions", "a", "--format", "csv", env=env).stdout
    assert ana.splitlines()[0] == "id,document,segment,code,score,method,evidence,coder,status"
    assert f"{on_a2['visitas']},a,2,visitas,0.5,rules,visitantes,ana,accepted" in ana
    assert f"{on_a2['visitas']},a,2,visitas,0.5,rules,visitantes,ben,pending" in ben
    everyone = run("suggestions", "a", "--all-coders", "--format", "json", env=env).stdout
    rows = [r for r in json.loads(everyone) if r["segment"] == 2]
    assert [(r["code"], r["coder"], r["status"]) for r in rows] == [
        ("visitas", "ana", "accepted"), ("sueldo", "", "pending"), ("miedo", "", "pending")]


def test_migration_moves_old_decisions_into_the_decision_table(tmp_path, monkeypatch):
    number = next(i for i, (name, _) in enumerate(store.MIGRATIONS)
                  if name.startswith("coders, per-coder"))
    monkeypatch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:number])
    conn = store.create(tmp_path / "old.db")
    conn.executescript("""
        INSERT INTO document VALUES (1, 'a', 'E: hola.', 'x', 'es', NULL, 'txt', NULL, 'now');
        INSERT INTO segment VALUES (1, 1, 1, 3, 8, 'E', NULL, NULL);
        INSERT INTO code (id, position, name) VALUES ('x', 0, 'X'), ('y', 1, 'Y'), ('z', 2, 'Z');
        INSERT INTO suggestion (id, segment_id, code_id, method, score, status, decided_by,
                                decided_at, created_at) VALUES
            (1, 1, 'x', 'rules', 0.5, 'accepted', 'ana', 't1', 't0'),
            (2, 1, 'y', 'rules', 0.5, 'rejected', 'ben', 't2', 't0'),
            (3, 1, 'z', 'rules', 0.5, 'pending', NULL, NULL, 't0');
        INSERT INTO coding (document_id, code_id, coder, start, "end", memo, origin, created_at)
            VALUES (1, 'x', 'ana', 3, 8, NULL, 'suggestion', 't1'),
                   (1, 'y', 'final', 3, 8, 'consensus of ana, ben', 'manual', 't3');
    """)
    monkeypatch.undo()
    assert store.migrate(conn) == list(range(number + 1, len(store.MIGRATIONS) + 1))
    assert [tuple(r) for r in conn.execute("SELECT * FROM decision ORDER BY suggestion_id")] == [
        (1, "ana", "accepted", "t1"), (2, "ben", "rejected", "t2")]
    columns = {r[1] for r in conn.execute("PRAGMA table_info(suggestion)")}
    assert not {"status", "decided_by", "decided_at"} & columns
    assert {r[0]: r[1] for r in conn.execute("SELECT name, kind FROM coder")} == {
        "ana": "coder", "ben": "coder", "final": "consensus"}
    conn.close()


# -- the model learns from each coder -------------------------------------------------------

def test_training_rows_per_coder_and_consensus_replaces_them(study):
    from qcode.suggest.model import labelled_segments

    study.code("a", [2], ["visitas"], coder="ana")
    study.code("a", [2, 4], ["sueldo"], coder="ben")
    study.decide([ids(study, "b", 2)["visitas"]], accept=False, coder="cy")
    data = labelled_segments(study.conn)
    # ana and ben each label the 4 segments of a (8 rows); cy's rejection labels b#2 only
    assert len(data.segment_ids) == 9
    rows = {(s, c): (p, r) for s, c, p, r in zip(data.segment_ids, data.coders,
                                                   data.positives, data.rejected, strict=True)}
    a2 = study.conn.execute("SELECT id FROM segment WHERE document_id = 1 AND ordinal = 2")\
        .fetchone()[0]
    assert rows[(a2, "ana")][0] == {"visitas"} and rows[(a2, "ben")][0] == {"sueldo"}
    y, mask = data.target("visitas")
    assert (y.sum(), mask.sum()) == (1, 9)   # cy's row counts for visitas only
    y, mask = data.target("sueldo")
    assert (y.sum(), mask.sum()) == (2, 8)
    assert study.consensus("final", coders=["ana", "ben"]) == 0  # they agree on nothing
    study.code("a", [2], ["visitas", "sueldo"], coder="final")
    data = labelled_segments(study.conn)
    # in a, final's 4 rows replace ana's and ben's; cy's row in b stays
    assert sorted(set(zip(data.coders, data.document_ids, strict=True))) == [
        ("cy", 2), ("final", 1)]
    assert len(labelled_segments(study.conn, "ben").segment_ids) == 4


def test_model_scores_on_training_segments_are_cross_fitted(project, tmp_path):
    from tests.test_suggest import learnable_project

    learnable_project(project, tmp_path)
    project.suggest(method="model")
    model = project.train(force=False).model
    segments = [r[0] for r in project.conn.execute(
        "SELECT id FROM segment ORDER BY document_id, ordinal")]
    assert model.seen == set(segments)  # every document is coded: all were trained on
    stored = project.conn.execute(
        "SELECT segment_id, code_id, score, evidence FROM suggestion WHERE method = 'model'")\
        .fetchall()
    assert stored
    for segment_id, code, score, evidence in stored:
        cross = model.crossfit[(segment_id, model.codes.index(code))]
        assert score == pytest.approx(cross[0])  # the out-of-fold score, not the fitted one
        assert [e["text"] for e in json.loads(evidence)] == cross[1]
    # a new document is scored by the full model
    write(tmp_path / "new.txt", "R: Las visitantes traen teléfonos.")
    project.import_files([tmp_path / "new.txt"])
    project.suggest(["new"], method="model")
    row = project.suggestions(["new"])[0]
    assert row["code"] == "visitas" and "visitante" in row["evidence"]


# -- coders and consensus ---------------------------------------------------------------------

@pytest.fixture
def coded(study):
    """ana and ben code both documents, cy codes a via accepted suggestions only."""
    for coder, doc, segs, code in (("ana", "a", [2, 4], "sueldo"), ("ben", "a", [4], "sueldo"),
                                   ("ana", "b", [2], "visitas"), ("ben", "b", [2], "visitas"),
                                   ("ben", "a", [2], "miedo")):
        study.code(doc, segs, [code], coder=coder)
    study.decide([ids(study, "a", 4)["sueldo"]], accept=True, coder="cy")
    return study


def test_coders_list_rename_remove_and_mark(coded):
    assert coded.consensus("final", coders=["ana", "ben"]) == 2  # a#4 sueldo, b#2 visitas
    rows = {r["coder"]: r for r in coded.coders()}
    assert {c: (r["kind"], r["codings"], r["documents"], r["decisions"])
            for c, r in rows.items()} == {
        "ana": ("coder", 3, 2, 0), "ben": ("coder", 3, 2, 0),
        "cy": ("suggestion-accepts", 1, 1, 1), "final": ("consensus", 2, 2, 0)}
    assert rows["ana"]["last_activity"]
    assert coded.rename_coder("cy", "carla") == 1
    assert {r["coder"] for r in coded.suggestions(["a"]) if r["coder"]} == {"carla"}
    with pytest.raises(InputError, match="coder 'ana' already exists"):
        coded.rename_coder("ben", "ana")
    with pytest.raises(NotFoundError, match="no coder 'zed'; coders in this project: ana, "
                                            "ben, carla, final"):
        coded.remove_coder("zed")
    assert coded.remove_coder("carla", by="ana") == 1
    assert "carla" not in {r["coder"] for r in coded.coders()}
    removed = {r["coder"]: r["kind"] for r in coded.coders(include_removed=True)}
    assert removed["carla"].startswith("removed ") and removed["carla"].endswith(" by ana")
    row = coded.conn.execute("SELECT removed_at, removed_by FROM coding WHERE coder = 'carla'")\
        .fetchone()
    assert row["removed_at"] and row["removed_by"] == "ana"  # recorded, not erased
    coded.mark_coder("final", "coder")
    assert {r["coder"]: r["kind"] for r in coded.coders()}["final"] == "coder"


def test_consensus_left_out_of_agreement_matrices_and_quotes(coded):
    coded.consensus("final", coders=["ana", "ben"])
    report = coded.agree()
    assert report.coders == ["ana", "ben", "cy"]
    assert any("consensus coder(s) final left out" in n for n in report.notes)
    assert coded.agree(coders=["ana", "final"]).coders == ["ana", "final"]  # when named
    assert list(coded.matrix(by="coder").columns) == ["ana", "ben", "cy", "Total"]
    assert coded.matrix(by="coder", coder="final").loc["sueldo", "final"] == 1
    assert "final" not in set(coded.quotes()["coder"])
    assert set(coded.quotes(coder="final")["coder"]) == {"final"}
    # frequencies: sueldo ana 2 + ben 1 + cy 1 = 4 (final's a#4 left out)
    assert coded.codebook_table().loc["sueldo", "frequency"] == 4
    with pytest.raises(InputError, match="--consensus cy: cy is a coder with codings"):
        coded.consensus("cy", coders=["ana", "ben"])


def test_coders_cli(coded):
    env = {"QCODE_PROJECT": str(coded.path)}
    assert run("quotes", "sueldo", "--consensus", env=env).stderr == (
        "error: --consensus: no consensus coder yet; write one with `qcode agree --coders "
        "A,B --consensus NAME`\n")
    coded.consensus("final", coders=["ana", "ben"])
    quoted = run("quotes", "sueldo", "--consensus", "--format", "csv", env=env).stdout
    assert [line.split(",")[:5] for line in quoted.splitlines()[1:]] == [
        ["a", "4", "R", "sueldo", "final"]]
    everyone = run("quotes", "sueldo", "--format", "csv", env=env).stdout
    assert sorted(line.split(",")[4] for line in everyone.splitlines()[1:]) == [
        "ana", "ana", "ben", "cy"]
    listed = run("coders", "--format", "csv", env=env).stdout.splitlines()
    assert listed[0] == ("coder,kind,codings,documents,reviewed,read,decisions,memos,"
                         "last_activity")
    # read: ana and ben coded both documents (8 segments), cy and final's codings are in a
    # (4) and in a and b (8)
    assert [line.split(",")[:6] for line in listed[1:]] == [
        ["ana", "coder", "3", "2", "0", "8"], ["ben", "coder", "3", "2", "0", "8"],
        ["cy", "suggestion-accepts", "1", "1", "0", "4"],
        ["final", "consensus", "2", "2", "0", "8"]]
    result = run("coders", "rename", "cy", "carla", env=env)
    assert result.stderr == "renamed coder cy to carla (1 codings)\n"
    result = run("--coder", "ana", "coders", "remove", "carla", env=env)
    assert result.stderr == "removed coder carla: 1 codings marked removed\n"
    assert run("coders", "mark", "ben", "boss", env=env).exit_code == 2
    assert run("coders", "mark", "zed", "consensus", env=env).stderr.startswith(
        "error: no coder 'zed'")


# -- partial coverage -------------------------------------------------------------------------

def test_agreement_uses_only_segments_every_coder_read(coded):
    """dan reviews a#1 and a#2 and stops: a#3-a#4 and all of b are not his 'no'."""
    dan = ReviewSession(coded.conn, "dan", ["a"])
    dan.next()          # a#1 read, nothing to code
    dan.toggle(1)       # a#2: codes visitas (the first suggestion)
    report = coded.agree(coders=["ana", "ben", "dan"])
    x = {r["code"]: r for r in report.rows}
    assert x["visitas"]["units"] == 2 and x["sueldo"]["units"] == 2  # a#1 and a#2 only
    # 8 segments: a#3, a#4 and b#1-b#4 read by ana and ben but not dan
    assert any(n.startswith("6 segments left out because not every coder has read them "
                            "(6 not read by dan)") for n in report.notes)
    dan_row = [c for c in coded.coders() if c["coder"] == "dan"][0]
    assert (dan_row["reviewed"], dan_row["read"]) == (2, 2)
    with pytest.raises(InputError, match="no segment has been read by all of ana, dan"):
        coded.agree(coders=["ana", "dan"], documents="b")


# -- memos -----------------------------------------------------------------------------------

def test_memos_add_replace_delete_list_and_show(coded):
    coded.code("a", [3], ["sueldo"], coder="ana", memo="pregunta, no respuesta")
    assert coded.memo("los guardias dudan", document="a", segment="2", coder="ana") == \
        "memo added on segment 2 of a"
    assert coded.memo("los guardias mienten", document="a", segment="2", coder="ana") == \
        "memo replaced on segment 2 of a"
    assert coded.memo("entrevista corta", document="b", coder="ben") == \
        "memo added on document b"
    assert coded.memo("incluye pagos en especie", code="sueldo", coder="ana") == \
        "memo added on code sueldo"
    coding = coded.conn.execute("SELECT id FROM coding WHERE memo IS NOT NULL").fetchone()[0]
    assert coded.memo("revisar", coding=coding) == \
        f"memo replaced on coding {coding} (sueldo by ana)"
    rows = coded.memos()
    assert [(r["target"], r["document"], r["segment"], r["code"], r["coder"], r["text"])
            for r in rows] == [
        ("segment", "a", 2, "", "ana", "los guardias mienten"),
        ("coding", "a", 3, "sueldo", "ana", "revisar"),
        ("document", "b", "", "", "ben", "entrevista corta"),
        ("code", "", "", "sueldo", "ana", "incluye pagos en especie")]
    assert [r["target"] for r in coded.memos(code="sueldo")] == ["coding", "code"]
    assert [r["target"] for r in coded.memos("b")] == ["document"]
    assert [r["text"] for r in coded.memos(coder="ben")] == ["entrevista corta"]
    shown = coded.document("a")
    assert shown["segments"][1]["memos"] == ["ana: los guardias mienten"]
    assert shown["segments"][2]["memos"] == ["ana on sueldo: revisar"]
    assert coded.document("b")["memos"] == ["ben: entrevista corta"]
    assert coded.document("a", coder="ben")["segments"][1]["memos"] == []
    assert coded.memo(None, document="a", segment="2", coder="ana", delete=True) == \
        "deleted the memo on segment 2 of a"
    with pytest.raises(NotFoundError, match="ana has no memo on segment 2 of a; nothing"):
        coded.memo(None, document="a", segment="2", coder="ana", delete=True)
    with pytest.raises(InputError, match="the memo text is empty; to delete a memo use "):
        coded.memo("  ", document="a", coder="ana")
    with pytest.raises(NotFoundError, match="document 'a' has no segment 9"):
        coded.memo("x", document="a", segment="9", coder="ana")


def test_memo_cli_and_exports(coded, tmp_path):
    env = {"QCODE_PROJECT": str(coded.path), "QCODE_CODER": "ana"}
    assert run("memo", "a", "2", "dudoso", env=env).stderr == "memo added on segment 2 of a\n"
    assert run("memo", "a", "un documento largo", env=env).exit_code == 0
    assert run("memo", "--code", "miedo", "miedo a los internos", env=env).exit_code == 0
    assert run("memo", "a", "2", "x", "y", env=env).stderr == (
        "error: unexpected argument(s) x; quote the memo text\n")
    listed = json.loads(run("memos", "--format", "json", env=env).stdout)
    assert [(m["target"], m["text"]) for m in listed] == [
        ("document", "un documento largo"), ("segment", "dudoso"),
        ("code", "miedo a los internos")]
    assert run("memos", "--out", tmp_path / "memos.md", env=env).exit_code == 0
    assert "| segment | a | 2 |" in (tmp_path / "memos.md").read_text()
    csv_text = run("memos", "a", "--format", "csv", env=env).stdout
    assert csv_text.splitlines()[0] == "target,document,segment,code,coding,coder,text,created_at"
    assert run("memo", "a", "2", "--delete", env=env).stderr == \
        "deleted the memo on segment 2 of a\n"
    shown = run("show", "a", "--format", "csv", env=env).stdout
    assert shown.splitlines()[0] == "segment,speaker,time,start,end,text,codes,memos"


def test_memos_come_across_a_merge(coded, tmp_path):
    coded.code("a", [3], ["sueldo"], coder="ana", memo="primera versión")
    copy = tmp_path / "copy"
    copy.mkdir()
    coded.conn.execute(f"VACUUM INTO '{copy / 'qcode.db'}'")
    with Project(copy) as other:
        coding = other.conn.execute("SELECT id FROM coding WHERE memo IS NOT NULL").fetchone()[0]
        other.conn.execute("UPDATE coding SET memo = NULL WHERE id = ?", (coding,))
        other.memo("nota de ben", document="a", segment="2", coder="ben")
        other.memo("definición ampliada", code="miedo", coder="ben")
        other.code("b", [4], ["miedo"], coder="ben", memo="ben lo ve así")
        other.decide([ids(other, "b", 2)["visitas"]], accept=False, coder="ben")
        ReviewSession(other.conn, "ben", ["b"]).next()
        other.consensus("final", coders=["ana", "ben"])
    report = coded.merge(copy)
    # memos: ben's segment and code memos, final's project memo (ben's coding memo comes
    # with the new coding); decisions: ben's rejection (cy's acceptance was already here)
    assert (report.memos_added, report.decisions_added) == (3, 1)
    assert {(m["coder"], m["text"]) for m in coded.memos()} == {
        ("ana", "primera versión"),  # kept: the copy's empty memo does not erase it
        ("ben", "nota de ben"), ("ben", "definición ampliada"), ("ben", "ben lo ve así"),
        ("final", f"consensus of ana, ben (`agree --consensus`, {store.now()[:10]})")}
    assert {r["coder"]: r["kind"] for r in coded.coders()}["final"] == "consensus"
    assert coded.conn.execute("SELECT count(*) FROM reviewed WHERE coder = 'ben'")\
        .fetchone()[0] == 1
    again = coded.merge(copy)
    assert (again.codings_added, again.memos_added, again.decisions_added) == (0, 0, 0)


# -- span and segment coding -----------------------------------------------------------------

def test_span_inside_segment_shown_as_part_and_removed_with_the_segment(study):
    text = study.conn.execute("SELECT text FROM document WHERE name = 'a'").fetchone()[0]
    start = text.index("visitantes")
    # 'isitantes los tra' cuts two words: snapped to 'visitantes los traen'
    result = study.code("a", None, ["visitas"], span=(start + 1, start + 18), coder="ana",
                        exact=False)
    assert result == [(f"span {start}:{start + 20} (snapped to whole words from "
                       f"{start + 1}:{start + 18})", "visitas", True)]
    assert text[start:start + 20] == "visitantes los traen"
    assert study.document("a")["segments"][1]["codes"] == [
        f"visitas (ana, part {start}:{start + 20})"]
    study.code("a", [2], ["visitas"], coder="ana")
    assert study.uncode("a", [2], ["visitas"], coder="ana") == [
        ("segment 2", "visitas"), (f"span {start}:{start + 20} inside segment 2", "visitas")]
    assert study.document("a")["segments"][1]["codes"] == []
    exact = study.code("a", None, ["miedo"], span=(start + 1, start + 18))
    assert exact[0][0] == f"span {start + 1}:{start + 18}"
    # a coding running past the segment is refused by name, nothing removed
    study.code("a", None, ["sueldo"], span=(20, 80), coder="ana")
    with pytest.raises(InputError, match=r"ana's coding of sueldo at 20:80 runs beyond "
                                         r"segment 2 of 'a'; nothing removed \(remove it with "
                                         r"`qcode uncode a --span 20:80 sueldo --exact`\)"):
        study.uncode("a", [2], ["sueldo"], coder="ana")
    assert study.uncode("a", None, ["sueldo"], span=(20, 80), coder="ana") == [
        ("span 20:80", "sueldo")]


def test_snap_to_words_edge_cases():
    from qcode.codings import snap

    text = "El agente dijo: 'no-sé', d'Ávila vino.  "
    assert snap(text, 4, 6) == (3, 9)              # inside 'agente'
    assert snap(text, 2, 4) == (3, 9)              # white space trimmed first
    assert snap(text, 17, 19) == (17, 22)          # 'no-sé' is one word
    assert snap(text, 27, 29) == (25, 32)          # d'Ávila
    assert text[25:32] == "d'Ávila" and text[17:22] == "no-sé"
    assert snap(text, 0, 2) == (0, 2)              # already whole
    with pytest.raises(InputError, match="holds only white space"):
        snap(text, 38, 40)


# -- review numbering --------------------------------------------------------------------------

def test_review_numbers_stay_fixed_for_the_visit(study):
    s = ReviewSession(study.conn, "ana", ["a"])
    s.next()
    assert [c.code for c in s.view().choices] == ["visitas", "sueldo", "miedo"]
    assert s.toggle(2) == "coded sueldo"
    assert s.toggle(1) == "coded visitas"          # 1 still means visitas
    assert s.toggle(2) == "removed sueldo"
    assert [(c.number, c.code, c.state) for c in s.view().choices] == [
        (1, "visitas", "applied"), (2, "sueldo", "rejected"), (3, "miedo", "pending")]
    assert s.apply_code("miedo") == "coded miedo"
    s.undo()
    assert [c.state for c in s.view().choices] == ["applied", "rejected", "pending"]
    assert s.memo("primera") == "memo saved" and s.current_memo() == "primera"
    assert s.memo("segunda") == "memo saved"
    assert study.memos()[0]["text"] == "segunda"   # replaced, not a second memo
    assert s.memo("") == "memo removed" and study.memos() == []


# -- codings exchange --------------------------------------------------------------------------

def test_codings_json_round_trip_with_memos(coded, tmp_path):
    env = {"QCODE_PROJECT": str(coded.path)}
    coded.code("a", [3], ["sueldo"], coder="ana", memo="ojo: pregunta")
    text = coded.conn.execute("SELECT text FROM document WHERE name = 'b'").fetchone()[0]
    coded.code("b", None, ["miedo"], span=(text.index("pasan"), text.index("pasan") + 5),
               coder="ben")
    before = coded.codings()
    assert run("codings", "export", "--out", tmp_path / "c.json", env=env).exit_code == 0
    assert run("codings", "export", "--out", tmp_path / "c.csv", env=env).exit_code == 0
    for name in ("c.json", "c.csv"):
        with Project.init(tmp_path / name.replace(".", "_"), coder="x") as fresh:
            fresh.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
            fresh.import_files([write(tmp_path / "a.txt", DOC_A),
                                write(tmp_path / "b.txt", DOC_B)])
            assert fresh.import_codings(tmp_path / name) == (len(before), 0)
            assert fresh.codings() == before
    assert {"code": "sueldo", "memo": "ojo: pregunta"}.items() <= \
        next(r for r in before if r["segment"] == 3).items()


def test_import_reports_every_bad_row_and_imports_nothing(coded, tmp_path):
    bad = write(tmp_path / "bad.csv",
                "document,code,coder,segment\n"
                "a,sueldo,eva,1\n"
                "zz,sueldo,eva,1\n"          # line 3: unknown document
                "a,sueldx,eva,2\n"           # line 4: unknown code
                "a,sueldo,eva,uno\n"         # line 5: not a number
                "a,sueldo,eva,9\n"           # line 6: no such segment
                "a,sueldo,eva,3,extra\n")    # line 7: too many fields
    with pytest.raises(InputError) as caught:
        coded.import_codings(bad)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{bad}: 5 bad rows, nothing imported; fix them and import again"
    assert lines[1:] == [
        "  line 3: no document 'zz'; `qcode docs` lists documents",
        "  line 4: unknown code 'sueldx'; did you mean sueldo?",
        "  line 5: segment, start and end must be whole numbers",
        "  line 6: document 'a' has no segment 9 (it has 1-4); `qcode show a` numbers them",
        "  line 7: 5 fields but the header has 4; quote fields that contain ','"]
    assert not [r for r in coded.codings() if r["coder"] == "eva"]
    many = write(tmp_path / "many.csv", "document,code,coder,segment\n"
                 + "".join(f"zz,sueldo,eva,{n}\n" for n in range(30)))
    with pytest.raises(InputError) as caught:
        coded.import_codings(many)
    assert str(caught.value).splitlines()[-1] == "  ... and 10 more"


def test_import_detects_semicolons_and_reports_broken_quotes(coded, tmp_path):
    semi = write(tmp_path / "es.csv", "document;code;coder;segment;memo\n"
                 "a;sueldo;eva;4;\"pago; poco\"\n")
    assert coded.import_codings(semi) == (1, 0)
    assert [r["memo"] for r in coded.codings("eva")] == ["pago; poco"]
    tabbed = write(tmp_path / "t.csv", "document\tcode\tcoder\tsegment\na\tmiedo\teva\t2\n")
    assert coded.import_codings(tabbed) == (1, 0)
    unclosed = write(tmp_path / "q.csv", "document,code,coder,segment,memo\n"
                     "a,sueldo,fer,1,ok\n"
                     "a,sueldo,fer,2,\"never closed\n"
                     "a,sueldo,fer,3,\n")
    with pytest.raises(InputError, match=r"line 3: a quote opened on this line is never "
                                         r"closed"):
        coded.import_codings(unclosed)
    huge = write(tmp_path / "h.csv", "document,code,coder,segment,memo\n"
                 f"a,sueldo,fer,1,\"{'x' * 200_000}\"\n")
    with pytest.raises(InputError, match=r"line 2: a field is longer than 131,072 characters"):
        coded.import_codings(huge)
    not_json = write(tmp_path / "n.json", '[{"document": "a"},\n {"document": }]')
    with pytest.raises(InputError, match=r"n.json, line 2: Expecting value; not valid JSON"):
        coded.import_codings(not_json)
    assert not coded.codings("fer")


def test_five_coders_end_to_end_through_the_cli(study, tmp_path):
    """Two coders by CSV, one on the command line, two in review (one blind after the
    other), a merged copy, then a consensus that agreement leaves out."""
    env = {"QCODE_PROJECT": str(study.path)}
    write(tmp_path / "ana.csv", "document,code,coder,segment\na,sueldo,ana,2\na,sueldo,ana,4\n"
                                "b,visitas,ana,2\n")
    write(tmp_path / "ben.csv", "document;code;coder;segment\na;sueldo;ben;4\nb;visitas;ben;2\n"
                                "a;visitas;ben;2\n")
    for name in ("ana", "ben"):
        assert run("codings", "import", tmp_path / f"{name}.csv", env=env).exit_code == 0
    assert run("--coder", "cy", "code", "a", "4", "sueldo", env=env).exit_code == 0
    keys = "\n".join(["", "1", "r", "s", "s", "a", "q"]) + "\n"
    for coder in ("dan", "eva"):
        result = run("review", "a", "--coder", coder, env=env, input=keys)
        assert result.exit_code == 0, result.output
        assert "1 · visitas" in result.stdout  # eva is not shown dan's decisions
    copy = tmp_path / "copy"
    copy.mkdir()
    study.conn.execute(f"VACUUM INTO '{copy / 'qcode.db'}'")
    with Project(copy) as other:
        other.code("a", [4], ["sueldo"], coder="fio")
    merged = run("merge", copy, "--coder-map", "fio=fio", env=env)
    assert merged.exit_code == 0 and "1 codings added" in merged.stderr
    agreed = run("agree", "--coders", "ana,ben", "--consensus", "final", env=env)
    assert "consensus: 2 codings written for coder final" in agreed.stderr
    report = run("agree", "--format", "json", env=env)
    assert "uses_final" not in json.loads(report.stdout)[0]
    assert set(json.loads(report.stdout)[0]) >= {"uses_ana", "uses_ben", "uses_cy", "uses_dan",
                                                 "uses_eva", "uses_fio"}
    exported = run("codings", "export", "--coder", "final", "--format", "csv", env=env).stdout
    assert [line.split(",")[:4] for line in exported.splitlines()[1:]] == [
        ["a", "sueldo", "final", "4"], ["b", "visitas", "final", "2"]]


def test_span_cli_snaps_unless_exact_and_uncode_names_what_it_removed(study):
    env = {"QCODE_PROJECT": str(study.path), "QCODE_CODER": "ana"}
    # a: "Las visitantes ..." starts at 20; 'visitantes' is 24:34, 'los' 35:38
    result = run("code", "a", "--span", "26:36", "visitas", env=env)
    assert result.stderr == ("coded span 24:38 (snapped to whole words from 26:36) of a with "
                             "visitas\n")
    assert run("code", "a", "--span", "26:36", "miedo", "--exact", env=env).stderr == \
        "coded span 26:36 of a with miedo\n"
    shown = run("show", "a", "--format", "json", env=env).stdout
    assert json.loads(shown)["segments"][1]["codes"] == ["miedo (ana, part 26:36)",
                                                         "visitas (ana, part 24:38)"]
    result = run("uncode", "a", "2", "visitas", env=env)
    assert result.stderr == ("  visitas: span 24:38 inside segment 2\n"
                             "removed 1 coding(s) from a\n")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab -'é\n.,", min_size=1, max_size=30), st.data())
def test_snap_never_cuts_a_word_and_keeps_the_words_asked_for(text, data):
    from qcode.codings import snap

    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    if not text[start:end].strip():
        with pytest.raises(InputError):
            snap(text, start, end)
        return
    low, high = snap(text, start, end)
    inner = text[start:end].strip()
    assert inner in text[low:high] and low <= start + len(text[start:end]) - \
        len(text[start:end].lstrip())
    assert not text[low].isspace() and not text[high - 1].isspace()
    for edge in (low, high):  # a boundary never has letters on both sides
        assert not (0 < edge < len(text) and text[edge - 1].isalnum() and text[edge].isalnum())
