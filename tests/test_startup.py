"""Start-up stays light: heavy libraries load only in the commands that need them."""

import json
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ["numpy", "pandas", "pydantic", "spacy", "sklearn", "matplotlib", "docx", "openpyxl",
         "yaml", "lxml"]
SCRIPT = """
import json, sys
{body}
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def loaded_after(body: str) -> list[str]:
    """Which heavy modules a fresh interpreter has loaded after running `body`."""
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(body=body, heavy=HEAVY)],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library():
    assert loaded_after("import qcode.cli") == []


def test_qcode_help_loads_no_heavy_library():
    body = ("from qcode.cli import app\n"
            "try:\n    app(['--help'], prog_name='qcode')\nexcept SystemExit:\n    pass")
    assert loaded_after(body) == []


def test_opening_a_project_and_listing_documents_loads_neither_numpy_nor_spacy(tmp_path):
    body = (f"from qcode import Project\n"
            f"p = Project.init({str(tmp_path / 'p')!r})\n"
            f"p.import_files([{str(ROOT / 'transcripts_sample')!r}])\n"
            f"p.documents(); p.document('guardia_lurigancho_2016')")
    loaded = loaded_after(body)
    # a .docx sample needs python-docx (and lxml), front matter needs yaml: nothing else
    assert not set(loaded) & {"numpy", "pandas", "pydantic", "spacy", "sklearn", "matplotlib"}


def test_running_a_command_with_options_loads_no_heavy_library(tmp_path):
    """Parsing a command's options must not load pydantic (Typer 0.29 builds a pydantic
    TypeAdapter per option at every command: about 0.2 s more for each; pyproject keeps
    Typer below it)."""
    project = tmp_path / "p"
    body = ("from qcode.cli import app\n"
            f"for args in (['init', {str(project)!r}, '--lang', 'es'],\n"
            f"             ['--project', {str(project)!r}, 'docs', '--format', 'csv']):\n"
            "    try:\n        app(args, prog_name='qcode')\n    except SystemExit:\n        pass")
    assert loaded_after(body) == []
    assert (project / "qcode.db").exists()  # the commands did run
