"""qcode.pii.scan at its edges: speaker labels, a trained pipeline's entities, the allowlist,
which targets name files or documents, and the warnings printed before an export."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qcode.errors import InputError, NotFoundError
from qcode.importers.model import Span
from qcode.pii import Allowlist
from qcode.pii.findings import Finding
from qcode.pii.scan import (
    label_offsets,
    load_model,
    passage_warnings,
    scan_file,
    scan_parsed,
    scan_targets,
    scan_text,
)
from tests.conftest import write


def pipeline(*entities: tuple[str, str]):
    """A stand-in for a trained spaCy pipeline tagging each (text, label) where it stands."""
    def nlp(text: str):
        ents = [SimpleNamespace(start_char=text.index(t), end_char=text.index(t) + len(t),
                                text=t, label_=label) for t, label in entities]
        return SimpleNamespace(ents=ents)
    return nlp


def test_only_person_entities_of_a_pipeline_are_names():
    text = "Vino Xochitl con Tlaloc desde Zorvak."
    nlp = pipeline(("Xochitl", "PERSON"), ("Tlaloc", "PER"), ("Zorvak", "ORG"))
    assert [(f.text, f.kind, f.reason) for f in scan_text(text, nlp=nlp)] == [
        ("Xochitl", "name", "PERSON entity of the model"),
        ("Tlaloc", "name", "PER entity of the model")]
    assert [f.text for f in scan_text(text, Allowlist(["Tlaloc"]), nlp=nlp)] == ["Xochitl"]


def test_a_shape_wins_over_a_name_found_on_the_same_characters():
    # the pipeline calls the phone number a person; the phone detector's finding is kept
    text = "Llame al 987 654 321 hoy."
    found = scan_text(text, nlp=pipeline(("987 654 321", "PER")))
    assert [(f.kind, f.text) for f in found] == [("phone", "987 654 321")]


def test_the_allowlist_silences_names_but_never_shapes():
    text = "El señor Vega dio el 987 654 321."
    assert [f.kind for f in scan_text(text, Allowlist(["Vega", "987 654 321"]))] == ["phone"]
    assert [f.kind for f in scan_text(text)] == ["name", "phone"]


def test_a_speaker_label_is_a_finding_only_when_it_is_a_name_not_allowed():
    text = "Rosa: hola\nGuardia: chau\n"
    speakers = [("Rosa", 0), ("Guardia", 11)]
    assert [(f.text, f.start, f.end, f.line) for f in scan_text(text, speakers=speakers)] == [
        ("Rosa", 0, 4, 1)]
    assert scan_text(text, Allowlist(["rosa"]), speakers=speakers) == []


def test_label_offsets_take_each_speakers_first_label_on_the_line_before_its_words():
    text = "Rosa: hola\nE: dime\nRosa: otra\nX no es un rótulo\n"
    turns = [("Rosa", 6), (None, 20), ("", 0), ("Rosa", 25), ("E", 14), ("Pedro", 36),
             ("dime", 14)]
    # a turn with no speaker is passed over; Rosa's second label is not her first; Pedro's
    # words start on a line that does not hold "Pedro", and "dime" stands after the start
    # of its turn's words, not before: no offset for either
    assert label_offsets(text, turns) == [("Rosa", 0), ("E", 11)]
    # the label is looked for from the start of the turn's line only, not on earlier lines
    assert label_offsets("x\nRosa dijo\nRosa: sí", [("Rosa", 18)]) == [("Rosa", 12)]
    assert label_offsets("Rosa: sí", [("Rosa", 6)]) == [("Rosa", 0)]
    # where the label's text occurs twice before the words, the first (the line's start) counts
    assert label_offsets("Ana (Ana): sí", [("Ana", 11)]) == [("Ana", 0)]


def test_turns_a_caption_file_carries_give_the_speaker_labels():
    # no layout qcode would find by itself (no colon); the format's own turn names "Rosa",
    # which stands before the turn's words on their line
    text = "Rosa con el bus llegó\n"
    turns = [Span(5, 21, speaker="Rosa")]
    with_turns = scan_parsed(text, "t.vtt", "es", Allowlist(), turns=turns)
    assert [(f.text, f.reason) for f in with_turns.findings] == [
        ("Rosa", "speaker label is a listed name")]
    assert scan_parsed(text, "t.vtt", "es", Allowlist()).findings == []


def test_a_caption_files_own_speaker_turns_are_scanned(tmp_path):
    # one cue: the text "Rosa: con el bus llegó" is too short for a layout of its own, but
    # the voice tag names Rosa, a listed first name
    path = write(tmp_path / "t.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n"
                                      "<v Rosa>con el bus llegó\n")
    result = scan_file(path)
    assert [(f.text, f.start) for f in result.findings] == [("Rosa", 0)]
    assert result.language == "es"  # the file names no language: Spanish by default


def test_front_matter_findings_come_first_on_line_zero():
    result = scan_parsed("E: Llame al 987 654 321.\n", "s", "en", Allowlist(),
                         extra=["tel: 912 345 678", "lugar: Lima"])
    # a front-matter finding's offsets are those in its "key: value" line
    assert [(f.line, f.start, f.end, f.text, f.reason) for f in result.findings] == [
        (0, 5, 16, "912 345 678", "valid phone number (PE, libphonenumber) (front matter)"),
        (1, 12, 23, "987 654 321", "valid phone number (PE, libphonenumber)")]
    # words of the text only: "E:", "Llame", "al", "987", "654", "321."
    assert (result.source, result.language, result.words) == ("s", "en", 6)


def test_no_targets_is_refused():
    with pytest.raises(InputError, match="^name transcript files, folders or documents to "
                                         "scan$"):
        scan_targets(None, [], Allowlist())


LEAKY = "E: ¿Y el número?\nR: Es 987 654 321, llame.\n"


def test_targets_are_files_folders_and_stored_documents(project, tmp_path):
    write(tmp_path / "folder" / "b.txt", LEAKY)
    write(tmp_path / "folder" / "a.txt", "E: nada\n")
    stored = write(tmp_path / "charla.txt", "E: bien\nR: El señor Vega vino.\n")
    project.import_files([stored], allow_pii=True)
    stored.unlink()  # "charla" now names only the stored document
    results = scan_targets(project.conn, [str(tmp_path / "folder"), "charla", "char"],
                           Allowlist())
    assert [(r.source, [f.text for f in r.findings]) for r in results] == [
        (str(tmp_path / "folder" / "a.txt"), []),
        (str(tmp_path / "folder" / "b.txt"), ["987 654 321"]),
        ("charla", ["Vega"]), ("charla", ["Vega"])]
    # the allowlist given applies to files, documents and documents named by a prefix
    allow = Allowlist(["Vega", "987 654 321"])
    write(tmp_path / "folder" / "b.txt", "E: ¿Quién?\nR: El señor Vega.\n")
    allowed = scan_targets(project.conn, [str(tmp_path / "folder"), "charla", "char"], allow)
    assert [r.findings for r in allowed] == [[], [], [], []]


def test_a_document_named_like_a_missing_transcript_file_is_scanned(project, tmp_path):
    path = write(tmp_path / "in.txt", "E: bien\nR: El señor Vega vino.\n")
    project.import_files([path], name="charla.txt", allow_pii=True)
    [result] = scan_targets(project.conn, ["charla.txt"], Allowlist())
    assert (result.source, [f.text for f in result.findings]) == ("charla.txt", ["Vega"])


def test_an_existing_file_is_scanned_even_where_a_document_has_its_name(project, tmp_path):
    project.import_files([write(tmp_path / "charla.txt", "E: bien\n")])
    write(tmp_path / "charla", LEAKY)  # a file with the document's name, in the folder
    with pytest.raises(InputError, match="unsupported file type"):
        scan_targets(project.conn, ["charla"], Allowlist())


def test_a_missing_transcript_file_is_not_looked_up_as_a_document(project, tmp_path):
    for name in ("gone.txt", "gone.TXT"):  # file types are told by their folded suffix
        with pytest.raises(InputError, match=f"^{name}: no such file or folder$"):
            scan_targets(project.conn, [name], Allowlist())
    with pytest.raises(NotFoundError, match="no document 'gone'"):
        scan_targets(project.conn, ["gone"], Allowlist())
    with pytest.raises(InputError, match="gone: no such file or folder"):
        scan_targets(None, ["gone"], Allowlist())


def test_files_are_read_with_the_language_and_encoding_given(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("E: bueno\nR: el señor Ñañez vino.\n".encode("cp1252"))
    [result] = scan_targets(None, [str(path)], Allowlist(), language="en", encoding="cp1252")
    assert (result.language, [f.text for f in result.findings]) == ("en", ["Ñañez"])
    path.write_text("E: bueno\n", encoding="utf-8")
    assert scan_targets(None, [str(path)], Allowlist())[0].language == "es"  # by default


def test_a_pipeline_is_used_for_files_and_documents(project, tmp_path):
    project.import_files([write(tmp_path / "doc.txt", "E: vino Xochitl\n")])
    path = write(tmp_path / "file.txt", "E: vino Xochitl\n")
    (tmp_path / "doc.txt").unlink()
    # "do" names the document "doc" by its prefix; the file after it is scanned too
    results = scan_targets(project.conn, ["doc", "do", str(path)], Allowlist(),
                           nlp=pipeline(("Xochitl", "PER")))
    assert [[f.text for f in r.findings] for r in results] == [["Xochitl"]] * 3


PHONES = "llame al 987 654 321, al 912 345 678, al 923 456 789 o al 934 567 890"


def test_each_passage_is_warned_about_once_naming_three_findings():
    passages = [("int_01", 2, PHONES), ("int_01", 2, PHONES), ("int_01", 3, "nada aquí"),
                ("int_02", 5, "el señor Vega")]
    assert passage_warnings(passages) == [
        "int_01, segment 2: the passage still holds a likely identifier: phone '987 654 321', "
        "phone '912 345 678', phone '923 456 789' and 1 more",
        "int_02, segment 5: the passage still holds a likely identifier: name 'Vega'",
        "check them (`qcode pii scan DOC`), add harmless terms with `qcode pii allow TERM`, or "
        "import a redacted copy (`qcode pii redact`)"]


def test_three_findings_are_all_named():
    text = "llame al 987 654 321, al 912 345 678 o al 923 456 789"
    [line, _] = passage_warnings([("d", 1, text)], Allowlist())
    assert line.endswith("phone '923 456 789'")


def test_passages_past_the_limit_are_counted():
    passages = [("d", n, f"el señor Vega {n}") for n in range(5)]
    lines = passage_warnings(passages, limit=3)
    assert [line.split(":")[0] for line in lines[:3]] == ["d, segment 0", "d, segment 1",
                                                          "d, segment 2"]
    assert lines[3] == "... and 2 more passages with likely identifiers"
    assert len(lines) == 5
    assert len(passage_warnings(passages, limit=5)) == 6  # none left over: no count line
    assert len(passage_warnings(passages[:1] * 11)) == 2  # ten by default, one distinct here


def test_ten_passages_are_warned_about_by_default():
    lines = passage_warnings([("d", n, f"el señor Vega {n}") for n in range(11)])
    assert len(lines) == 12 and lines[10] == "... and 1 more passages with likely identifiers"


def test_clean_passages_give_no_warning():
    assert passage_warnings([("d", 1, "nada aquí")]) == []
    assert passage_warnings([("d", 1, "el señor Vega")], Allowlist(["Vega"])) == []


def test_a_missing_pipeline_is_one_clear_error():
    with pytest.raises(InputError, match=r"^--model no_such_pipeline_xyz: cannot load this spaCy "
                                         r"pipeline \(.*\); install it or leave --model out to "
                                         r"scan with the built-in rules$"):
        load_model("no_such_pipeline_xyz")


def test_an_installed_pipeline_loads(tmp_path):
    import spacy

    spacy.blank("es").to_disk(tmp_path / "model")
    assert load_model(str(tmp_path / "model")).lang == "es"


def test_findings_outside_a_file_keep_their_fields():
    finding = scan_text("el señor Vega")[0]
    assert finding == Finding(9, 13, "Vega", "name", "capitalised after 'señor'", 1)
