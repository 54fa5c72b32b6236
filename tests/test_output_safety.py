"""Where and how exports are written: formula injection (XLSX text cells, CSV neutralised
unless --raw), folders and devices refused, symlinks followed, umask respected, a full disk
said in one line with nothing left behind."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qcode.exporters.tables import neutralise, unneutralise
from tests.conftest import ROOT, run
from tests.hostile import refused, small_project

FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def coded(tmp_path):
    env = small_project(tmp_path, codebook=True)
    result = run("code", "entrevista", "2", "route.visitors", "--memo", FORMULA, env=env)
    assert result.exit_code == 0, result.output
    return env


@pytest.mark.parametrize("value, shown", [
    ("=1+1", "'=1+1"), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-3", "-3"), ("+4.5", "+4.5"), ("-1e3", "-1e3"),
    ("hola = chau", "hola = chau"), ("", ""), (-3, -3), (0.5, 0.5), (None, None),
])
def test_neutralise_follows_owasp(value, shown):
    assert neutralise(value) == shown
    if isinstance(value, str):
        assert unneutralise(shown) == value  # what codings import reads back


def test_xlsx_cells_are_text_never_formulas(coded, tmp_path):
    out = tmp_path / "q.xlsx"
    assert run("export", "quotes", "--out", out, env=coded).exit_code == 0
    sheet = load_workbook(out)["quotes"]
    memo_column = [c.value for c in sheet[1]].index("memo")
    cell = sheet.cell(row=2, column=memo_column + 1)
    assert cell.value == FORMULA and cell.data_type == "s"
    # no cell in the workbook is a formula
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_exports_neutralise_formulas_unless_raw(coded, tmp_path):
    out = tmp_path / "q.csv"
    assert run("export", "quotes", "--out", out, env=coded).exit_code == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert row["memo"] == "'" + FORMULA
    assert run("export", "quotes", "--out", out, "--raw", env=coded).exit_code == 0
    assert next(csv.DictReader(out.open(encoding="utf-8")))["memo"] == FORMULA
    exported = run("codings", "export", env=coded).stdout
    assert next(csv.DictReader(io.StringIO(exported)))["memo"] == "'" + FORMULA
    raw = run("codings", "export", "--raw", env=coded).stdout
    assert next(csv.DictReader(io.StringIO(raw)))["memo"] == FORMULA


def test_listings_neutralise_with_global_raw_to_opt_out(coded, tmp_path):
    from tests.conftest import write

    doc = write(tmp_path / "in" / "x.txt", "E: hola\n")
    assert run("import", doc, "--as", "=cmd()", env=coded).exit_code == 0
    lines = run("docs", "--format", "csv", env=coded).stdout.splitlines()
    assert lines[1].startswith("'=cmd(),")
    lines = run("--raw", "docs", "--format", "csv", env=coded).stdout.splitlines()
    assert lines[1].startswith("=cmd(),")


def test_out_folder_is_refused(coded, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    refused(coded, "export", "matrix", "--out", folder,
            message=f"--out {folder}: is a folder; give a file name (e.g. {folder}/NAME)")
    assert list(folder.iterdir()) == []


def test_out_device_is_refused_and_left_alone(coded):
    device = Path("/dev/null")
    refused(coded, "export", "matrix", "--out", device, "--format", "csv",
            message=f"--out {device}: is not a regular file (a device, pipe or socket); "
            "qcode writes only regular files")
    assert stat.S_ISCHR(device.stat().st_mode)


def test_out_symlink_writes_its_target_and_stays_a_link(coded, tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run("export", "matrix", "--out", link, env=coded).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("code,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # an existing file keeps its mode


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_get_the_mode_the_umask_gives(coded, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        for name in ("m.csv", "m.xlsx", "q.docx"):
            command = "quotes" if name == "q.docx" else "matrix"
            assert run("export", command, "--out", tmp_path / name, env=coded).exit_code == 0
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name
    finally:
        os.umask(old)


def test_full_disk_on_export_is_one_line_and_leaves_nothing(coded, tmp_path, monkeypatch):
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    out = tmp_path / "m.csv"
    refused(coded, "export", "matrix", "--out", out,
            message=f"{out}: no space left on the disk (or quota exceeded); nothing was "
            "written; free some space and run the command again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "p"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_on_standard_output(coded):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "qcode", "export", "matrix"],
                                stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                env={**os.environ, **coded})
    assert result.returncode == 1
    assert result.stderr == ("error: could not write the output: No space left on device "
                             "(errno 28); free some space or write to another place with "
                             "--out\n")


def test_codebook_report_and_cooccurrence_csv_neutralise_unless_raw(tmp_path):
    from tests.conftest import write

    env = small_project(tmp_path)
    book = write(tmp_path / "cb.yaml", "codes:\n  - id: a\n    name: '=cmd()'\n"
                 "    definition: '@SUM(1)'\n  - id: b\n    name: B\n")
    assert run("codebook", "load", book, env=env).exit_code == 0
    assert run("code", "entrevista", "1", "a", "b", env=env).exit_code == 0
    plain = run("export", "codebook", "--format", "csv", env=env).stdout
    raw = run("export", "codebook", "--format", "csv", "--raw", env=env).stdout
    assert "'=cmd()" in plain and "'@SUM(1)" in plain
    assert "'=" not in raw and "=cmd()" in raw and "@SUM(1)" in raw
    for flags in ([], ["--raw"]):
        result = run("report", tmp_path / f"report{len(flags)}", *flags, env=env)
        assert result.exit_code == 0, result.output
    assert "'@SUM(1)" in (tmp_path / "report0" / "codebook.csv").read_text()
    assert "'@SUM(1)" not in (tmp_path / "report1" / "codebook.csv").read_text()
    # co-occurrence holds only ids and counts: --raw changes nothing there
    cooccurrence = [run("export", "cooccurrence", *flags, env=env).stdout
                    for flags in ([], ["--raw"])]
    assert cooccurrence[0] == cooccurrence[1] and cooccurrence[0].startswith("code,a,b")


def test_a_neutralised_codings_export_reads_back_as_written(coded, tmp_path):
    out = tmp_path / "codings.csv"
    assert run("codings", "export", "--out", out, env=coded).exit_code == 0
    assert "'" + FORMULA.replace('"', '""') in out.read_text()
    assert run("init", tmp_path / "q").exit_code == 0
    other = {"QCODE_PROJECT": str(tmp_path / "q"), "QCODE_CODER": "ana"}
    from tests.conftest import CODEBOOK

    assert run("import", tmp_path / "in" / "entrevista.txt", env=other).exit_code == 0
    assert run("codebook", "load", CODEBOOK, env=other).exit_code == 0
    assert run("codings", "import", out, env=other).exit_code == 0
    again = run("codings", "export", "--raw", env=other).stdout
    assert next(csv.DictReader(io.StringIO(again)))["memo"] == FORMULA
