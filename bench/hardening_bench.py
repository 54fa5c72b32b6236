"""The slow edges of issue 10, each against a baseline measured in the same run (the machine
is shared, so ratios mean more than seconds):

- `export quotes --out q.docx`: python-docx's own `add_paragraph` (before) against qcode's
  constant-time appends (after), on the same passages;
- a codebook of 100,000 codes: validate and load (CPU seconds) against a bare libyaml
  `yaml.load` of the same file, before and after (older parsers from git);
- `codings import` of 200,000 rows: how long the write lock is held, before and after;
- `suggest` rules on one long transcript: peak memory with the whole text tokenised at once
  (before) and in windows (after), each in a fresh process.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _quotes_frame(passages: int):
    import pandas as pd

    rows = [{"code": f"code.{n % 23}", "document": f"entrevista_{n % 97:03d}",
             "segment": n % 300 + 1, "speaker": "R", "coder": "ana",
             "memo": "nota" if n % 5 == 0 else "",
             "text": f"La visita traía el celular dentro del pan, pasaje {n}."}
            for n in range(passages)]
    return pd.DataFrame(rows)


def _quotes_before(path: Path, frame) -> None:
    """The previous writer: Document.add_paragraph for every paragraph."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.add_heading("Quotations", level=0)
    for code, rows in frame.groupby("code", sort=False):
        document.add_heading(str(code), level=1)
        for row in rows.itertuples(index=False):
            document.add_paragraph(style="Quote").add_run(f"“{row.text}”")
            run = document.add_paragraph().add_run(f"— {row.document}, segment {row.segment}")
            run.font.size = Pt(9)
            if row.memo:
                document.add_paragraph().add_run(f"Memo: {row.memo}").italic = True
    document.save(path)


def quotes(root: Path, sizes: tuple[int, ...] = (2_000, 4_650),
           large: tuple[int, ...] = (23_250, 50_000)) -> list[str]:
    from qcode.exporters.word import write_quotes_docx

    lines = ["export quotes as .docx (python-docx add_paragraph before, qcode appends after)"]
    for size in sizes:
        frame = _quotes_frame(size)
        started = time.perf_counter()
        _quotes_before(root / "before.docx", frame)
        before = time.perf_counter() - started
        started = time.perf_counter()
        write_quotes_docx(root / "after.docx", frame)
        after = time.perf_counter() - started
        lines.append(f"  {size:>7,} passages: before {before:6.2f} s, after {after:6.2f} s, "
                     f"before/after {before / after:5.1f}")
    for size in large:
        frame = _quotes_frame(size)
        started = time.perf_counter()
        write_quotes_docx(root / "after.docx", frame)
        after = time.perf_counter() - started
        lines.append(f"  {size:>7,} passages: after {after:6.2f} s "
                     f"({after / size * 1e6:.0f} µs per passage)")
    return lines


def codebook_yaml(codes: int, rich: bool = True) -> str:
    """`codes` codes under codes/100 parents; `rich` gives each leaf definition, criteria,
    an example and es/en patterns (9 lines), else only id and name."""
    lines = ["name: big", 'version: "1"', "languages: [es, en]", "codes:"]
    made, parent = 0, 0
    while made < codes:
        lines += [f"  - id: p{parent}", f"    name: Parent {parent}", "    children:"]
        made += 1
        for child in range(99):
            if made >= codes:
                break
            lines += [f"      - id: p{parent}.c{child}", f"        name: Child {child}"]
            if rich:
                lines += [f"        definition: Passages about thing {child} in {parent}.",
                          "        include: [Mentions of it.]", "        exclude: [Others.]",
                          '        examples: ["Un ejemplo."]', "        patterns:",
                          f'          es: [cosa{child}, "grupo {parent}"]',
                          f"          en: [thing{child}]"]
            made += 1
        parent += 1
    return "\n".join(lines) + "\n"


# qcode before issue 10's codebook rework, and before this remainder (GC paused, executemany)
ISSUE_10_START, REMAINDER_START = "7668b6b", "298f362"


def _module_at(rev: str, path: str):
    """A qcode module as it was at `rev` (from git), or None without git history."""
    import importlib.util

    try:
        source = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    name = f"qcode._{Path(path).stem}_{rev}"
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "qcode"
    sys.modules[spec.name] = module  # dataclasses look their module up there
    exec(compile(source, f"{name}.py", "exec"), module.__dict__)  # noqa: S102
    return module


def _cpu(function) -> tuple[float, object]:
    """CPU seconds (user + sys of this process) of `function()`, and its result."""
    started = time.process_time()
    result = function()
    return time.process_time() - started, result


def _bare_load(text: str) -> float:
    import yaml

    return _cpu(lambda: yaml.load(text, Loader=getattr(yaml, "CSafeLoader",
                                                       yaml.SafeLoader)))[0]


def _into_project(root: Path, path: Path, load_into=None) -> float:
    """CPU seconds of loading `path` into a new project (`load_into`: an older codes.load_into
    with an older parser's book; default: the current Project.load_codebook)."""
    import shutil

    from qcode import Project

    folder = root / "project"
    shutil.rmtree(folder, ignore_errors=True)
    with Project.init(folder) as project:
        if load_into is None:
            return _cpu(lambda: project.load_codebook(path))[0]
        book_of, into = load_into
        return _cpu(lambda: into(project.conn, book_of(path)))[0]


def codebook(root: Path, codes: int = 100_000, kinds: tuple[bool, ...] = (False, True),
             before: bool = True) -> list[str]:
    """CPU seconds of validate and load, each as a ratio to a bare libyaml `yaml.load` of the
    same file measured in the same run, now and before (`REMAINDER_START`, from git)."""
    import yaml

    from qcode.codebook import load_codebook, validate_codebook

    lines = [f"codebook of {codes:,} codes, CPU seconds (libyaml: {yaml.__with_libyaml__}); "
             "ratio = to the bare yaml.load"]
    old_book = _module_at(REMAINDER_START, "qcode/codebook.py") if before else None
    old_codes = _module_at(REMAINDER_START, "qcode/codes.py") if before else None
    for rich in kinds:
        path = root / f"codebook_{codes}_{'rich' if rich else 'plain'}.yaml"
        path.write_text(codebook_yaml(codes, rich), encoding="utf-8")
        bare = _bare_load(path.read_text(encoding="utf-8"))
        validate, (problems, _) = _cpu(lambda: validate_codebook(path))  # noqa: B023
        assert not problems, problems[:3]
        load = _into_project(root, path)
        kind = "id, name, definition, criteria, example, patterns" if rich else "id and name"
        lines.append(f"  {kind} ({path.stat().st_size / 2**20:.1f} MB): bare yaml.load "
                     f"{bare:.2f} s; validate {validate:.2f} s (ratio {validate / bare:.2f}); "
                     f"load into a project {load:.2f} s (ratio {load / bare:.2f})")
        if old_book is not None and old_codes is not None:
            before = _cpu(lambda: old_book.validate_codebook(path))[0]  # noqa: B023
            before_load = _into_project(root, path, (old_book.load_codebook,
                                                     old_codes.load_into))
            lines.append(f"    before ({REMAINDER_START}): validate {before:.2f} s (ratio "
                         f"{before / bare:.2f}), load {before_load:.2f} s (ratio "
                         f"{before_load / bare:.2f})")
    old = _module_at(ISSUE_10_START, "qcode/codebook.py") if before else None
    if old is not None:
        tenth = codes // 10
        path = root / "codebook_tenth.yaml"
        path.write_text(codebook_yaml(tenth, kinds[-1]), encoding="utf-8")
        before = _cpu(lambda: old.load_codebook(path))[0]
        after = _cpu(lambda: load_codebook(path))[0]
        kind = "rich" if kinds[-1] else "id and name"
        lines.append(f"  {tenth:,} codes ({kind}): parser before issue 10 {before:.2f} s, now "
                     f"{after:.2f} s, before/after {before / after:.1f}")
    return lines


def _codings_project(root: Path, documents: int, turns: int, codes: int) -> Path:
    """A project with `documents` interviews of `turns` speaker turns each and a codebook of
    `codes` codes; returns its database file (closed, checkpointed)."""
    from qcode import Project

    folder = root / "codings_project"
    (folder / "in").mkdir(parents=True, exist_ok=True)
    files = []
    for number in range(documents):
        lines = [f"{'E' if turn % 2 == 0 else 'R'}: Turno {turn} de la entrevista {number}, "
                 "sobre las visitas." for turn in range(turns)]
        files.append(folder / "in" / f"entrevista_{number:03d}.txt")
        files[-1].write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = folder / "cb.yaml"
    book.write_text("codes:\n" + "".join(f"  - {{id: code{n}, name: Code {n}}}\n"
                                         for n in range(codes)), encoding="utf-8")
    with Project.init(folder / "study", coder="ana") as project:
        project.import_files(files)
        project.load_codebook(book)
        project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder / "study" / "qcode.db"


def _lock_held(database: Path, copy: Path, csv_path: Path,
               import_csv) -> tuple[float, float, float, tuple]:
    """(wall and CPU seconds the write lock was held, CPU seconds of the whole import, its
    result) when `import_csv` runs on a fresh copy of `database`."""
    import shutil

    from qcode import store

    shutil.copyfile(database, copy)
    conn = store.connect(copy)
    marks: dict[str, tuple[float, float]] = {}

    def trace(statement: str) -> None:
        if statement in ("BEGIN IMMEDIATE", "COMMIT"):
            marks.setdefault(statement, (time.perf_counter(), time.process_time()))

    conn.set_trace_callback(trace)
    cpu, result = _cpu(lambda: import_csv(conn, csv_path))
    conn.close()
    (wall, cpu_then), (wall_end, cpu_end) = marks["BEGIN IMMEDIATE"], marks["COMMIT"]
    return wall_end - wall, cpu_end - cpu_then, cpu, result


def codings_lock(root: Path, documents: int = 20, turns: int = 100, codes: int = 50,
                 coders: int = 2) -> list[str]:
    """How long `codings import` holds the project's write lock for a file coding every turn
    of every document with every code by every coder (200,000 distinct rows by default):
    before (`REMAINDER_START`: one transaction around reading, checking and writing) and
    now (read and resolve first, then one short write)."""
    from qcode.codings import import_csv

    rows = documents * turns * codes * coders
    database = _codings_project(root, documents, turns, codes)
    csv_path = root / "codings.csv"
    lines = ["document,code,coder,segment"]
    lines += [f"entrevista_{d:03d},code{c},coder{k},{s}" for d in range(documents)
              for s in range(1, turns + 1) for c in range(codes) for k in range(coders)]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = [f"codings import of {rows:,} rows: the write lock held (wall s, and CPU s of this "
           "process meanwhile) and the whole import (CPU s)"]
    old = _module_at(REMAINDER_START, "qcode/codings.py")
    after = _lock_held(database, root / "after.db", csv_path, import_csv)
    assert after[3] == (rows, 0), after[3]
    runs = [("after", after)]
    if old is not None:
        before = _lock_held(database, root / "before.db", csv_path, old.import_csv)
        assert before[3] == after[3], before[3]
        runs.insert(0, (f"before ({REMAINDER_START})", before))
    for label, (held, held_cpu, cpu, _) in runs:
        out.append(f"  {label}: lock held {held:.2f} s ({held_cpu:.2f} CPU s), import "
                   f"{cpu:.2f} CPU s")
    if old is not None:
        out.append(f"  before/after: lock held {before[0] / after[0]:.1f} (CPU "
                   f"{before[1] / after[1]:.1f}), import {before[2] / after[2]:.1f}")
    return out


_SUGGEST_CHILD = """
import resource, sys, time
from qcode.suggest import runner
from qcode.suggest.rules import RuleMatcher
from qcode.nlp import annotator
import json
window = int(sys.argv[1]); chars = int(sys.argv[2])
runner.WINDOW_CHARS = window
words = ("la visita traía el celular dentro del pan y nadie revisaba nada " * 10).split()
turns, size, n = [], 0, 0
while size < chars:
    turn = ("E: " if n % 2 == 0 else "R: ") + " ".join(words[n % 7:n % 7 + 40]) + "."
    turns.append(turn); size += len(turn) + 2; n += 1
text = "\\n\\n".join(turns)
starts, pos = [], 0
for turn in turns:
    starts.append(pos + 3); pos += len(turn) + 2
patterns = [("route.visitors", {"es": ["visita", "celular"]})]
matcher = RuleMatcher(patterns, annotator("es"))
started = time.perf_counter()
hits = 0
for offset, piece in runner.windows(text, starts):
    doc = matcher.annotator(piece)
    hits += len(matcher.hits(doc))
    del doc
seconds = time.perf_counter() - started
print(json.dumps({"mb": len(text) / 2**20, "hits": hits, "seconds": seconds,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def suggest_memory(chars: int = 12_000_000) -> list[str]:
    import json

    lines = [f"suggest rules on one transcript of {chars / 2**20:.0f} MB, peak memory of a "
             "fresh process"]
    results = {}
    for label, window in (("whole text at once (before)", 10**12),
                          ("windows of 1,000,000 characters (after)", 1_000_000)):
        out = subprocess.run([sys.executable, "-c", _SUGGEST_CHILD, str(window), str(chars)],
                             capture_output=True, text=True, cwd=ROOT, check=True).stdout
        results[label] = json.loads(out)
        r = results[label]
        lines.append(f"  {label}: {r['seconds']:.1f} s, peak {r['peak_mb']:,.0f} MB, "
                     f"{r['hits']:,} hits")
    before, after = results.values()
    lines.append(f"  peak memory before/after {before['peak_mb'] / after['peak_mb']:.1f}; "
                 f"same hits: {before['hits'] == after['hits']}")
    return lines


def run(root: Path) -> list[str]:
    return [*quotes(root), *codebook(root), *codings_lock(root), *suggest_memory()]
