"""Every output kind rendered from the sample project and opened the way its reader would:
LaTeX compiled with pdflatex (no error, no overfull box), XLSX read back with openpyxl,
DOCX with python-docx, terminal tables at 80 columns with no split word."""

import json
import re

import docx
import pytest
from openpyxl import load_workbook

from qcode.cli.columns import Col, fit, shorten, wrap
from qcode.exporters.latex import tex_escape
from tests.conftest import CODEBOOK, SAMPLES, run
from tests.latex import assert_compiles


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The bundled samples with both coders' codings and one memo (built once)."""
    from qcode import Project

    folder = tmp_path_factory.mktemp("thesis")
    with Project.init(folder / "study", language="es", coder="ana") as project:
        project.import_files([SAMPLES], attributes=SAMPLES / "attributes.csv")
        project.load_codebook(CODEBOOK)
        project.import_codings(SAMPLES / "codings_ana.csv")
        project.import_codings(SAMPLES / "codings_ben.csv")
    return {"QCODE_PROJECT": str(folder / "study")}


def ok(*args, env):
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    return result


# -- LaTeX ----------------------------------------------------------------------------------

TEX_KINDS = {
    "matrix": ("export", "matrix", "--format", "tex"),
    "matrix_by_role_path_labels": ("export", "matrix", "--by", "attribute:role", "--labels",
                                   "path", "--format", "tex"),
    "matrix_percent_by_speaker": ("export", "matrix", "--by", "speaker", "--percent", "row",
                                  "--format", "tex"),
    "cooccurrence": ("export", "cooccurrence", "--format", "tex"),
    "cooccurrence_all": ("export", "cooccurrence", "--all", "--jaccard", "--format", "tex"),
    "agreement": ("agree", "--coders", "ana,ben", "--format", "tex"),
    "agreement_all_metrics": ("agree", "--coders", "ana,ben", "--metrics",
                              "percent,kappa,alpha,pi,bp,ac1", "--format", "tex"),
    "codebook": ("export", "codebook", "--format", "tex"),
    "quotations": ("export", "quotes", "--format", "tex"),
    "quotations_by_role": ("export", "quotes", "--by", "attribute:role", "--format", "tex"),
}


@pytest.mark.parametrize("kind", list(TEX_KINDS))
def test_every_tex_kind_compiles_in_a_plain_a4_article(sample, tmp_path, kind):
    tex = ok(*TEX_KINDS[kind], env=sample).stdout
    assert "\\begin{document}" not in tex            # a fragment to \input by default
    for raw in "ακπ≥≤×":                              # Greek and symbols only as LaTeX
        assert raw not in tex
    assert_compiles(tex, tmp_path, kind)


def test_standalone_and_landscape_compile(sample, tmp_path):
    tex = ok("export", "matrix", "--standalone", "--landscape", "--format", "tex",
             env=sample).stdout
    assert tex.startswith("\\documentclass[a4paper]{article}") and "{landscape}" in tex
    assert_compiles(tex, tmp_path, "landscape")


def test_a_wide_matrix_still_fits(tmp_path):
    """Forty documents with long names: the table steps down and splits its columns rather
    than running off the page."""
    from qcode.exporters.latex import rows_table
    from qcode.exporters.latex import wrap as wrap_tex

    columns = ["code (segments)"] + [f"interview_with_a_long_name_{n:02d}" for n in range(40)]
    rows = [{"code (segments)": f"obstacle.infrastructure.level_{r}",
             **{c: (r * 7 + i) % 120 for i, c in enumerate(columns[1:])}} for r in range(60)]
    tex = wrap_tex(rows_table(rows, columns, caption="Wide"))
    assert "(part 2 of" in tex
    assert_compiles(tex, tmp_path, "wide")


def test_tex_escape_writes_symbols_as_latex_and_survives_any_character(tmp_path):
    assert tex_escape("α ≥ .667 & 50% κ_1") == r"$\alpha$ $\geq$ .667 \& 50\% $\kappa$\_1"
    assert tex_escape("a.b_c", breakable=True) == r"a.\allowbreak{}b\_\allowbreak{}c"
    every = " ".join(chr(c) for c in range(0x20, 0x180) if chr(c).isprintable())
    body = tex_escape(every + " «comillas» “curly” — 中文 😀 ✓ € ° …")
    assert "[U+4E2D]" in body and "[U+1F600]" in body
    assert_compiles("% Written by qcode. Needs in the preamble: \\usepackage{booktabs}\n"
                    + body + "\n", tmp_path, "characters")


# -- numbers --------------------------------------------------------------------------------

def test_agreement_numbers_on_screen_and_in_data(sample):
    screen = ok("agree", "--coders", "ana,ben", env=sample).stdout
    # route.visitors: 106 of 107 units agree -> 99.1%; kappa to three decimals
    line = next(ln for ln in screen.splitlines() if ln.startswith("route.visitors "))
    assert "99.1%" in line and re.search(r"\b0\.\d{3}\b", line)
    data = json.loads(ok("agree", "--coders", "ana,ben", "-f", "json", env=sample).stdout)
    route = next(r for r in data if r["code"] == "route")   # a parent nobody coded
    assert route["percent"] is None and route["alpha"] is None
    assert route["kappa_reading"] is None and route["reading"].endswith("nobody used this code")
    visitors = next(r for r in data if r["code"] == "route.visitors")
    assert visitors["percent"] == pytest.approx(106 / 107)   # full precision, a proportion
    assert len(repr(visitors["kappa"])) > 6                    # not rounded to 3 places
    csv_row = next(ln for ln in ok("agree", "--coders", "ana,ben", "-f", "csv",
                                   env=sample).stdout.splitlines() if ln.startswith("route,"))
    assert csv_row.startswith("route,107,0,0,,,,,,,undefined: nobody used this code")


def test_xlsx_percent_format_and_integer_counts(sample, tmp_path):
    out = tmp_path / "p.xlsx"
    ok("export", "matrix", "--percent", "row", "--out", out, env=sample)
    sheet = load_workbook(out).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "route.visitors")
    cell = next(c for c in row[1:] if c.value)
    assert cell.number_format == "0.0%" and 0 < cell.value <= 1     # a fraction Excel shows
    total = row[-1]
    assert total.value == pytest.approx(1.0)
    ok("export", "matrix", "--out", tmp_path / "c.xlsx", env=sample)
    counts = load_workbook(tmp_path / "c.xlsx").active
    values = [c for r in counts.iter_rows(min_row=2) for c in r[1:]]
    assert all(isinstance(c.value, int) and c.number_format == "0" for c in values)


def test_report_xlsx_agreement_formats(sample, tmp_path):
    ok("report", tmp_path / "r", env=sample)
    sheet = load_workbook(tmp_path / "r" / "tables.xlsx")["agreement"]
    heads = [c.value for c in sheet[1]]
    visitors = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "route.visitors")
    percent = visitors[heads.index("percent")]
    kappa = visitors[heads.index("kappa")]
    assert percent.number_format == "0.0%" and percent.value == pytest.approx(106 / 107)
    assert kappa.number_format == "0.000"


# -- quotations, codebook, disagreements ----------------------------------------------------

def test_quotes_once_per_passage_with_coders_and_names(sample, tmp_path):
    out = tmp_path / "q.docx"
    ok("export", "quotes", "--code", "route", "--out", out, env=sample)
    paragraphs = [(p.style.name, p.text) for p in docx.Document(out).paragraphs]
    quotes = [text for style, text in paragraphs if style == "Quote"]
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings[0] == "Through visitors"                       # names, not ids
    assert ("Normal", "route.visitors") in paragraphs              # the id beneath
    sources = [text for _, text in paragraphs if text.startswith("— ")]
    assert any(text.endswith("(coded by ana, ben)") for text in sources)
    # no passage twice under one heading
    rows = json.loads(ok("export", "quotes", "--code", "route", "--format", "json",
                         env=sample).stdout)
    keys = [(r["code"], r["document"], r["start"], r["end"]) for r in rows]
    assert len(keys) == len(set(keys)) and len(quotes) == len(rows)


def test_codebook_keeps_every_example_and_lists_criteria(sample, tmp_path):
    rows = json.loads(ok("export", "codebook", "--format", "json", env=sample).stdout)
    visitors = next(r for r in rows if r["code"] == "route.visitors")
    assert len(visitors["examples"]) == 2 and visitors["examples"][1].startswith("On Sundays")
    assert isinstance(visitors["include"], list) and len(visitors["include"]) == 2
    assert {"codings", "segments", "documents"} <= set(visitors)
    out = tmp_path / "cb.xlsx"
    ok("export", "codebook", "--out", out, env=sample)
    sheet = load_workbook(out).active
    heads = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "route.visitors")
    assert row[heads.index("examples")].value.count("\n") == 1       # both, one a line


def test_disagreements_carry_the_whole_passage_and_memos(sample):
    rows = json.loads(ok("disagreements", "--coders", "ana,ben", "-f", "json",
                         env=sample).stdout)
    longest = max(rows, key=lambda r: len(r["text"]))
    assert len(longest["text"]) > 300 and not longest["text"].endswith("…")
    memo = [r for r in rows if r["memos"]]
    assert memo and all(re.match(r"^(ana|ben)( on \S+)?: ", m) for r in memo
                        for m in r["memos"].splitlines())
    md = ok("disagreements", "--coders", "ana,ben", "-f", "md", env=sample).stdout
    assert longest["text"].splitlines()[0] in md
    screen = ok("disagreements", "--coders", "ana,ben", env=sample)
    assert "--format md or csv has them whole" in screen.stderr


# -- terminal tables at 80 columns ----------------------------------------------------------

def words_intact(lines: list[str], values: list[str]) -> None:
    """Every id/number/word of `values` appears whole on one line or was marked cut."""
    text = "\n".join(lines)
    for value in values:
        for word in str(value).split():
            assert word in text or "…" in text, word


@pytest.mark.parametrize("args", [("docs",), ("agree", "--coders", "ana,ben"),
                                  ("show", "guardia_lurigancho_2016"),
                                  ("disagreements", "--coders", "ana,ben"),
                                  ("quotes", "route.staff"), ("export", "--help"),
                                  ("export", "matrix", "--help")])
def test_listings_fit_80_columns_without_box_drawing(sample, args):
    result = ok(*args, env={**sample, "COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80, max(lines, key=len)
    assert not re.search(r"[│┃┏┓┗┛╭╮╰╯┡┩━]", result.stdout)       # plain text in a pipe
    assert "<bool>" not in result.stdout and "…" not in " ".join(
        ln for ln in lines if ln.lstrip().startswith("--"))          # option names whole


def test_docs_keeps_names_whole_and_says_what_moved(sample):
    lines = ok("docs", env={**sample, "COLUMNS": "80"}).stdout.splitlines()
    names = json.loads(ok("docs", "-f", "json", env=sample).stdout)
    for doc in names:
        assert any(line.startswith(doc["name"] + " ") for line in lines)
    assert any(line.strip().startswith("attributes: ") for line in lines)


def test_agree_with_three_coders_says_which_columns_are_left_out(sample):
    env = {**sample, "COLUMNS": "80"}
    ok("code", "guardia_lurigancho_2016", "9", "obstacle.infrastructure", "--coder",
       "carla_the_third_coder", env=env)
    result = ok("agree", env=env)
    assert "not shown at 80 columns: " in result.stderr
    assert "--format csv has every column" in result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_fit_never_splits_and_marks_what_it_shortens():
    rows = [{"id": "measure.enforcement.internal_affairs", "n": 123456,
             "note": "a rather long note " * 10, "extra": "x" * 30}]
    columns = [Col("id", kind="id"), Col("n", kind="num"), Col("note", min=12, priority=1),
               Col("extra", priority=2)]
    fitted = fit(rows, columns, 60)
    assert fitted.dropped == ["extra"] and "note" in fitted.cut
    body = fitted.lines[2]
    assert "measure.enforcement.internal_affairs" in body and "123456" in body
    assert body.endswith("…") and len(body) <= 60
    assert shorten("one two three four", 10) == "one two…"
    assert wrap("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    assert wrap("supercalifragilistic", 8) == ["superca…"]


# -- command line behaviour -----------------------------------------------------------------

def test_version_and_quiet_after_the_subcommand(sample, tmp_path):
    version = run("--version")
    assert version.exit_code == 0 and re.fullmatch(r"qcode \S+\n", version.stdout)
    loud = ok("export", "matrix", "--out", tmp_path / "a.csv", env=sample)
    assert "wrote" in loud.stderr
    for flag in ("-q", "--quiet"):
        quiet = ok("export", "matrix", "--out", tmp_path / "b.csv", flag, env=sample)
        assert quiet.stderr == ""


def test_document_prefixes_everywhere(sample):
    shown = ok("show", "guardia_l", "-f", "json", env=sample)
    assert json.loads(shown.stdout)["name"] == "guardia_lurigancho_2016"
    ambiguous = run("show", "guard", env=sample)
    assert ambiguous.exit_code == 1
    assert ambiguous.stderr == ("error: document 'guard' is ambiguous: "
                                "guard_castro_castro_2016, guardia_lurigancho_2016 begin "
                                "with it; give more of the name\n")
    coded = ok("code", "volunteer", "3", "motive.family", "--coder", "zoe", env=sample)
    assert "volunteer" in coded.stderr
    review = run("review", "administrador", "--coder", "zoe", env=sample, input="q\n")
    assert "stopped at administrador_castro_castro_2017" in review.stdout


def test_quotes_of_a_parent_coded_only_through_children(sample):
    result = ok("quotes", "route", env=sample)
    assert result.stderr.startswith("warning: no passages coded with route itself, but ")
    assert "add --include-children to see them" in result.stderr


def test_report_folder_a_supervisor_can_open(sample, tmp_path):
    folder = tmp_path / "report"
    ok("report", folder, env=sample)
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert "## Agreement" in index and "comparing ana, ben" in index
    assert "## Memos" in index and "pooling coders ana, ben" in index
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<img src='heatmap.png'" in page
    for name in ("matrix_by_document.tex", "agreement.tex", "codebook.tex", "quotes.tex"):
        assert (folder / name).exists()
    assert_compiles((folder / "report.tex").read_text(encoding="utf-8"), folder, "report")
