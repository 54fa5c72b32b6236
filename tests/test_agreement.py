"""Agreement on a project: units, unitizing alpha, disagreements, consensus, merge, CLI."""

import csv
import json

import numpy as np
import pytest

from qcode import InputError, Project, ProjectError
from qcode.agreement.unitizing import unitizing_alpha
from tests.conftest import SAMPLES, data_rows, run, write

# -- Krippendorff's unitizing alpha ---------------------------------------------------------

def test_unitizing_krippendorff_2004_worked_example():
    """Krippendorff (2004), Content Analysis, 2nd ed., p. 254: continuum 150-450, two
    observers, categories c and k. Published: c D_o = .0144, D_e = .0532, α = .7286;
    k α = 1; both categories .8591 (reproduced to 4 decimals, as dkpro-statistics does)."""
    c = unitizing_alpha(300, [[(75, 145), (220, 250)], [(70, 150), (205, 225), (250, 270)]])
    k = unitizing_alpha(300, [[(30, 90), (150, 200)], [(30, 90), (150, 200)]])
    assert c.observed == pytest.approx(0.0144, abs=5e-5)
    assert c.expected == pytest.approx(0.0532, abs=5e-5)
    assert c.alpha == pytest.approx(0.7286, abs=5e-5)
    assert k.observed == 0 and k.alpha == 1.0
    from qcode.agreement.unitizing import overall

    assert overall([c, k]) == pytest.approx(0.8591, abs=5e-4)


def krippendorff_1995(stretch: int):
    """Krippendorff (1995), 'On the reliability of unitizing continuous data', p. 57: four
    pairs of observers on a continuum of 24, as (begin, length)."""
    def units(pairs):
        return [(a * stretch, (a + n) * stretch) for a, n in pairs]
    return {
        "A": [units([(2, 8), (14, 6)]), units([(4, 4), (15, 2)])],
        "B": [units([(0, 18)]), units([(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)])],
        "C": [units([(2, 6), (10, 2), (14, 4), (20, 2)]),
              units([(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)])],
        "D": [units([(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)]),
              units([(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)])],
    }


def test_unitizing_krippendorff_1995_example():
    """Observed disagreements are exact; the published alphas rest on a D_e that the paper
    computed slightly differently (corrected in 2004), so they hold to about .02 on a
    finely divided continuum, as in dkpro-statistics' tests."""
    exact = {name: unitizing_alpha(24, coders) for name, coders in krippendorff_1995(1).items()}
    assert {n: round(r.observed, 5) for n, r in exact.items()} == {
        "A": 0.03125, "B": 2.26736, "C": 0.02778, "D": 0.38715}
    fine = {name: unitizing_alpha(24 * 50000, c) for name, c in krippendorff_1995(50000).items()}
    published = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for name, value in published.items():
        assert fine[name].alpha == pytest.approx(value, abs=0.02), name


def test_unitizing_edge_cases():
    assert unitizing_alpha(100, [[(10, 20)], [(10, 20)]]).alpha == 1.0
    assert unitizing_alpha(100, [[], []]).alpha is None          # nobody used the code
    assert unitizing_alpha(100, [[(10, 20)]]).alpha is None      # a single coder


# -- on a project ---------------------------------------------------------------------------

CODEBOOK = """\
codes:
  - {id: x, name: X}
  - {id: y, name: Y}
  - {id: z, name: Z}
"""


@pytest.fixture
def three(project, tmp_path):
    """Two documents of four turns; ana and ben code both, cy codes only 'a'."""
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    turns = "E: uno.\nR: dos dos.\nE: tres tres tres.\nR: cuatro.\n"
    project.import_files([write(tmp_path / "a.txt", turns),
                          write(tmp_path / "b.txt", turns.replace("uno", "one"))])
    for coder, doc, segs in (("ana", "a", [1, 2]), ("ben", "a", [2]), ("cy", "a", [2, 3]),
                             ("ana", "b", [4]), ("ben", "b", [4])):
        project.code(doc, segs, ["x"], coder=coder)
    project.code("b", [1], ["y"], coder="ana")
    return project


def test_segment_units_only_where_every_coder_read(three):
    from qcode.agreement.units import segment_units, select

    selection = select(three.conn)
    assert selection.coders == ["ana", "ben", "cy"]
    units = segment_units(three.conn, selection)
    x = units.data["x"]
    # rows: a#1..a#4 only: cy never coded b, so b's 4 segments are left out (not "no")
    expected = np.array([[1, 0, 0], [1, 1, 1], [0, 0, 1], [0, 0, 0]])
    np.testing.assert_array_equal(x, expected)
    assert (selection.left_out, selection.missing) == (4, {"ana": 0, "ben": 0, "cy": 4})
    report = three.agree()
    assert any(n.startswith("4 segments left out because not every coder has read them "
                            "(4 not read by cy)") for n in report.notes)


def test_overlap_rule(three):
    """A span covering 3 of 'dos dos.' (8 characters) is 37.5% of the segment and 100% of
    the coding: it counts. A span spilling 1 character into the next segment does not
    count there (1/9 of the coding, 1/16 of that segment)."""
    from qcode.agreement.units import segment_units, select

    text = three.conn.execute("SELECT text FROM document WHERE name = 'b'").fetchone()[0]
    start = text.index("dos dos.")
    three.code("b", None, ["z"], span=(start, start + 3), coder="ben")
    three.code("b", None, ["z"], span=(start, start + 9), coder="ana")
    z = segment_units(three.conn, select(three.conn, ["ana", "ben"])).data["z"]
    assert z[5].tolist() == [1, 1] and z[6].tolist() == [0, 0]


def test_agree_report_per_code_and_overall(three):
    report = three.agree(coders=["ana", "ben"])
    rows = {r["code"]: r for r in report.rows}
    x = rows["x"]
    # x, 8 units: ana 1,1,0,0,0,0,0,1  ben 0,1,0,0,0,0,0,1 -> 7/8 agree;
    # p_e = (3/8)(2/8) + (5/8)(6/8) = 36/64; kappa = (56/64 - 36/64) / (28/64) = 20/28
    assert (x["units"], x["uses_ana"], x["uses_ben"]) == (8, 3, 2)
    assert x["percent"] == 0.875 and x["kappa"] == round(20 / 28, 3)
    # alpha: 16 values, five 1s; one disagreeing pair: D_o = 2/16, D_e = 2*5*11/(16*15)
    assert x["alpha"] == round(1 - (2 / 16) / (110 / 240), 3) and x["flags"] == ""
    assert rows["z"]["reading"] == "undefined: nobody used this code"
    # y: ana alone applied it once: D_o = 2/16 = D_e = 2*1*15/240, alpha = 0
    assert rows["y"]["alpha"] == 0.0
    assert rows["y"]["flags"] == "below 0.667; rare: applied 1 time, too few to judge"
    assert report.kappa_name == "Cohen's kappa"
    # Pooled: the 3 codes x 8 segments as 24 binary units; ana applied 4, ben 2; they
    # disagree on x a#1 and y b#1: p_o = 22/24.
    #   kappa: p_e = (4/24)(2/24) + (20/24)(22/24) = 448/576 -> (528 - 448)/(576 - 448) = .625
    #   alpha: 48 values, six 1s; o_01 + o_10 = 4: D_o = 4/48, D_e = 2*42*6/(48*47)
    #          -> 1 - (4/48)/(504/2256) = .627
    #   pi: pi_1 = 6/48, p_e = .125^2 + .875^2 = .78125 -> (.91667 - .78125)/.21875 = .619
    #   bp: (.91667 - .5)/.5 = .833;  ac1: p_e = 2(.125)(.875) = .21875 -> .893
    pooled = report.rows[-2]
    assert pooled["code"] == "overall (pooled)"
    assert (pooled["units"], pooled["uses_ana"], pooled["uses_ben"]) == (24, 4, 2)
    assert pooled["percent"] == round(22 / 24, 3) and pooled["kappa"] == 0.625
    assert pooled["alpha"] == round(1 - (4 / 48) / (504 / 2256), 3) == 0.627
    assert (pooled["pi"], pooled["bp"], pooled["ac1"]) == (0.619, 0.833, 0.893)
    # Mean of the codes whose alpha is defined: x and y (z: nobody used it).
    #   x: pi_1 = 5/16 -> pi = (224 - 146)/(256 - 146) = .709; ac1 = (224 - 110)/(256 - 110)
    #      = .781; bp = (.875 - .5)/.5 = .75
    #   y: kappa 0 (p_e = 7/8 = p_o); pi_1 = 1/16 -> pi = (224 - 226)/(256 - 226) = -.067;
    #      ac1 = (224 - 30)/(256 - 30) = .858; bp .75
    mean = report.rows[-1]
    assert mean["code"] == "mean of 2 codes" and mean["units"] is None
    assert mean["percent"] == 0.875 and mean["bp"] == 0.75
    assert mean["kappa"] == pytest.approx((0.714 + 0) / 2, abs=6e-4)
    assert mean["alpha"] == pytest.approx((0.727 + 0) / 2, abs=6e-4)
    assert mean["pi"] == pytest.approx((0.709 - 0.067) / 2, abs=6e-4)
    assert mean["ac1"] == pytest.approx((0.781 + 0.858) / 2, abs=6e-4)
    assert any("at least 50% of the segment or of the coding" in n for n in report.notes)
    three_way = three.agree()
    assert three_way.kappa_name == "Fleiss' kappa"


def test_agree_selection_errors(three):
    with pytest.raises(InputError, match=r"no codings by zed; coders in this project: ana, "
                                         r"ben, cy"):
        three.agree(coders=["ana", "zed"])
    with pytest.raises(InputError, match=r"agreement needs at least two coders"):
        three.agree(coders=["ana"])
    with pytest.raises(InputError, match=r"--codes route.\*: matches no code"):
        three.agree(codes="route.*")
    with pytest.raises(InputError, match=r"--overlap 1.5: use a share between 0 and 1"):
        three.agree(overlap=1.5)


def test_span_agreement_uses_documents_everyone_coded(three):
    report = three.agree(unit="span")
    assert report.documents == ["a"]  # cy did not code b
    x = next(r for r in report.rows if r["code"] == "x")
    assert (x["uses_ana"], x["uses_ben"], x["uses_cy"]) == (2, 1, 2)
    # Document a (50 characters): segment 1 "uno." [3, 7), 2 "dos dos." [11, 19),
    # 3 "tres tres tres." [23, 38). ana coded 1 and 2, ben 2, cy 2 and 3: those spans are
    # the units on a continuum of 50 (Krippendorff's alpha-u itself is checked above).
    expected = unitizing_alpha(50, [[(3, 7), (11, 19)], [(11, 19)], [(11, 19), (23, 38)]])
    assert x["alpha_u"] == round(expected.alpha, 3) and x["alpha_u"] < 1
    # ana and ben coded both documents: b follows a on the continuum (offset 50); x in
    # b#4 [42, 49) becomes [92, 99), y in b#1 [3, 7) becomes [53, 57) (ana only).
    pair = {r["code"]: r for r in three.agree(unit="span", coders=["ana", "ben"]).rows}
    x_pair = unitizing_alpha(100, [[(3, 7), (11, 19), (92, 99)], [(11, 19), (92, 99)]])
    y_pair = unitizing_alpha(100, [[(53, 57)], []])
    assert pair["x"]["alpha_u"] == round(x_pair.alpha, 3)
    assert pair["y"]["alpha_u"] == round(y_pair.alpha, 3)
    assert report.rows[-1]["code"] == "overall"


def test_disagreements_and_consensus(three):
    rows = three.disagreements(coders=["ana", "ben"])
    assert [(r["document"], r["segment"], r["code"], r["applied_by"], r["not_by"])
            for r in rows] == [("a", 1, "x", "ana", "ben"), ("b", 1, "y", "ana", "ben")]
    assert rows[0]["text"] == "uno."
    assert three.consensus("agreed", coders=["ana", "ben"]) == 2  # a#2 and b#4
    assert {(r["document"], r["segment"]) for r in three.codings("agreed")} == {("a", 2),
                                                                               ("b", 4)}
    assert three.consensus("agreed", coders=["ana", "ben"]) == 0  # never duplicated
    with pytest.raises(InputError, match="--consensus ana: that is one of the coders"):
        three.consensus("ana", coders=["ana", "ben"])


# -- ratings tables -------------------------------------------------------------------------

def test_ratings_csv_reproduces_krippendorff_2011(tmp_path):
    from qcode.agreement import agree_ratings

    rows = ["unit,A,B,C,D", "1,1,1,,1", "2,2,2,3,2", "3,3,3,3,3", "4,3,3,3,3", "5,2,2,2,2",
            "6,1,2,3,4", "7,4,4,4,4", "8,1,1,2,1", "9,2,2,2,2", "10,,5,5,5", "11,,,1,1",
            "12,,3,,"]
    path = write(tmp_path / "k.csv", "\n".join(rows) + "\n")
    for level, published in (("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                             ("ratio", 0.797)):
        report = agree_ratings(path, level)
        assert report.rows[0]["alpha"] == published
        assert report.rows[0]["units"] == 11
    nominal = agree_ratings(path, "nominal").rows[0]
    # Fleiss' kappa for four coders, computed here from the table (units rated at least
    # twice; p_a = mean share of agreeing pairs, p_e = sum of squared mean shares).
    table = [[v for v in row.split(",")[1:] if v] for row in rows[1:]]
    table = [unit for unit in table if len(unit) >= 2]
    categories = sorted({v for unit in table for v in unit})
    agreeing = [sum(unit.count(c) * (unit.count(c) - 1) for c in categories)
                / (len(unit) * (len(unit) - 1)) for unit in table]
    shares = [sum(unit.count(c) / len(unit) for unit in table) / len(table) for c in categories]
    p_a, p_e = sum(agreeing) / len(table), sum(p * p for p in shares)
    assert nominal["kappa"] == round((p_a - p_e) / (1 - p_e), 3)
    assert agree_ratings(path, "interval").rows[0]["kappa"] is None


def test_ratings_csv_errors(tmp_path):
    from qcode.agreement import agree_ratings

    bad = write(tmp_path / "bad.csv", "unit,a,b\n1,x,2\n")
    with pytest.raises(InputError, match=r"bad.csv, line 2: 'x' is not a number; interval"):
        agree_ratings(bad, "interval")
    wide = write(tmp_path / "wide.csv", "a,b\n1,2,3\n")
    with pytest.raises(InputError, match=r"wide.csv, line 2: 3 values for 2 coders"):
        agree_ratings(wide, "nominal")


# -- merging copies ---------------------------------------------------------------------------

@pytest.fixture
def copies(tmp_path):
    """Two copies of one study: ana codes in hers, ben in his."""
    made = []
    for coder in ("ana", "ben"):
        project = Project.init(tmp_path / coder, coder=coder)
        project.import_files([SAMPLES], attributes=SAMPLES / "attributes.csv")
        project.load_codebook(SAMPLES.parent / "codebooks" / "prison_phones.yaml")
        project.import_codings(SAMPLES / f"codings_{coder}.csv")
        made.append(project)
    ana, ben = made
    ben.code("guardia_lurigancho_2016", [3], ["route.staff"])
    ben.uncode("guardia_lurigancho_2016", [3], ["route.staff"])
    ben.conn.execute("INSERT INTO memo (target, target_id, author, text, created_at) SELECT"
                     " 'segment', id, 'ben', 'check this', 'now' FROM segment WHERE ordinal = 5"
                     " AND document_id = (SELECT id FROM document WHERE name ="
                     " 'guardia_lurigancho_2016')")
    return ana, ben


def test_merge_twice_adds_nothing_the_second_time(copies):
    ana, ben = copies
    ben.close()
    report = ana.merge(ben.path)
    # ben's copy holds the 83 rows of codings_ben.csv plus one removed coding (route.staff
    # on guardia#3, kept as history): 84 come across, and the one memo.
    ben_rows = data_rows(SAMPLES / "codings_ben.csv")
    assert (report.documents, report.codings_added, report.memos_added) == (6, ben_rows + 1, 1)
    again = ana.merge(ben.path)
    assert (again.codings_added, again.codings_present, again.memos_added) == (0, ben_rows + 1,
                                                                             0)
    assert {r["coder"] for r in ana.codings()} == {"ana", "ben"}
    removed = ana.conn.execute("SELECT count(*) FROM coding WHERE removed_at IS NOT NULL")
    assert removed.fetchone()[0] == 1  # ben's removal came along as history
    rows = {r["code"]: r for r in ana.agree().rows}
    # units: every segment of the documents both coders coded (the documents named in both
    # CSV files), once per code
    both = set.intersection(*({r["document"] for r in csv.DictReader(
        (SAMPLES / f"codings_{c}.csv").open(encoding="utf-8"))} for c in ("ana", "ben")))
    segments = sum(d["segments"] for d in ana.documents() if d["name"] in both)
    assert rows["route.visitors"]["units"] == segments == 107


def test_merge_with_coder_map_and_csv(copies, tmp_path):
    ana, ben = copies
    ben.close()
    ana.merge(ben.path, {"ben": "ben2"})
    assert {r["coder"] for r in ana.codings()} == {"ana", "ben2"}
    report = ana.merge(SAMPLES / "codings_ben.csv", {"ben": "ben3"})
    assert report.codings_added == data_rows(SAMPLES / "codings_ben.csv")


def test_merge_refuses_changed_text_and_unknown_codes(copies, tmp_path):
    ana, ben = copies
    ben.conn.execute("UPDATE document SET text = text || ' extra', sha256 = 'changed'"
                     " WHERE name = 'expert_ngo_2016'")
    ben.close()
    with pytest.raises(InputError, match=r"document 'expert_ngo_2016' has a different text"):
        ana.merge(ben.path)
    assert not [r for r in ana.codings() if r["coder"] == "ben"]
    with pytest.raises(InputError, match="no such project or file to merge"):
        ana.merge(tmp_path / "missing.db")
    with pytest.raises(ProjectError, match="is not a qcode project"):
        ana.merge(write(tmp_path / "fake.db", "not a database " * 40))


# -- command line ---------------------------------------------------------------------------

def test_agree_and_disagreements_commands(three):
    env = {"QCODE_PROJECT": str(three.path)}
    table = run("agree", "--coders", "ana,ben", env=env)
    assert table.exit_code == 0, table.output
    assert "ana, ben: 8 units per code; κ = Cohen's kappa" in table.stdout
    data = json.loads(run("agree", "--coders", "ana,ben", "--format", "json", env=env).stdout)
    assert data[0]["code"] == "x" and data[0]["kappa"] == round(20 / 28, 3)
    tex = run("agree", "--coders", "ana,ben", "--format", "tex", env=env).stdout
    assert tex.startswith("\\begin{tabular}") and "overall (pooled)" in tex
    result = run("agree", "--metrics", "alpha,nope", env=env)
    assert result.stderr == ("error: --metrics: unknown nope; choose from percent, kappa, "
                             "alpha, pi, bp, ac1\n")
    three.memo("ana saw a question, not an answer", document="a", segment="1", coder="ana")
    md = run("disagreements", "--coders", "ana,ben", "--format", "md", env=env).stdout
    assert md.splitlines()[0] == "| document | segment | speaker | code | applied_by | not_by " \
                                 "| text | memos |"
    assert md.splitlines()[2].endswith("| uno. | ana: ana saw a question, not an answer |")
    consensus = run("agree", "--coders", "ana,ben", "--consensus", "final", env=env)
    assert "consensus: 2 codings written for coder final" in consensus.stderr


def test_agree_ratings_command(tmp_path):
    path = write(tmp_path / "r.csv", "a,b\n1,1\n2,2\n1,2\n2,2\n")
    result = run("agree", "--ratings", path, "--format", "csv")
    assert result.exit_code == 0
    header, row = result.stdout.splitlines()
    assert header == ("code,units,percent,kappa,alpha,pi,bp,ac1,reading,flags,kappa_reading,"
                      "alpha_reading,pi_reading,bp_reading,ac1_reading")
    assert row.startswith("r,4,0.75,0.5,")
    # p_o = .75; Cohen: p_e = .5*.25 + .5*.75 = .5 -> kappa .5, "moderate" (Landis & Koch)
    assert row.split(",")[-5] == "moderate"
