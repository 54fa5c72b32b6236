"""REFI-QDA import of the real exports in ../shared/refi-qda/samples (ATLAS.ti 23, NVivo 15
for Mac, qc 1.3.2). Expected values are read off the XML by hand (see the comments) or by a
plain lxml walk of the XML that does not use qcode's reader."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from qcode import Project

from .conftest import SHARED, run

SAMPLES = SHARED / "refi-qda" / "samples"
ATLAS_BLANK = SAMPLES / "atlasti23_enricllagostera-ponte" / "blank-atlas-project.qdpx"
ATLAS = SAMPLES / "atlasti23_enricllagostera-ponte" / "target-atlas-project.qdpx"
NVIVO = SAMPLES / "nvivo-mac15_cproctor-qualitative-coding" / "nvivo_project.qdpx"
QC = SAMPLES / "qc132_cproctor-qualitative-coding" / "demo.qdpx"
NS = {"q": "urn:QDA-XML:project:1.0"}

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/refi-qda is absent")


def _xml(path):
    return zipfile.ZipFile(path).read("project.qde")


@pytest.mark.parametrize("sample", [ATLAS_BLANK, ATLAS, NVIVO, QC], ids=lambda p: p.stem)
def test_every_sample_imports_with_init_from(sample, tmp_path):
    # real exports can name real people: the anonymisation check is tested on its own below
    result = run("init", tmp_path / "p", "--from", sample, "--allow-pii")
    assert result.exit_code == 0, result.output
    with Project(tmp_path / "p") as project:
        codes = project.codes()
    # every <Code> element of the XML becomes a code
    assert len(codes) == len(re.findall(rb"<Code\b", _xml(sample)))


def test_atlas_hierarchy(tmp_path):
    # target-atlas-project.qde: Commits > {2022-05-10T02:05:59Z 19e4dce, 2022-02-11T10:39:25Z
    # cdbfd92}; all three isCodable="true"
    with Project.init(tmp_path / "p", from_qdpx=ATLAS) as project:
        codes = {c["name"]: c for c in project.codes()}
    assert list(codes) == ["Commits", "2022-05-10T02:05:59Z 19e4dce",
                           "2022-02-11T10:39:25Z cdbfd92"]
    parent = codes["Commits"]["id"]
    assert codes["Commits"]["parent"] is None
    assert codes["2022-02-11T10:39:25Z cdbfd92"]["parent"] == parent
    assert codes["2022-02-11T10:39:25Z cdbfd92"]["id"] == "commits.2022-02-11t10_39_25z_cdbfd92"


def test_nvivo_sources_without_text_are_skipped_with_a_warning(tmp_path):
    # both TextSources have plainTextPath .txt files holding only "\n" and .docx files with
    # one empty paragraph: there is no text to import.
    result = run("init", tmp_path / "p", "--from", NVIVO)
    assert result.exit_code == 0
    assert result.stderr.count("skipped: it has no text") == 2
    with Project(tmp_path / "p") as project:
        assert project.documents() == []
        names = [c["name"] for c in project.codes()]
    # nested deeply: rq1_definition > competencies > programming, and "programming" again
    # under rq1_definition > framings > cs_as_programming
    assert names.count("programming") == 2


# demo.qde: 158 <PlainTextSelection> elements holding 205 <Coding> elements, all in
# TextSource plainTextPath="board_2017.txt"; admin-1.txt has none.
QC_SELECTIONS = 158
QC_CODINGS = 205
# Selections read by hand from demo.qde and sources/board_2017.txt (ASCII, LF line ends):
QC_BY_HAND = [
    (320, 400, {"fun"},
     "This district goal is engage every student in joyful, purposeful learning that \n"),
    (474, 552, {"learning_opportunities"},
     "maximizes each student's opportunity to excel academically. Action step five \n"),
    (3670, 3750, {"well_educated_adult", "rationales"},
     "presentation is based on the following opinions. One, a well educated adult in \n"),
    (51547, 51627, {"equity"},
     "similar equity issues [inaudible 00:54:11] access to that curriculum, which we \n"),
]


def _imported(project: Project) -> dict[tuple[int, int], tuple[set[str], str]]:
    rows = project.conn.execute(
        'SELECT c.start, c."end", k.name, substr(d.text, c.start + 1, c."end" - c.start) AS q'
        " FROM coding c JOIN code k ON k.id = c.code_id JOIN document d ON d.id = c.document_id"
        " WHERE d.name = 'board_2017'").fetchall()
    spans: dict[tuple[int, int], tuple[set[str], str]] = {}
    for row in rows:
        spans.setdefault((row["start"], row["end"]), (set(), row["q"]))[0].add(row["name"])
    return spans


def test_qc_sample_codings_match_the_xml(tmp_path):
    refused = run("init", tmp_path / "refused", "--lang", "en", "--from", QC)
    assert refused.exit_code == 1 and "likely identifier" in refused.stderr  # names in it
    result = run("init", tmp_path / "p", "--lang", "en", "--from", QC, "--allow-pii")
    assert result.exit_code == 0
    assert "no internal:// prefix" in result.stderr and "has no name" in result.stderr
    with Project(tmp_path / "p") as project:
        spans = _imported(project)
        total = project.conn.execute("SELECT count(*) FROM coding").fetchone()[0]
        coders = {r[0] for r in project.conn.execute("SELECT DISTINCT coder FROM coding")}
        docs = {d["name"] for d in project.documents()}
    assert docs == {"board_2017", "admin-1"}
    assert total == QC_CODINGS and len(spans) == QC_SELECTIONS
    assert coders == {"cp"}  # the one <User name="cp">
    for start, end, names, quote in QC_BY_HAND:
        assert spans[(start, end)] == (names, quote)
    # every selection, walked with plain lxml: its codes' names and the file's text there
    root = etree.fromstring(_xml(QC))
    names = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    text = zipfile.ZipFile(QC).read("sources/board_2017.txt").decode("utf-8")
    for selection in root.iterfind(".//q:PlainTextSelection", NS):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        wanted = {names[ref.get("targetGUID")] for ref in selection.iterfind(".//q:CodeRef", NS)}
        assert spans[(start, end)] == (wanted, text[start:end])


def test_qc_sample_imported_twice_adds_nothing(tmp_path):
    with Project.init(tmp_path / "p", language="en", from_qdpx=QC, allow_pii=True) as project:
        again = project.import_files([QC])
        assert [f.status for f in again.files] == ["unchanged", "unchanged"]
        assert f"{QC}: 2 sources, 0 codes added, 0 codings added ({QC_CODINGS} already there)" \
            in again.notes[0]
