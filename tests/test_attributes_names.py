"""Attributes CSV problems are refused with the line, never ignored; document names are
NFC-normalised and one line long."""

from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import run, write
from tests.hostile import refused, small_project


@pytest.mark.parametrize("content, problem", [
    ("document,role,role\nentrevista,guard,admin\n",
     "line 1: column 'role' appears twice; keep one"),
    ("document,,role\nentrevista,x,guard\n", "line 1: column 2 has no name; name it or delete it"),
    ("document,role\nentrevista,guard,Lurigancho\n",
     "line 2: 3 fields but the header has 2 columns; quote values that contain commas"),
    ("document,language\nentrevista,Spanish\n",
     "line 2: language 'Spanish' is not a language code; use a two-letter code such as es or "
     "en"),
    ("document,role\nentrevista,\"guard\n", "line 2: unexpected end of data; check the quoting"),
    ("document,role\nentrevista,guard\nentrevista.txt,admin\n",
     "line 3: document 'entrevista' is listed twice"),
    ("role\nguard\n", "line 1: needs a 'document' column (found: role), plus one column per "
     "attribute"),
])
def test_attribute_csv_problems_are_refused_with_the_line(tmp_path, content, problem):
    env = small_project(tmp_path)
    path = write(tmp_path / "attributes.csv", content)
    refused(env, "import", "--attributes", path, message=f"{path}, {problem}")


def test_attribute_csv_good_rows_still_work(tmp_path):
    env = small_project(tmp_path)
    path = write(tmp_path / "attributes.csv", "document,role,language\nentrevista,guard,es\n"
                 ",,\n")  # a blank row is skipped
    assert run("import", "--attributes", path, env=env).exit_code == 0
    assert "role=guard" in run("docs", "--format", "csv", env=env).stdout


def test_names_are_nfc_so_two_spellings_are_one_document(tmp_path):
    env = small_project(tmp_path)
    decomposed = unicodedata.normalize("NFD", "Café")
    assert decomposed != "Café"
    path = write(tmp_path / "in" / "cafe.txt", "E: hola\nR: chau\n")
    assert run("import", path, "--as", decomposed, env=env).exit_code == 0
    listed = run("docs", "--format", "csv", env=env).stdout
    assert "Café," in listed and decomposed not in listed
    # typed either way, it is the same document
    assert run("show", "Café", env=env).exit_code == 0
    assert run("show", decomposed, env=env).exit_code == 0
    other = write(tmp_path / "in" / "other.txt", "E: otra cosa\n")
    refused(env, "import", other, "--as", "Café", startswith=f"{other}: document 'Café' "
            "already exists with different text")


@pytest.mark.parametrize("name", ["dos\nlíneas", "tab\x07bell", "  "])
def test_names_with_line_breaks_or_control_characters_are_refused(tmp_path, name):
    env = small_project(tmp_path)
    path = write(tmp_path / "in" / "x.txt", "E: hola\n")
    line = refused(env, "import", path, "--as", name, startswith=f"{path}: the document name ")
    assert line.endswith("rename the file or give a name with --as NAME") or \
        line.endswith("give one with --as NAME")
