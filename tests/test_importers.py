"""Each file format, read into normalised text and segments with exact offsets."""

import docx
import pytest

from qcode import InputError, Project
from qcode.importers import MAX_FILE_BYTES, collect_paths, read_document, segment
from tests.conftest import SAMPLES, write


def segments_of(path):
    doc = read_document(path)
    found, used = segment(doc.text, "turn", "es", doc.turns)
    return doc, [(s.speaker, doc.text[s.start:s.end], s.time_start, s.time_end) for s in found]


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    document = docx.Document()
    document.add_heading("Entrevista 9", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Lugar", "Lurigancho"
    table.cell(1, 0).text, table.cell(1, 1).text = "Nota", "Audio claro"
    document.add_paragraph("E: ¿Cómo entran los celulares?")
    document.add_paragraph("")
    document.add_paragraph("R: Por las visitas, en la comida.")
    wide = document.add_table(rows=1, cols=3)
    for cell, value in zip(wide.rows[0].cells, ["a", "b", "c"], strict=True):
        cell.text = value
    path = tmp_path / "entrevista.docx"
    document.save(path)
    doc, segs = segments_of(path)
    assert doc.text == ("Entrevista 9\n\nLugar: Lurigancho\n\nNota: Audio claro\n\n"
                        "E: ¿Cómo entran los celulares?\n\nR: Por las visitas, en la comida."
                        "\n\na | b | c")
    assert segs == [(None, "Entrevista 9\n\nLugar: Lurigancho\n\nNota: Audio claro", None, None),
                    ("E", "¿Cómo entran los celulares?", None, None),
                    ("R", "Por las visitas, en la comida.\n\na | b | c", None, None)]


def test_corrupt_docx(tmp_path):
    path = write(tmp_path / "broken.docx", b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"broken.docx: not a valid .docx file"):
        read_document(path)


VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
<v Interviewer>How long have you
worked here?</v>

2
00:00:04.500 --> 00:00:09.250
<v Guard 1>Eleven years,

3
00:00:09.250 --> 00:00:12.000
almost twelve.

4
00:01:00.000 --> 00:01:02.500
Interviewer: And before that?
"""


def test_vtt_voices_prefixes_and_merged_cues(tmp_path):
    doc, segs = segments_of(write(tmp_path / "call.vtt", VTT))
    assert doc.text == ("Interviewer: How long have you worked here?\n\n"
                        "Guard 1: Eleven years, almost twelve.\n\nInterviewer: And before that?")
    assert segs == [("Interviewer", "How long have you worked here?", 1.0, 4.0),
                    ("Guard 1", "Eleven years, almost twelve.", 4.5, 12.0),
                    ("Interviewer", "And before that?", 60.0, 62.5)]


def test_srt_with_name_prefixes_crlf_and_cp1252(tmp_path):
    raw = ("1\r\n00:00:01,000 --> 00:00:02,500\r\nAna: ¿Cuántos agentes hay?\r\n\r\n"
           "2\r\n00:00:03,000 --> 00:00:05,000\r\nBeto: Cuatro, señora.\r\n\r\n"
           "3\r\n00:00:05,000 --> 00:00:06,000\r\nPara dos mil.\r\n").encode("cp1252")
    doc, segs = segments_of(write(tmp_path / "zoom.srt", raw))
    assert doc.encoding == "windows-1252"
    assert segs == [("Ana", "¿Cuántos agentes hay?", 1.0, 2.5),
                    ("Beto", "Cuatro, señora. Para dos mil.", 3.0, 6.0)]


def test_malformed_vtt(tmp_path):
    path = write(tmp_path / "bad.vtt", "this is not a caption file\n")
    with pytest.raises(InputError, match=r"bad.vtt: not a valid .vtt caption file"):
        read_document(path)


def test_markdown_front_matter_gives_attributes_and_language(tmp_path):
    path = write(tmp_path / "v.md", "---\nrole: volunteer\nyear: 2017\nlanguage: en\n---\n"
                                   "**Interviewer:** Hi.\n**Volunteer:** Hello.\n")
    doc, segs = segments_of(path)
    assert doc.attributes == {"role": "volunteer", "year": "2017"}
    assert doc.language == "en"
    assert [s[:2] for s in segs] == [("Interviewer", "Hi."), ("Volunteer", "Hello.")]


def test_front_matter_errors_name_the_line(tmp_path):
    path = write(tmp_path / "x.txt", "---\nrole: guard\nyear: [2016\n---\nE: hola\n")
    with pytest.raises(InputError, match=r"^.*x.txt, line \d+: the front matter is not valid"):
        read_document(path)
    nested = write(tmp_path / "y.txt", "---\nrole: {a: 1}\n---\nE: hola\n")
    with pytest.raises(InputError, match="front matter field 'role' must be a single value"):
        read_document(nested)


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no real disk or memory used
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InputError, match=r"huge.txt: 50 MB is over qcode's limit of 50 MB per "
                                         r"transcript; split the file"):
        read_document(path)


def test_empty_file(tmp_path):
    with pytest.raises(InputError, match=r"empty.txt: the file is empty"):
        read_document(write(tmp_path / "empty.txt", b""))


def test_collect_paths_errors(tmp_path):
    with pytest.raises(InputError, match=r"nope.txt: no such file or folder"):
        collect_paths([tmp_path / "nope.txt"])
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "notes.csv", "a,b\n")
    with pytest.raises(InputError, match=r"empty: folder has no transcripts \(looked for "
                                         r"\.txt, \.md, \.docx, \.vtt, \.srt, \.cha\)"):
        collect_paths([tmp_path / "empty"])
    with pytest.raises(InputError, match=r"notes.csv: unsupported file type '.csv'; qcode "
                                         r"imports .*; document attributes come from a CSV "
                                         r"given with --attributes FILE$"):
        collect_paths([tmp_path / "empty" / "notes.csv"])
    write(tmp_path / "notes.pdf", "%PDF")
    with pytest.raises(InputError, match=r"notes.pdf: unsupported file type '.pdf'; qcode "
                                         r"imports \.txt, \.md, \.docx, \.vtt, \.srt, \.cha$"):
        collect_paths([tmp_path / "notes.pdf"])


def test_samples_meet_the_brief(tmp_path):
    """Six or more interviews, three per language, 800-2,000 words, varied formats."""
    with Project.init(tmp_path / "p") as project:
        project.import_files([SAMPLES], attributes=SAMPLES / "attributes.csv")
        docs = project.documents()
    assert len(docs) >= 6
    assert sum(d["language"] == "es" for d in docs) >= 3
    assert sum(d["language"] == "en" for d in docs) >= 3
    assert {"txt", "docx", "vtt", "md"} <= {d["format"] for d in docs}
    for doc in docs:
        assert 800 <= doc["words"] <= 2000, doc["name"]
        assert set(doc["attributes"]) >= {"role", "year"}
        assert len(doc["speakers"].split(", ")) == 2, doc["name"]  # interviewer and respondent
