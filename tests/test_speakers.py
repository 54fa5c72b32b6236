"""Speakers: the table filled at import, renames and roles that never move an offset, the
migration for older projects, and --by role / --respondents-only downstream."""

import sqlite3

import pytest

from qcode import Project, store
from qcode.errors import InputError, NotFoundError
from qcode.speakers import guess_roles
from tests.conftest import digest, run, write

CODEBOOK = """name: t
version: "1"
codes:
  - id: phones
    name: Phones
    patterns:
      es: [celular]
"""
# Rev/Temi layout: Speaker 1 asks, Speaker 2 and Speaker 3 answer. Turns (in order):
# S1 "¿Cómo entran los celulares?", S2 "Con las visitas, el celular en la comida.",
# S1 "¿Y el personal?", S3 "A veces un celular viene con un guardia."
INTERVIEW = ("Speaker 1 (00:00):\n¿Cómo entran los celulares?\n\n"
             "Speaker 2 (00:04):\nCon las visitas, el celular en la comida.\n\n"
             "Speaker 1 (00:09):\n¿Y el personal?\n\n"
             "Speaker 3 (00:12):\nA veces un celular viene con un guardia.\n")


@pytest.fixture
def coded(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "rev.txt", INTERVIEW)])
    project.code("rev", [1, 2, 3, 4], ["phones"], coder="ana")
    return project


def test_import_fills_the_speaker_table_with_guessed_roles(project, tmp_path):
    project.import_files([write(tmp_path / "e.txt", "E: ¿Hola?\nP: Buenas.\nE: ¿Y?\nP: Nada.\n")])
    rows = project.speakers()
    # E asks 2 questions of 1 word each; P answers 2 turns of 1 word each
    assert [(r["label"], r["name"], r["role"], r["turns"], r["words"]) for r in rows] == [
        ("E", "E", "interviewer", 2, 2), ("P", "P", "respondent", 2, 2)]


def test_guess_roles():
    assert guess_roles(["P", "R"]) == {"P": "interviewer", "R": "respondent"}
    assert guess_roles(["I", "P"]) == {"I": "interviewer", "P": "respondent"}
    assert guess_roles(["Entrevistador(a)", "Entrevistado(a)", "B2", "Lucía"]) == {
        "Entrevistador(a)": "interviewer", "Entrevistado(a)": "respondent", "B2": "respondent",
        "Lucía": None}


def test_rename_merges_labels_and_never_moves_an_offset(coded):
    text_before = coded.document("rev")
    codings_before = coded.codings()
    assert coded.rename_speaker("Speaker 2", "Guard") == 1
    assert coded.rename_speaker("Speaker 3", "Guard", document="rev") == 1
    after = coded.document("rev")
    assert [(s["start"], s["end"], s["text"]) for s in after["segments"]] == \
        [(s["start"], s["end"], s["text"]) for s in text_before["segments"]]
    assert coded.codings() == codings_before
    assert {r["label"]: r["name"] for r in coded.speakers("rev")} == {
        "Speaker 1": "Speaker 1", "Speaker 2": "Guard", "Speaker 3": "Guard"}
    # merged: the matrix by speaker has one Guard column with both answers
    frame = coded.matrix(by="speaker")
    assert list(frame.columns) == ["Guard", "Speaker 1", "Total"]
    assert frame.loc["phones", "Guard"] == 2 and frame.loc["phones", "Speaker 1"] == 2
    quotes = coded.quotes("phones")
    assert list(quotes["speaker"]) == ["Speaker 1", "Guard", "Speaker 1", "Guard"]
    assert [s["speaker"] for s in coded.document("rev")["segments"]] == [
        "Speaker 1", "Guard", "Speaker 1", "Guard"]


def test_roles_drive_by_role_and_respondents_only(coded):
    coded.set_speaker_role("Speaker 1", "interviewer")
    coded.rename_speaker("Speaker 2", "Guard")
    coded.set_speaker_role("Guard", "respondent")
    frame = coded.matrix(by="role")
    # Speaker 3 has no role yet: its one answer counts under (none)
    assert frame.loc["phones"].to_dict() == {"(none)": 1, "interviewer": 2, "respondent": 1,
                                             "Total": 4}
    only = coded.matrix(respondents_only=True)
    assert only.loc["phones", "rev"] == 2  # the two answers; the questions left out
    quotes = coded.quotes("phones", respondents_only=True)
    assert list(quotes["text"]) == ["Con las visitas, el celular en la comida.",
                                    "A veces un celular viene con un guardia."]
    assert coded.cooccurrence(respondents_only=True).loc["phones", "phones"] == 2


def test_suggest_respondents_only_skips_the_interviewer(coded):
    coded.set_speaker_role("Speaker 1", "interviewer")
    report = coded.suggest(method="rules", respondents_only=True)
    # "celular(es)" is in turns 1, 2 and 4; turn 1 is the interviewer's
    assert report.by_method["rules"] == 2
    segments = {s["segment"] for s in coded.suggestions()}
    assert segments == {2, 4}


def test_bad_names_and_roles(coded):
    with pytest.raises(NotFoundError, match=r"^no speaker 'Nobody'; speakers: Speaker 1, "
                                            r"Speaker 2, Speaker 3$"):
        coded.rename_speaker("Nobody", "X")
    with pytest.raises(NotFoundError, match=r"^no speaker 'Nobody' in 'rev'; speakers: "):
        coded.set_speaker_role("Nobody", "other", document="rev")
    with pytest.raises(InputError, match=r"^role 'boss': use one of interviewer, respondent, "
                                         r"other$"):
        coded.set_speaker_role("Speaker 1", "boss")
    with pytest.raises(InputError, match=r"^the new speaker name is empty"):
        coded.rename_speaker("Speaker 1", "  ")
    with pytest.raises(NotFoundError, match=r"^no document 'nope'"):
        coded.speakers("nope")


def test_migration_fills_speakers_from_existing_segments(tmp_path, monkeypatch):
    names = [name for name, _ in store.MIGRATIONS]
    mine = names.index("speakers: display names and roles per document label")
    monkeypatch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:mine])
    monkeypatch.setattr(store, "SCHEMA_VERSION", mine)
    conn = store.create(tmp_path / "old.db")
    conn.execute("INSERT INTO document (id, name, text, sha256, language, format, imported_at)"
                 " VALUES (1, 'd', 'E: a\nR: b', 'x', 'es', 'txt', 'now')")
    conn.executemany('INSERT INTO segment (document_id, ordinal, start, "end", speaker)'
                     " VALUES (1, ?, ?, ?, ?)", [(1, 3, 4, "E"), (2, 8, 9, "R"), (3, 3, 4, "E")])
    monkeypatch.undo()
    applied = store.migrate(conn)
    assert applied[0] == mine + 1
    rows = conn.execute("SELECT label, name, role FROM speaker ORDER BY label")
    assert [tuple(r) for r in rows] == [("E", "E", None), ("R", "R", None)]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE speaker SET role = 'boss'")


def test_speakers_cli(tmp_path):
    assert run("init", tmp_path / "p").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "p")}
    assert run("import", write(tmp_path / "rev.txt", INTERVIEW), env=env).exit_code == 0
    listed = run("speakers", "--format", "csv", env=env)
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        "document,label,name,role,turns,words", "rev,Speaker 1,Speaker 1,,2,7",
        "rev,Speaker 2,Speaker 2,,1,8", "rev,Speaker 3,Speaker 3,,1,8"]
    before = digest(tmp_path / "p" / "qcode.db")
    result = run("speakers", "rename", "Speaker 9", "Guard", env=env)
    assert result.exit_code == 1
    assert result.stderr.strip() == ("error: no speaker 'Speaker 9'; speakers: Speaker 1, "
                                     "Speaker 2, Speaker 3")
    assert digest(tmp_path / "p" / "qcode.db") == before
    result = run("speakers", "rename", "Speaker 2", "Guard", env=env)
    assert result.exit_code == 0 and "renamed Speaker 2 to Guard (1 label in all)" in \
        result.stderr
    result = run("speakers", "role", "Guard", "respondent", "--doc", "rev", env=env)
    assert result.exit_code == 0 and "Guard is respondent (1 label in all)" in result.stderr
    assert run("speakers", "role", "Guard", "boss", env=env).exit_code == 2
    listed = run("speakers", "rev", "--format", "json", env=env)
    assert '"name": "Guard"' in listed.stdout and '"role": "respondent"' in listed.stdout


def test_project_opens_old_projects(tmp_path):
    with Project.init(tmp_path / "p") as project:
        version = project.conn.execute("PRAGMA user_version").fetchone()[0]
    assert version == len(store.MIGRATIONS)


def test_import_dry_run_reports_every_file_and_writes_nothing(tmp_path):
    assert run("init", tmp_path / "p").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "p")}
    before = digest(tmp_path / "p" / "qcode.db")
    rev = write(tmp_path / "rev.txt", INTERVIEW)
    notes = write(tmp_path / "notes.txt", "One paragraph.\n\nAnother one.\n")
    empty = write(tmp_path / "empty.txt", "")
    result = run("import", "--dry-run", rev, empty, notes, tmp_path / "gone.txt", env=env)
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert f"{rev}: layout rev, utf-8, 4 turns" in out
    assert "Speaker 1 2 7 Speaker 2 1 8 Speaker 3 1 8" in out
    assert f"error: {empty}: the file is empty" in out
    assert f"{notes}: layout paragraphs, utf-8, 2 paragraphs" in out
    assert f"error: {tmp_path / 'gone.txt'}: no such file or folder" in out
    assert "dry run: 2 files read, 2 with errors, nothing written" in out
    assert f"{notes}: no speaker labels recognised, split into 2 paragraphs" in result.stderr
    assert digest(tmp_path / "p" / "qcode.db") == before


def test_import_layout_and_speakers_options(tmp_path):
    assert run("init", tmp_path / "p").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "p")}
    odd = write(tmp_path / "odd.txt", "he said: no\nshe said: yes\nhe said: again\n")
    result = run("import", odd, "--layout", "bogus", env=env)
    assert result.exit_code == 1 and result.stderr.startswith(
        "error: --layout bogus: unknown layout; use one of colon, padded, label-line, rev,")
    result = run("import", odd, "--speakers", "he said, she said", env=env)
    assert result.exit_code == 0, result.output
    assert "imported odd: 3 segments (turns, layout colon)" in result.stderr
    assert [r["speakers"] for r in Project(tmp_path / "p").documents()] == ["he said, she said"]


def test_respondents_only_on_the_command_line(tmp_path):
    assert run("init", tmp_path / "p").exit_code == 0
    env = {"QCODE_PROJECT": str(tmp_path / "p"), "QCODE_CODER": "ana"}
    assert run("import", write(tmp_path / "rev.txt", INTERVIEW), env=env).exit_code == 0
    assert run("codebook", "load", write(tmp_path / "cb.yaml", CODEBOOK), env=env).exit_code == 0
    assert run("speakers", "role", "Speaker 1", "interviewer", env=env).exit_code == 0
    # "celular(es)" is in turns 1, 2 and 4; turn 1 is the interviewer's
    suggested = run("suggest", "run", "--method", "rules", "--respondents-only", env=env)
    assert suggested.exit_code == 0, suggested.output
    listed = run("suggestions", "--format", "csv", env=env)
    assert sorted(line.split(",")[2] for line in listed.stdout.splitlines()[1:]) == ["2", "4"]
    assert run("code", "rev", "1-4", "phones", env=env).exit_code == 0
    # the interviewer's two questions are left out: the 2 answers (no role yet) remain
    matrix = run("export", "matrix", "--by", "role", "--respondents-only", "--format", "csv",
                 env=env)
    assert matrix.exit_code == 0, matrix.output
    assert matrix.stdout.splitlines()[:3] == ["code (segments),(none),interviewer,Total",
                                              "phones,2,0,2",
                                              "Total,2,0,2"]
    both = run("export", "cooccurrence", "--respondents-only", "--format", "csv", env=env)
    assert both.stdout.splitlines()[1] == "phones,2"
    quotes = run("quotes", "phones", "--respondents-only", "--format", "csv", env=env)
    assert [line.split(",")[2] for line in quotes.stdout.splitlines()[1:]] == [
        "Speaker 2", "Speaker 3"]
    exported = run("export", "quotes", "--respondents-only", "--format", "csv", env=env)
    assert exported.exit_code == 0 and "¿Cómo entran" not in exported.stdout
    assert "Con las visitas" in exported.stdout
    heat = run("export", "heatmap", "--respondents-only", "--by", "role", "--out",
               tmp_path / "h.png", env=env)
    assert heat.exit_code == 0 and (tmp_path / "h.png").stat().st_size > 0


def test_documents_stored_without_speaker_rows_still_list_and_rename(coded):
    # another importer (REFI-QDA) may store segments without speaker rows
    coded.conn.execute("DELETE FROM speaker")
    assert [r["name"] for r in coded.speakers("rev")] == ["Speaker 1", "Speaker 2",
                                                          "Speaker 3"]
    assert coded.rename_speaker("Speaker 2", "Guard") == 1
    assert [r["name"] for r in coded.speakers("rev")] == ["Speaker 1", "Guard", "Speaker 3"]
