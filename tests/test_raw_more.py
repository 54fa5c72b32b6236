"""`--raw` on the exports the output-safety tests did not reach: a code definition that
starts like a formula is written neutralised (`'=...`) unless --raw."""

import csv
import io

from tests.conftest import run, write

CODEBOOK = """\
codes:
  - {id: x, name: X, definition: "=HYPERLINK(\\"http://x\\")"}
  - {id: y, name: Y}
"""


def _project(tmp_path):
    from qcode import Project

    with Project.init(tmp_path / "s", coder="ana") as project:
        project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
        project.import_files([write(tmp_path / "a.txt", "E: uno.\nR: dos.\n")])
        project.code("a", [1], ["x", "y"])
    return {"QCODE_PROJECT": str(tmp_path / "s")}


def test_codebook_and_report_raw_and_cooccurrence_raw(tmp_path):
    env = _project(tmp_path)
    definition = '=HYPERLINK("http://x")'
    safe = run("export", "codebook", "--format", "csv", env=env).stdout
    raw = run("export", "codebook", "--format", "csv", "--raw", env=env).stdout
    assert next(csv.DictReader(io.StringIO(safe)))["definition"] == "'" + definition
    assert next(csv.DictReader(io.StringIO(raw)))["definition"] == definition
    for flag, expected in (([], "'" + definition), (["--raw"], definition)):
        folder = tmp_path / f"report{len(flag)}"
        assert run("report", folder, *flag, env=env).exit_code == 0
        cells = {cell for p in folder.rglob("*.csv")
                 for row in csv.reader(io.StringIO(p.read_text(encoding="utf-8")))
                 for cell in row}
        assert expected in cells
        assert ("'" + definition if flag else definition) not in cells
    # counts only: --raw has nothing to neutralise, the table is the same
    plain = run("export", "cooccurrence", "--format", "csv", env=env).stdout
    assert run("export", "cooccurrence", "--format", "csv", "--raw", env=env).stdout == plain
    assert plain.splitlines()[1].split(",")[1:3] == ["1", "1"]
