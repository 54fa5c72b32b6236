"""Scanning documents already in a project (`qcode pii scan DOC`): their stored speaker
labels, the project's allowlist and a trained pipeline all take part, as for a file."""

from __future__ import annotations

from types import SimpleNamespace

from qcode.pii import Allowlist
from qcode.pii.allowlist import add_terms, project_allowlist
from qcode.pii.scan import scan_documents
from tests.conftest import write

# "Rosa" is a weak listed first name: in the text it is flagged nowhere (a common word),
# but as a speaker label a listed name is a finding. "Vega" after "señor" is a name.
TEXT = "E: ¿Cómo llegó?\nRosa: Con el señor Vega, por la tarde.\n"


def _imported(project, tmp_path):
    project.import_files([write(tmp_path / "charla.txt", TEXT)], allow_pii=True)
    return project.conn


def test_a_stored_documents_speaker_label_and_text_are_scanned(project, tmp_path):
    conn = _imported(project, tmp_path)
    [result] = scan_documents(conn, ["charla"], Allowlist())
    assert [(f.line, f.text, f.reason) for f in result.findings] == [
        (2, "Rosa", "speaker label is a listed name"),
        (2, "Vega", "capitalised after 'señor'")]
    assert (result.source, result.language, result.words) == ("charla", "es", len(TEXT.split()))


def test_the_projects_allowlist_silences_a_stored_documents_finding(project, tmp_path):
    conn = _imported(project, tmp_path)
    add_terms(conn, ["Vega"])
    [result] = scan_documents(conn, ["charla"], project_allowlist(conn))
    assert [f.text for f in result.findings] == ["Rosa"]


def test_a_trained_pipeline_scans_stored_documents_too(project, tmp_path):
    conn = _imported(project, tmp_path)
    # a stand-in pipeline that tags "tarde" (offsets 50-55 of TEXT) as a person
    start = TEXT.index("tarde")
    entity = SimpleNamespace(start_char=start, end_char=start + 5, text="tarde", label_="PER")
    [result] = scan_documents(conn, ["charla"], Allowlist(),
                              nlp=lambda text: SimpleNamespace(ents=[entity]))
    assert [f.text for f in result.findings] == ["Rosa", "Vega", "tarde"]
    assert result.findings[-1].reason == "PER entity of the model"
