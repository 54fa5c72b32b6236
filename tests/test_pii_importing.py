"""The anonymisation check of `qcode import` (qcode.pii.importing) on its own: the refusal's
message, which documents are scanned and counted, findings a worker made already, and the
record of documents let through with --allow-pii."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from qcode.importers.model import Span
from qcode.pii import Allowlist
from qcode.pii.allowlist import add_terms
from qcode.pii.findings import Finding
from qcode.pii.importing import (
    PiiFoundError,
    allowed_documents,
    check_import,
    document_findings,
    record_allowed,
)
from tests.conftest import write

ADVICE = ("Either import a pseudonymised copy (`qcode pii redact FILE -o COPY.txt --key KEY.csv`,"
          " with the key kept outside the project), or, after checking that these are not "
          "identifiers, import with --allow-pii (`qcode pii allow TERM` stops a harmless word "
          "from being flagged again)")


def phones(count: int, first_line: int = 1) -> list[Finding]:
    return [Finding(0, 11, f"987 654 {n:03d}", "phone", "valid phone number", first_line + n)
            for n in range(count)]


def test_one_file_with_one_finding_is_named_in_the_singular():
    error = PiiFoundError([("a.txt", phones(1, first_line=3))])
    assert str(error).splitlines() == [
        "1 file refused: 1 likely identifier that escaped anonymisation",
        "a.txt:",
        "  line 3: phone '987 654 000' (valid phone number)",
        ADVICE]


def test_two_files_and_two_findings_are_plural():
    refused = [("a.txt", phones(1)), ("b.txt", phones(1, first_line=7))]
    error = PiiFoundError(refused)
    assert error.refused == refused
    assert str(error).splitlines() == [
        "2 files refused: 2 likely identifiers that escaped anonymisation",
        "a.txt:", "  line 1: phone '987 654 000' (valid phone number)",
        "b.txt:", "  line 7: phone '987 654 000' (valid phone number)",
        ADVICE]


def test_ten_findings_in_all_are_listed_across_files_and_the_rest_counted():
    # 8 + 4 + 1 = 13: a.txt shows its 8, b.txt the first 2 of its 4, c.txt none; 3 more
    lines = str(PiiFoundError([("a.txt", phones(8)), ("b.txt", phones(4, first_line=20)),
                               ("c.txt", phones(1))])).splitlines()
    assert lines[0] == "3 files refused: 13 likely identifiers that escaped anonymisation"
    assert lines[1] == "a.txt:" and lines[10] == "b.txt:"
    assert lines[11:13] == ["  line 20: phone '987 654 000' (valid phone number)",
                            "  line 21: phone '987 654 001' (valid phone number)"]
    assert lines[13:] == ["c.txt:",
                          "  ... and 3 more; `qcode pii scan FILE` lists them all", ADVICE]


def test_exactly_ten_findings_are_all_listed_with_no_remainder_line():
    lines = str(PiiFoundError([("a.txt", phones(6)), ("b.txt", phones(4))])).splitlines()
    assert sum(line.startswith("  line ") for line in lines) == 10
    assert not any("more;" in line for line in lines)


def doc(name: str, text: str, attributes: dict | None = None):
    return SimpleNamespace(name=name, text=text, source=Path(f"in/{name}.txt"),
                           attributes=attributes or {})


LEAKY = "E: ¿Y el número?\nR: Es 987 654 321, llame.\n"  # one phone number, on line 2


def test_new_documents_are_scanned_and_the_leaky_ones_refused(project):
    clean = doc("clean", "E: ¿Cómo entra?\nR: Por la visita.\n")
    with pytest.raises(PiiFoundError) as caught:
        check_import(project.conn, [(clean, [], None, None),
                                    (doc("leaky", LEAKY), [], None, None)], False)
    [(source, found)] = caught.value.refused
    assert source == str(Path("in/leaky.txt"))
    assert [(f.line, f.kind, f.text) for f in found] == [(2, "phone", "987 654 321")]


def test_with_allow_pii_the_findings_are_counted_per_document(project):
    counts = check_import(project.conn, [(doc("clean", "E: bien\n"), [], None, None),
                                         (doc("leaky", LEAKY), [], None, None)], True)
    assert counts == {"clean": 0, "leaky": 1}


def test_findings_made_by_a_worker_are_used_as_they_are(project):
    # a worker found nothing in this text (say, with another allowlist): it is not rescanned
    assert check_import(project.conn, [(doc("leaky", LEAKY), [], [], None)], False) == {"leaky": 0}
    made = phones(2)
    with pytest.raises(PiiFoundError) as caught:
        check_import(project.conn, [(doc("clean", "E: bien\n"), [], made, None)], False)
    assert caught.value.refused == [(str(Path("in/clean.txt")), made)]


def test_a_text_the_project_holds_already_is_neither_scanned_nor_counted(project, tmp_path):
    project.import_files([write(tmp_path / "stored.txt", LEAKY)], allow_pii=True)
    # the same text under another name: nothing new would be stored; the next one is checked
    other = "E: ¿Y el otro?\nR: 912 345 678.\n"
    assert check_import(project.conn, [(doc("again", LEAKY), [], None, None),
                                       (doc("other", other), [], None, None)], True) == {"other": 1}


def test_the_sha256_the_reader_computed_is_the_one_looked_up(project, tmp_path):
    """A reader hashes each text once; the check uses that hash rather than hashing again."""
    project.import_files([write(tmp_path / "stored.txt", LEAKY)], allow_pii=True)
    stored = project.conn.execute("SELECT sha256 FROM document").fetchone()[0]
    other = "E: ¿Y el otro?\nR: 912 345 678.\n"  # a new text, passed with the stored hash
    assert check_import(project.conn, [(doc("other", other), [], None, stored)], True) == {}
    assert check_import(project.conn, [(doc("other", other), [], None, None)], True) == {
        "other": 1}


def test_the_projects_allowlist_applies(project):
    add_terms(project.conn, ["Vega"])
    text = "E: ¿Quién?\nR: El señor Vega.\n"
    assert check_import(project.conn, [(doc("d", text), [], None, None)], False) == {"d": 0}


def test_document_findings_cover_speaker_labels_and_attribute_values():
    # "Rosa" is flagged only as a speaker label (a listed first name); the attribute value
    # "Juan Quispe" is a first name and a surname, scanned as "entrevistador: Juan Quispe"
    text = "E: ¿Cómo llegó?\nRosa: En bus.\n"
    spans = [Span(3, 15, speaker="E"), Span(22, 29, speaker="Rosa")]
    found = document_findings(doc("d", text, {"entrevistador": "Juan Quispe"}), spans,
                              Allowlist())
    assert [(f.line, f.text, f.start) for f in found] == [(2, "Rosa", 16),
                                                          (1, "Juan Quispe", 15)]
    # the allowlist applies to labels and attribute values alike
    assert document_findings(doc("d", text, {"entrevistador": "Juan Quispe"}), spans,
                             Allowlist(["Rosa", "Juan Quispe"])) == []


def test_documents_let_through_are_recorded_once_with_their_latest_count(project, tmp_path):
    project.import_files([write(tmp_path / "b.txt", "E: uno\n"),
                          write(tmp_path / "a.txt", "E: dos\n")])
    record_allowed(project.conn, "b", 3)
    record_allowed(project.conn, "a", 1)
    record_allowed(project.conn, "b", 5)  # imported again with --allow-pii: the count moves
    record_allowed(project.conn, "nonesuch", 2)  # no such document: nothing recorded
    rows = project.conn.execute(
        "SELECT d.name, p.findings, p.allowed_at FROM pii_allowed_document p "
        "JOIN document d ON d.id = p.document_id ORDER BY d.name").fetchall()
    assert [(r[0], r[1]) for r in rows] == [("a", 1), ("b", 5)]
    assert all(r[2][:2] == "20" and r[2].endswith("+00:00") for r in rows)  # ISO 8601, UTC
    assert allowed_documents(project.conn) == ["a", "b"]


def test_no_documents_let_through(project):
    assert allowed_documents(project.conn) == []
