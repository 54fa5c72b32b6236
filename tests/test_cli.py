"""The command line: exit codes, exact messages, and the whole pipeline on the samples."""

import json
import subprocess
import sys

from tests.conftest import CODEBOOK, ROOT, SAMPLES, digest, run, write


def setup_samples(tmp_path):
    assert run("init", tmp_path / "study", "--lang", "es").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "study"), "QCODE_CODER": "ana"}
    result = run("import", SAMPLES, "--attributes", SAMPLES / "attributes.csv", env=env)
    assert result.exit_code == 0, result.output
    assert run("codebook", "load", CODEBOOK, env=env).exit_code == 0
    return env


def test_help_does_not_import_heavy_libraries():
    code = ("import sys, qcode.cli; qcode.cli.app; "
            "print(sorted(m for m in ('spacy', 'pandas', 'sklearn', 'pydantic', 'docx', "
            "'webvtt', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
    help_run = subprocess.run([sys.executable, "-m", "qcode", "--help"], capture_output=True,
                              text=True, cwd=ROOT)
    assert help_run.returncode == 0 and "import" in help_run.stdout


def test_no_project_message(tmp_path):
    result = run("docs")
    assert result.exit_code == 1
    assert result.stderr == (f"error: no qcode project in {tmp_path} or any folder above it; "
                             "run `qcode init` here, or pass --project PATH or set "
                             "QCODE_PROJECT\n")


def test_init_import_and_listings(tmp_path):
    env = setup_samples(tmp_path)
    result = run("import", SAMPLES, env=env)
    assert "6 already present" in result.stderr
    docs = json.loads(run("docs", "--format", "json", env=env).stdout)
    assert [d["name"] for d in docs][:2] == ["administrador_castro_castro_2017", "expert_ngo_2016"]
    csv_lines = run("docs", "--format", "csv", env=env).stdout.splitlines()
    assert csv_lines[0] == "name,language,format,words,segments,speakers,attributes,codings,pii"
    # words: whitespace-separated words of the file (its text is stored as it is, minus
    # a BOM and CR line ends, so the count does not depend on qcode's reading)
    words = len((SAMPLES / "guardia_lurigancho_2016.txt").read_text(encoding="utf-8").split())
    assert words == 968
    assert csv_lines[5].startswith(f"guardia_lurigancho_2016,es,txt,{words},29,\"E, G\",")
    shown = run("show", "guardia_lurigancho_2016", env=env)
    assert shown.exit_code == 0 and "Voy a cumplir nueve años" in shown.stdout


def test_import_reports_encoding_and_bad_file(tmp_path):
    assert run("init", tmp_path / "p").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "p")}
    path = write(tmp_path / "win.txt", "E: ¿Señor?\nR: Sí.\n".encode("cp1252"))
    result = run("import", path, env=env)
    assert "imported win: 2 segments (turns, layout colon) (windows-1252 assumed)" in result.stderr
    before = digest(tmp_path / "p" / "qcode.db")
    bad = write(tmp_path / "bad.txt", b"E: \x81\n")
    result = run("import", bad, env=env)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {bad}, line 1: byte 0x81 is not valid UTF-8 nor "
                             "Windows-1252; convert the file to UTF-8 or pass --encoding\n")
    assert digest(tmp_path / "p" / "qcode.db") == before
    assert run("import", env=env).stderr == ("error: nothing to import; name transcript files or "
                                             "folders, or give --attributes FILE.csv\n")


def test_code_uncode_quotes_and_errors(tmp_path):
    env = setup_samples(tmp_path)
    result = run("code", "guardia_lurigancho_2016", "7", "route.visitors", "--memo", "pan",
                 env=env)
    assert result.exit_code == 0
    assert result.stderr == "coded segment 7 of guardia_lurigancho_2016 with route.visitors\n"
    result = run("code", "guardia_lurigancho_2016", "7", "route.visiters", env=env)
    assert result.exit_code == 1
    assert result.stderr == ("error: unknown code 'route.visiters'; did you mean "
                             "route.visitors, route.suppliers, route.staff?\n")
    result = run("code", "guardia_lurigancho_2016", "x", "route.visitors", env=env)
    assert result.stderr == ("error: 'x' is not a segment number; use e.g. 3, 3-5 or 3,7 "
                             "(numbers as shown by `qcode show`)\n")
    result = run("code", "guardia_lurigancho_2016", "route.visitors", env=env)
    assert result.stderr.startswith("error: give SEGMENT and at least one CODE")
    assert run("code", "guardia_lurigancho_2016", "--span", "0:10", "route",
               env=env).exit_code == 0
    quotes = run("quotes", "route", "--include-children", "--format", "json", env=env)
    assert [(q["segment"], q["code"], q["memo"]) for q in json.loads(quotes.stdout)] == [
        (1, "route", ""), (7, "route.visitors", "pan")]
    assert run("uncode", "guardia_lurigancho_2016", "7", "route.visitors", env=env).stderr == \
        "removed 1 coding(s) from guardia_lurigancho_2016\n"
    result = run("uncode", "guardia_lurigancho_2016", "7", "route.visitors", env=env)
    assert result.exit_code == 1
    assert result.stderr == ("error: ana has not coded segment 7 of 'guardia_lurigancho_2016' "
                             "with route.visitors; nothing removed\n")


def test_codings_import_export_and_matrix_files(tmp_path):
    env = setup_samples(tmp_path)
    for coder in ("ana", "ben"):
        result = run("codings", "import", SAMPLES / f"codings_{coder}.csv", env=env)
        assert result.exit_code == 0, result.output
    exported = run("codings", "export", env=env).stdout.splitlines()
    assert exported[0] == "document,code,coder,segment,start,end,memo"
    assert len(exported) == 1 + 90 + 83
    out = tmp_path / "tables" / "matrix.csv"
    result = run("export", "matrix", "--out", out, env=env)
    assert result.exit_code == 1
    assert result.stderr == (f"error: --out {out}: folder {out.parent} does not exist; "
                             "create it first\n")
    out.parent.mkdir()
    assert run("export", "matrix", "--out", out, env=env).exit_code == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("code (segments),administrador_castro_castro_2017,expert_ngo_")
    assert lines[-1].startswith("Total,")
    assert [p.name for p in out.parent.iterdir()] == ["matrix.csv"]  # no temp file left
    result = run("export", "matrix", "--format", "xls", env=env)
    assert result.stderr == ("error: unknown format 'xls'; supported: csv, xlsx, tex, md, json, "
                             "html\n")
    md = run("export", "matrix", "--format", "md", "--coder", "ben", env=env).stdout
    assert md.splitlines()[1].startswith("|---|")


def test_codebook_commands(tmp_path):
    env = setup_samples(tmp_path)
    assert run("codebook", "validate", CODEBOOK).stderr == \
        f"ok: {CODEBOOK} is a valid codebook\n"
    broken = write(tmp_path / "broken.yaml", "codes:\n  - id: a\n    nam: A\n")
    result = run("codebook", "validate", broken)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{broken}:2: codes[0].name: required field 'name' is missing",
        f"{broken}:3: codes[0].nam: unknown field 'nam' (did you mean 'name'?)",
        f"2 problem(s) in {broken}"]
    result = run("codebook", "load", broken, env=env)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {broken}:2: codes[0].name: required field 'name' is "
                             "missing (and 1 more problem; `qcode codebook validate FILE` "
                             "lists them all)\n")
    shown = run("codebook", "show", env=env).stdout
    assert "  route.visitors  Through visitors (0 codings)\n" in shown   # plain when piped
    assert run("codebook", "rename", "route.thrown", "route.over_wall", env=env).exit_code == 0
    assert "route.over_wall" in run("codebook", "show", "--format", "csv", env=env).stdout


def test_config_sets_the_coder(tmp_path):
    assert run("init", tmp_path / "p").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "p")}
    assert run("config", "coder", "zoe", env=env).exit_code == 0
    assert run("config", "coder", env=env).stdout == "zoe\n"
    result = run("config", "colour", "red", env=env)
    assert result.stderr == ("error: unknown setting 'colour'; settings you can change: coder, "
                             "language, model\n")


def test_not_a_project_file(tmp_path):
    path = write(tmp_path / "qcode.db", "not sqlite " * 50)
    result = run("--project", path, "docs")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {path} is not a qcode project (file is not a database); "
                             "run `qcode init` in another folder or pass the right --project\n")


FAILING = [
    ("import", "missing.txt"),
    ("import", SAMPLES / "attributes.csv"),
    ("codebook", "load", "missing.yaml"),
    ("code", "guardia_lurigancho_2016", "99", "route.visitors"),
    ("code", "guardia_lurigancho_2016", "3", "route.visitors", "no.such.code"),
    ("code", "nobody", "3", "route.visitors"),
    ("code", "guardia_lurigancho_2016", "--span", "10:5", "route"),
    ("uncode", "guardia_lurigancho_2016", "3", "route.visitors"),
    ("codebook", "rename", "route", "motive"),
    ("codings", "import", SAMPLES / "attributes.csv"),
    ("quotes", "no.such.code"),
    ("export", "matrix", "--coder", "nobody"),
]


def test_failing_commands_leave_the_project_byte_for_byte_unchanged(tmp_path):
    env = setup_samples(tmp_path)
    database = tmp_path / "study" / "qcode.db"
    before = digest(database)
    for args in FAILING:
        result = run(*args, env=env)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, args
        assert digest(database) == before, args


def test_suggest_commands(tmp_path):
    env = setup_samples(tmp_path)
    result = run("suggest", "guardia_lurigancho_2016", "--method", "rules", env=env)
    assert result.exit_code == 0, result.output
    assert "1 documents, 29 segments: " in result.stderr
    listed = run("suggestions", "--status", "pending", "--format", "csv", env=env).stdout
    lines = listed.splitlines()
    assert lines[0] == "id,document,segment,code,score,method,evidence,coder,status"
    first_id = lines[1].split(",")[0]
    accepted = run("suggestions", "accept", first_id, env=env)
    assert accepted.exit_code == 0 and accepted.stderr.startswith(f"accepted #{first_id}: ")
    assert run("suggestions", "reject", "99999", env=env).stderr == (
        "error: no suggestion 99999; `qcode suggestions` lists them with their ids\n")
    result = run("suggest", "evaluate", env=env)
    assert result.stderr.startswith("error: evaluation needs coded segments in at least two "
                                    "documents (found 1)")
    for coder in ("ana", "ben"):
        run("codings", "import", SAMPLES / f"codings_{coder}.csv", env=env)
    evaluation = run("suggest", "evaluate", "--format", "json", env=env)
    rows = {r["code"]: r for r in json.loads(evaluation.stdout)}
    assert rows["micro"]["segments"] == 107  # 4 coded documents: 29 + 27 + 28 + 23 segments
    trained = run("suggest", "train", env=env)
    assert trained.stderr.startswith("model trained: ")
    assert "too few coded segments to learn (need 5): route.suppliers (1)" in trained.stderr
    model = run("suggest", "--method", "model", env=env)
    assert "model reused (coding unchanged)" in model.stderr
    result = run("suggest", "nope", env=env)
    assert result.stderr.startswith("error: no document 'nope'")
    result = run("suggest", "--model", "xx_missing_pipeline", env=env)
    assert result.stderr.startswith("error: --model xx_missing_pipeline: no spaCy pipeline")
