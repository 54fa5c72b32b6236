"""Export formats: XLSX, DOCX, LaTeX (compiled when pdflatex exists), HTML, figures,
the report folder, and the command line's bad inputs."""

import json

import docx
import pytest
from openpyxl import load_workbook

from tests.conftest import run, write
from tests.latex import assert_compiles
from tests.test_matrices import CODEBOOK, DOC_A, DOC_B


@pytest.fixture
def env(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "a.txt", DOC_A),
                          write(tmp_path / "b_&_c%.txt", DOC_B)],
                         attributes=write(tmp_path / "attrs.csv",
                                          "document,role\na,guard\nb_&_c%,admin\n"))
    project.code("a", [2], ["P.a", "P.b"], coder="ana", memo="a memo")
    project.code("b_&_c%", [2], ["Q"], coder="ben")
    project.close()
    return {"QCODE_PROJECT": str(project.path)}


def test_xlsx_one_sheet_bold_header_frozen_panes(env, tmp_path):
    out = tmp_path / "m.xlsx"
    assert run("export", "matrix", "--out", out, env=env).exit_code == 0
    book = load_workbook(out)
    sheet = book[book.sheetnames[0]]
    assert [c.value for c in sheet[1]] == ["code (segments)", "a", "b_&_c%", "Total"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "B2"
    assert [sheet.cell(row=r, column=1).value for r in range(2, 7)] == [
        "P (with children)", "P.a", "P.b", "Q", "Total"]
    assert sheet["B3"].value == 1 and sheet["B3"].number_format == "0"   # counts: integers
    assert sheet.column_dimensions["A"].width >= len("Total") + 2


def test_latex_escapes_and_compiles(env, tmp_path):
    tex = run("export", "matrix", "--format", "tex", "--caption", "Codes & documents",
              "--label", "tab:m", env=env).stdout
    assert "b\\_\\allowbreak{}\\&\\_\\allowbreak{}c\\%" in tex
    assert "\\caption{Codes \\& documents}" in tex
    assert "\\toprule" in tex and "\\label{tab:m}" in tex and "\\begin{longtable}" in tex
    assert_compiles(tex, tmp_path)


def test_html_json_md_and_format_from_extension(env, tmp_path):
    html = run("export", "matrix", "--format", "html", env=env).stdout
    assert html.startswith("<table>") and "<th>b_&amp;_c%</th>" in html
    rows = json.loads(run("export", "cooccurrence", "--format", "json", env=env).stdout)
    # P and Q... P is never used: left out; "--all" keeps it
    assert rows[0] == {"code (segments)": "P.a", "P.a": 1, "P.b": 1, "Q": 0}
    rows = json.loads(run("export", "cooccurrence", "--all", "-f", "json", env=env).stdout)
    assert rows[1] == {"code (segments)": "P.a", "P": 0, "P.a": 1, "P.b": 1, "Q": 0}
    out = tmp_path / "m.md"
    run("export", "matrix", "--out", out, env=env)
    assert out.read_text().splitlines()[1] == "|---|---:|---:|---:|"


def test_quotes_as_word_with_headings_per_code(env, tmp_path):
    out = tmp_path / "quotes.docx"
    result = run("export", "quotes", "--by", "attribute:role", "--out", out, env=env)
    assert result.exit_code == 0, result.output
    paragraphs = [(p.style.name, p.text) for p in docx.Document(out).paragraphs]
    # headings are code names, the id in a small line beneath
    assert ("Heading 1", "Child A") in paragraphs and ("Normal", "P.a") in paragraphs
    assert ("Heading 2", "role: guard") in paragraphs
    assert ("Quote", "“Respuesta uno.”") in paragraphs
    assert any(text == "Memo: a memo" for _, text in paragraphs)
    md = run("export", "quotes", "--code", "Q", env=env).stdout
    assert md.startswith("# Quotations\n\n## Other\n\n<small>`Q`</small>\n\n> Chau.")
    xlsx = tmp_path / "q.xlsx"
    run("export", "quotes", "--out", xlsx, env=env)
    assert load_workbook(xlsx)["quotes"]["A1"].value == "code"


def test_heatmap_and_codebook(env, tmp_path):
    for suffix, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
        out = tmp_path / f"h.{suffix}"
        result = run("export", "heatmap", "--by", "attribute:role", "--out", out, env=env)
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)
    codebook = run("export", "codebook", "--format", "md", env=env).stdout
    assert codebook.splitlines()[0] == ("| code | name | definition | include | exclude | "
                                        "examples | codings | segments | documents |")
    out = tmp_path / "codebook.docx"
    run("export", "codebook", "--out", out, env=env)
    paragraphs = [(p.style.name, p.text) for p in docx.Document(out).paragraphs]
    # a heading per code, by name, in codebook order; the id beneath; use in named units
    assert [t for style, t in paragraphs if style == "Heading 2"] == ["Parent", "Child A",
                                                                      "Child B", "Other"]
    assert ("Normal", "P.a") in paragraphs
    assert ("Normal", "Used: 1 codings, 1 segments, 1 documents") in paragraphs


def test_report_folder(env, tmp_path):
    folder = tmp_path / "report"
    result = run("report", folder, env=env)
    assert result.exit_code == 0, result.output
    names = {p.name for p in folder.iterdir()}
    assert {"index.md", "tables.xlsx", "heatmap.png", "quotes.docx", "quotes.md",
            "codebook.docx", "matrix_by_document.csv", "matrix_by_role.tex",
            "cooccurrence.md"} <= names
    assert not [n for n in names if n.endswith(".tmp")]
    index = (folder / "index.md").read_text()
    assert "## matrix by role" in index and "![heatmap](heatmap.png)" in index
    assert "matrix by role" in load_workbook(folder / "tables.xlsx").sheetnames


def test_bad_inputs(env, tmp_path):
    result = run("export", "matrix", "--by", "attribute:site", env=env)
    assert result.stderr == ("error: unknown attribute 'site'; attributes in this project: "
                             "role\n")
    result = run("export", "matrix", "--format", "xlsx", env=env)
    assert result.stderr == "error: --format xlsx writes a file; give --out FILE.xlsx\n"
    result = run("export", "heatmap", "--out", tmp_path / "h.gif", env=env)
    assert result.stderr == "error: unknown format 'gif'; supported: png, svg, pdf\n"
    result = run("export", "quotes", "--out", tmp_path / "missing" / "q.docx", env=env)
    assert result.stderr.startswith(f"error: --out {tmp_path / 'missing' / 'q.docx'}: folder ")
    result = run("export", "matrix", "--percent", "rows", env=env)
    assert result.stderr == "error: --percent rows: choose from row, column, total\n"


def test_empty_project_export_says_so(tmp_path):
    assert run("init", tmp_path / "empty").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "empty")}
    out = tmp_path / "m.csv"
    result = run("export", "matrix", "--out", out, env=env)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == ("warning: the matrix by document is empty: the "
                                             "project has no codes yet (`qcode codebook load "
                                             "FILE.yaml`)")
    assert out.read_text() == "code (segments),Total\nTotal,0\n"
    write(tmp_path / "cb.yaml", "languages: [es]\ncodes:\n  - {id: x, name: X}\n")
    assert run("codebook", "load", tmp_path / "cb.yaml", env=env).exit_code == 0
    result = run("export", "matrix", "--out", out, env=env)
    assert result.stderr.splitlines()[0] == ("warning: the matrix by document is empty: the "
                                             "project has no documents yet (`qcode import "
                                             "FILES`)")
    assert run("import", write(tmp_path / "a.txt", "E: hola.\nR: sí.\n"), env=env).exit_code == 0
    result = run("export", "matrix", "--out", out, env=env)
    assert result.stderr.splitlines()[0] == (
        "warning: the matrix by document is all zeros: no codings yet, or none that the options "
        "select (suggestions count once accepted: `qcode review`)")
    report = run("report", tmp_path / "r", env=env)
    assert report.exit_code == 0 and "tables are empty" in report.stderr


def test_heatmap_titles_say_when_columns_are_a_document_attribute(env, tmp_path, monkeypatch):
    """`--by attribute:role` (documents' attribute) and `--by role` (speakers' roles) are
    different columns: the title names which."""
    from qcode.exporters import figures

    titles = []
    monkeypatch.setattr(figures, "write_heatmap", lambda out, frame, title, fmt: titles.append(
        title))
    for by in ("attribute:role", "role", "document"):
        result = run("export", "heatmap", "--by", by, "--out", tmp_path / "h.png", env=env)
        assert result.exit_code == 0, result.output
    assert titles == ["Codes × attribute role: segments", "Codes × role: segments",
                      "Codes × document: segments"]
