"""Compiling qcode's LaTeX the way a thesis would: pdflatex on a plain A4 article that loads
exactly the packages the fragment's first line asks for."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

OVERFULL_LIMIT_PT = 3.0  # "no overfull box wider than a few points"


def document_for(tex: str) -> str:
    """A whole document: `tex` itself when standalone, else a plain A4 article around it."""
    if tex.lstrip().startswith("\\documentclass"):
        return tex
    first = tex.splitlines()[0]
    assert first.startswith("% Written by qcode. Needs in the preamble:"), first
    packages = re.findall(r"\\usepackage(?:\[[^]]*\])?\{[^}]*\}", first)
    return ("\\documentclass[a4paper]{article}\n" + "\n".join(packages)
            + "\n\\begin{document}\n" + tex + "\n\\end{document}\n")


def assert_compiles(tex: str, folder: Path, name: str = "doc") -> Path:
    """Compile; fail on any error or an overfull box wider than a few points. Skipped only
    where pdflatex is not installed (CI installs it)."""
    if not shutil.which("pdflatex"):
        pytest.skip("pdflatex is not installed")
    source = folder / f"{name}.tex"
    source.write_text(document_for(tex), encoding="utf-8")
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                             source.name], cwd=folder, capture_output=True, text=True,
                            encoding="utf-8", errors="replace",
                            timeout=180)
    log = (folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log[-3000:]
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert not errors, errors
    overfull = [(float(m.group(2)), m.group(1)) for m in
                re.finditer(r"(Overfull \\[hv]box \((\d+\.?\d*)pt too \w+\)[^\n]*)", log)]
    wide = [line for width, line in overfull if width > OVERFULL_LIMIT_PT]
    assert not wide, wide
    assert "Unicode character" not in log
    pdf = folder / f"{name}.pdf"
    assert pdf.stat().st_size > 1000
    return pdf
