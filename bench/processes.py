"""`make bench`: qcode's commands against minimal baselines, as whole processes.

    import      `qcode import DIR` vs a script that reads, sha256-hashes and inserts each file
    suggest     `qcode suggest --method rules` vs spacy.blank("es") tokenizing the same texts
    jobs        `--jobs 2` vs `--jobs 1`, for import and suggest (the default is a worker
                per core)
    help        `qcode --help` vs a bare two-command Typer app
    export      `qcode export matrix` on the rule suggestions accepted as codings
    memory      peak RSS of import, suggest and export matrix at N/4 and N documents

Every figure is the median of N runs; qcode and its baseline alternate in one loop.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from . import corpus
from .measure import PYTHON, QCODE, ROOT, Figure, Run, run, side_by_side
from .measure import run as measure_run

CODEBOOK = ROOT / "codebooks" / "prison_phones.yaml"
BASELINES = ROOT / "bench" / "baselines"


def new_project(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    run([QCODE, "init", str(path), "--lang", "es"])
    return path


def imported_project(path: Path, folder: Path) -> Path:
    new_project(path)
    run([QCODE, "-p", str(path), "import", str(folder)])
    run([QCODE, "-p", str(path), "codebook", "load", str(CODEBOOK)])
    return path


def clear_suggestions(project: Path) -> None:
    with sqlite3.connect(project / "qcode.db") as conn:
        conn.execute("DELETE FROM suggestion")


def code_all_suggestions(project: Path) -> int:
    """Every rule suggestion becomes a coding (three coders' worth of rows for the matrix)."""
    with sqlite3.connect(project / "qcode.db") as conn:
        conn.execute("""INSERT OR IGNORE INTO coding (document_id, code_id, coder, start, "end",
                        origin, created_at)
                        SELECT s.document_id, g.code_id, c.coder, s.start, s."end", 'imported',
                               'bench' FROM suggestion g JOIN segment s ON s.id = g.segment_id
                        CROSS JOIN (SELECT 'ana' AS coder UNION ALL SELECT 'ben'
                                    UNION ALL SELECT 'cy') c""")
        return conn.execute("SELECT count(*) FROM coding").fetchone()[0]


def _jobs(jobs: int | None) -> list[str]:
    """The --jobs option as given on the command line; None: the default (one per core)."""
    return [] if jobs is None else ["--jobs", str(jobs)]


def _label(command: str, jobs: int | None) -> str:
    return f"`{command}{' '.join(['', *_jobs(jobs)])}`"


def importer(root: Path, folder: Path, jobs: int | None) -> Callable[[], Run]:
    project = root / f"import_project_{jobs}"

    def go() -> Run:
        new_project(project)
        return run([QCODE, "-p", str(project), "import", str(folder), *_jobs(jobs)])
    return go


def import_figures(root: Path, folder: Path, repeat: int, documents: int, quick: bool = False
                   ) -> list[Figure]:
    """The default (a worker per core) and --jobs 1 against the baseline; --jobs 2 against 1."""
    database = root / "baseline.db"

    def baseline() -> Run:
        database.unlink(missing_ok=True)
        return run([PYTHON, str(BASELINES / "read_hash_insert.py"), str(folder), str(database)])

    figures = [side_by_side(f"{_label('qcode import DIR', jobs)}, {documents:,} documents",
                            repeat, importer(root, folder, jobs), baseline,
                            "read + sha256 + insert", "≤ 3×")
               for jobs in ((None,) if quick else (None, 1))]
    if not quick:
        figures.append(side_by_side(f"import `--jobs 2` against `--jobs 1`, {documents:,} "
                                    "documents", repeat, importer(root, folder, 2),
                                    importer(root, folder, 1), "`--jobs 1`",
                                    "≤ 0.625× (1.6× faster) on idle cores"))
    return figures


def suggest_figures(root: Path, folder: Path, repeat: int, documents: int,
                    jobs: bool = True) -> tuple[list[Figure], Path]:
    project = imported_project(root / "suggest_project", folder)

    def rules(jobs: int | None = None):
        def go() -> Run:
            clear_suggestions(project)
            return run([QCODE, "-p", str(project), "suggest", "--method", "rules",
                        *_jobs(jobs)])
        return go

    tokenize = [PYTHON, str(BASELINES / "spacy_tokenizer.py"), str(folder)]
    figures = [side_by_side(f"{_label('qcode suggest --method rules', option)}, "
                            f"{documents:,} documents", repeat, rules(option),
                            lambda: run(tokenize), "bare tokenizer process", "≤ 2.5×")
               for option in ((None, 1) if jobs else (None,))]
    if jobs:
        figures.append(side_by_side(f"suggest `--jobs 2` against `--jobs 1`, {documents:,} "
                                    "documents", repeat, rules(2), rules(1), "`--jobs 1`",
                                    "≤ 0.625× (1.6× faster) on idle cores"))
    return figures, project


def export_figure(project: Path, repeat: int, documents: int) -> Figure:
    codings = code_all_suggestions(project)
    out = project / "matrix.csv"
    command = [QCODE, "-p", str(project), "export", "matrix", "--out", str(out)]
    return side_by_side(f"`qcode export matrix`, {documents:,} documents, {codings:,} codings",
                        repeat, lambda: run(command), target="memory flat in the corpus")


def help_figure(repeat: int) -> Figure:
    return side_by_side("`qcode --help`", repeat, lambda: run([QCODE, "--help"]),
                        lambda: run([PYTHON, str(BASELINES / "typer_app.py"), "--help"]),
                        "bare two-command Typer app", "≤ 1.5×")


def memory_figures(root: Path, documents: int, words: int) -> list[Figure]:
    """Peak RSS at a quarter of the corpus and at all of it (one run each)."""
    figures = []
    for count in (documents // 4, documents):
        folder = root / f"corpus_{count}"
        corpus.write(folder, count, words)
        project = root / f"memory_{count}"
        new_project(project)
        step = run([QCODE, "-p", str(project), "import", str(folder)])
        figures.append(Figure(f"memory: import, {count:,} documents", [step],
                              target="< 400 MB at 1,600"))
        run([QCODE, "-p", str(project), "codebook", "load", str(CODEBOOK)])
        step = run([QCODE, "-p", str(project), "suggest", "--method", "rules"])
        figures.append(Figure(f"memory: suggest --method rules, {count:,} documents", [step],
                              target="< 400 MB at 1,600"))
        codings = code_all_suggestions(project)
        step = run([QCODE, "-p", str(project), "export", "matrix", "--out",
                    str(project / "m.csv")])
        figures.append(Figure(f"memory: export matrix, {count:,} documents, {codings:,} codings",
                              [step], target="flat in the corpus"))
        shutil.rmtree(project)
    return figures


def before_figures(root: Path, folder: Path, repeat: int, documents: int,
                   before: Path, suggest: bool = True) -> list[Figure]:
    """This qcode against an earlier one (a source tree, e.g. `git archive REV | tar -x`),
    each with its own project, same interpreter and packages, alternating in one loop."""
    versions = {"now": ROOT, "before": before}
    commands = {name: [PYTHON, "-m", "qcode"] for name in versions}

    def env(name: str) -> dict:
        return {"PYTHONPATH": str(versions[name])}

    def run(command: list[str], env: dict) -> Run:
        # outside any checkout: `python -m` puts the working directory first on sys.path, so
        # run from this repository both versions would import its qcode
        return measure_run(command, cwd=root, env=env)

    def importer(name: str):
        project = root / f"{name}_import"

        def go() -> Run:
            shutil.rmtree(project, ignore_errors=True)
            run([*commands[name], "init", str(project)], env=env(name))
            return run([*commands[name], "-p", str(project), "import", str(folder)],
                       env=env(name))
        return go

    def suggester(name: str):
        project = root / f"{name}_suggest"
        shutil.rmtree(project, ignore_errors=True)
        for args in (["init", str(project)], ["-p", str(project), "import", str(folder)],
                     ["-p", str(project), "codebook", "load", str(CODEBOOK)]):
            run([*commands[name], *args], env=env(name))

        def go() -> Run:
            clear_suggestions(project)
            return run([*commands[name], "-p", str(project), "suggest", "--method", "rules"],
                       env=env(name))
        return go

    figures = [side_by_side(f"`qcode import DIR`, {documents:,} documents: now against before",
                            repeat, importer("now"), importer("before"),
                            f"qcode at {before.name}")]
    if suggest:
        figures.append(side_by_side(f"`qcode suggest --method rules`, {documents:,} documents: "
                                    "now against before", repeat, suggester("now"),
                                    suggester("before"), f"qcode at {before.name}"))
    return figures
