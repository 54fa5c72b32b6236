"""Pseudonymisation in detail: which mentions are one identifier, how placeholders are
numbered and named, the key file, the language guess, and the file-level refusals."""

from __future__ import annotations

import csv
import io

import pytest

from qcode.errors import InputError
from qcode.pii import Allowlist
from qcode.pii.findings import Finding
from qcode.pii.redact import (
    KeyEntry,
    check_key_path,
    guess_language,
    key_csv,
    redact_file,
    redact_text,
)
from tests.conftest import SAMPLES, write


def hand(text: str, *found: tuple[str, str]) -> list[Finding]:
    """Findings for the first occurrence of each (string, kind) in `text`, by hand."""
    out = []
    for string, kind in found:
        start = text.index(string)
        line = text.count("\n", 0, start) + 1
        out.append(Finding(start, start + len(string), string, kind, "by hand", line))
    return out


def redacted(text: str, *found: tuple[str, str], language: str = "es") -> str:
    return redact_text(text, hand(text, *found), language).text


# -- which mentions are the same identifier -----------------------------------------------

def test_a_phone_with_perus_country_code_is_the_same_number_without_it():
    # +51 and nine digits (11 digits in all) is the Peruvian number 987654321
    text = "Al +51 987 654 321 o al 987654321."
    assert redacted(text, ("+51 987 654 321", "phone"), ("987654321", "phone")) == (
        "Al [TELÉFONO_1] o al [TELÉFONO_1].")


@pytest.mark.parametrize("first, second", [
    ("51 234 5678", "2345678"),       # 9 digits beginning 51: a local number, not +51
    ("+51 12 345 67890", "1234567890"),  # 12 digits: the 51 is not stripped
])
def test_only_eleven_digits_beginning_51_lose_the_country_code(first, second):
    text = f"Al {first} o al {second}."
    assert redacted(text, (first, "phone"), (second, "phone")) == (
        "Al [TELÉFONO_1] o al [TELÉFONO_2].")


def test_an_id_number_written_with_other_separators_is_the_same_number():
    text = "DNI 45.678.912, o sea 45678912; y el RUC 20-131312955 o 20131312955."
    found = [("45.678.912", "dni"), ("45678912", "dni"), ("20-131312955", "id"),
             ("20131312955", "id")]
    assert redacted(text, *found) == (
        "DNI [DNI_1], o sea [DNI_1]; y el RUC [DOCUMENTO_1] o [DOCUMENTO_1].")


def test_a_dni_keeps_its_letters_out_of_its_identity():
    # a DNI is its digits: a stray letter written beside them is the same number
    text = "DNI 45678912K y 45678912."
    assert redacted(text, ("45678912K", "dni"), ("45678912", "dni")) == (
        "DNI [DNI_1] y [DNI_1].")


def test_an_id_number_is_its_digits_with_or_without_its_letters():
    text = "carné CE 001234567; sí, el 001234567."
    assert redacted(text, ("CE 001234567", "id"), ("001234567", "id")) == (
        "carné [DOCUMENTO_1]; sí, el [DOCUMENTO_1].")


def test_an_id_without_digits_is_compared_by_its_text():
    text = "el carné ABC-DEF y el abc-def, no el ABC-XYZ."
    found = [("ABC-DEF", "id"), ("abc-def", "id"), ("ABC-XYZ", "id")]
    assert redacted(text, *found) == (
        "el carné [DOCUMENTO_1] y el [DOCUMENTO_1], no el [DOCUMENTO_2].")


def test_other_kinds_are_compared_without_case_accents_or_punctuation():
    text = "a Ana@Mail.pe y a ana@mail.pe; vive en Av. Perú 12 (av peru 12)."
    found = [("Ana@Mail.pe", "email"), ("ana@mail.pe", "email"), ("Av. Perú 12", "address"),
             ("av peru 12", "address")]
    assert redacted(text, *found) == (
        "a [CORREO_1] y a [CORREO_1]; vive en [DIRECCIÓN_1] ([DIRECCIÓN_1]).")


def test_a_plate_is_the_same_with_or_without_its_hyphen():
    text = "la placa ABC-123, o sea ABC123, no ABD-123."
    found = [("ABC-123", "plate"), ("ABC123", "plate"), ("ABD-123", "plate")]
    assert redacted(text, *found) == "la placa [PLACA_1], o sea [PLACA_1], no [PLACA_2]."


def test_a_name_is_the_same_person_with_or_without_title_particles_or_possessive():
    text = "Dr. Juan de la Cruz, Juan Cruz's son, Juan Cruz."
    found = [("Dr. Juan de la Cruz", "name"), ("Juan Cruz's", "name"), ("Juan Cruz.", "name")]
    assert redacted(text, *found, language="en") == "[PERSON_1], [PERSON_1] son, [PERSON_1]"


@pytest.mark.parametrize("particle", ["de", "del", "la", "las", "los"])
def test_name_particles_do_not_tell_people_apart(particle):
    # "Juan Vega Ruiz" is longer, so judged first; "Juan <particle> Vega" is part of it
    text = f"Vino Juan Vega Ruiz y Juan {particle} Vega."
    found = [("Juan Vega Ruiz", "name"), (f"Juan {particle} Vega", "name")]
    assert redacted(text, *found) == "Vino [PERSONA_1] y [PERSONA_1]."


def test_a_title_does_not_tell_people_apart():
    text = "Vino Juan Vega; el Dr. Vega no."
    assert redacted(text, ("Juan Vega", "name"), ("Dr. Vega", "name")) == (
        "Vino [PERSONA_1]; el [PERSONA_1] no.")


def test_a_name_written_surname_first_is_the_same_person():
    text = "Firmó Vega, Juan; después Juan Vega."
    assert redacted(text, ("Vega, Juan", "name"), ("Juan Vega", "name")) == (
        "Firmó [PERSONA_1]; después [PERSONA_1].")


def test_different_kinds_are_different_identifiers_even_with_the_same_letters():
    text = "Vega llamó; expediente VEGA."
    assert redacted(text, ("Vega", "name"), ("VEGA", "file_number")) == (
        "[PERSONA_1] llamó; expediente [EXPEDIENTE_1].")


def test_part_of_a_full_name_is_the_same_person_and_a_different_name_is_not():
    text = "Vino Juan Quispe Mamani. Después Quispe, y luego Rosa Quispe."
    found = [("Juan Quispe Mamani", "name"), ("Quispe,", "name"), ("Rosa Quispe", "name")]
    assert redacted(text, *found) == "Vino [PERSONA_1]. Después [PERSONA_1] y luego [PERSONA_2]."


def test_a_name_that_is_only_titles_is_compared_whole():
    text = "el Señor Don y el Señor Doña"
    found = [("Señor Don", "name"), ("Señor Doña", "name")]
    assert redacted(text, *found) == "el [PERSONA_1] y el [PERSONA_2]"


# -- every mention ---------------------------------------------------------------------------

def test_a_flagged_string_is_replaced_wherever_it_recurs_as_a_whole_word():
    text = "Rosa vino.\nRosa, Rosario, @Rosa, x.Rosa, Rosa@x.pe, Rosa_ y (Rosa)."
    result = redact_text(text, hand(text, ("Rosa", "name")), "es")
    assert result.text == ("[PERSONA_1] vino.\n[PERSONA_1], Rosario, @Rosa, x.Rosa, Rosa@x.pe, "
                           "Rosa_ y ([PERSONA_1]).")
    assert [(f.line, f.reason) for f in result.findings] == [
        (1, "by hand"), (2, "same text as line 1"), (2, "same text as line 1")]
    assert result.key[0].lines == [1, 2, 2]


def test_a_recurrence_is_matched_as_the_longest_flagged_string_it_holds():
    text = "Juan Quispe vino. Juan Quispe y Juan."
    found = hand(text, ("Juan Quispe", "name")) + [Finding(32, 36, "Juan", "name", "by hand")]
    assert text[32:36] == "Juan"
    assert redact_text(text, found, "es").text == (
        "[PERSONA_1] vino. [PERSONA_1] y [PERSONA_1].")


def test_strings_shorter_than_three_characters_are_not_sought_elsewhere():
    text = "Li vino. Li no."
    found = [Finding(0, 2, "Li", "name", "by hand")]
    assert redact_text(text, found, "es").text == "[PERSONA_1] vino. Li no."
    three = "Lia vino. Lia no."
    found = [Finding(0, 3, "Lia", "name", "by hand")]
    assert redact_text(three, found, "es").text == "[PERSONA_1] vino. [PERSONA_1] no."


def test_placeholders_are_spanish_unless_another_language_is_given():
    text = "al 987 654 321"
    assert redact_text(text, hand(text, ("987 654 321", "phone"))).text == "al [TELÉFONO_1]"


def test_no_findings_leave_the_text_and_an_empty_key():
    result = redact_text("nada que ver", [], "es")
    assert (result.text, result.findings, result.key) == ("nada que ver", [], [])


# -- placeholders and the key ---------------------------------------------------------------

def test_placeholders_are_numbered_by_first_appearance_per_kind():
    # the longer name is judged first but appears second: it is still PERSONA_2
    text = "Vega llamó al 987 654 321; luego Juan Quispe Mamani al 912 345 678; Vega otra vez."
    found = [("Vega", "name"), ("987 654 321", "phone"), ("Juan Quispe Mamani", "name"),
             ("912 345 678", "phone")]
    result = redact_text(text, hand(text, *found), "es")
    assert result.text == ("[PERSONA_1] llamó al [TELÉFONO_1]; luego [PERSONA_2] al "
                           "[TELÉFONO_2]; [PERSONA_1] otra vez.")
    assert [(e.placeholder, e.kind, e.original, e.lines) for e in result.key] == [
        ("[PERSONA_1]", "name", "Vega", [1, 1]), ("[TELÉFONO_1]", "phone", "987 654 321", [1]),
        ("[PERSONA_2]", "name", "Juan Quispe Mamani", [1]),
        ("[TELÉFONO_2]", "phone", "912 345 678", [1])]


def test_the_key_gives_an_identifier_as_it_is_first_written():
    # "Sr. Vega" is longer, so judged first; "Vega" comes first in the text
    text = "Vega vino. Luego el Sr. Vega."
    found = [("Vega", "name"), ("Sr. Vega", "name")]
    result = redact_text(text, hand(text, *found), "es")
    assert result.text == "[PERSONA_1] vino. Luego el [PERSONA_1]."
    assert [(e.placeholder, e.original) for e in result.key] == [("[PERSONA_1]", "Vega")]


@pytest.mark.parametrize("language, stem", [("es", "TELÉFONO"), ("en", "PHONE"), ("fr", "PHONE")])
def test_placeholders_are_in_the_documents_language_else_english(language, stem):
    text = "al 987 654 321"
    assert redacted(text, ("987 654 321", "phone"), language=language) == f"al [{stem}_1]"


def test_the_key_file_lists_placeholder_kind_original_occurrences_and_lines():
    key = [KeyEntry("[PERSONA_1]", "name", "Vega, Juan", [2, 5]),
           KeyEntry("[TELÉFONO_1]", "phone", "987 654 321", [3])]
    text = key_csv(key)
    assert text == ('placeholder,kind,original,occurrences,lines\n'
                    '[PERSONA_1],name,"Vega, Juan",2,2 5\n'
                    '[TELÉFONO_1],phone,987 654 321,1,3\n')
    assert list(csv.reader(io.StringIO(text)))[1][2] == "Vega, Juan"


# -- the language guess -------------------------------------------------------------------

@pytest.mark.parametrize("spanish, english, guess", [
    (20, 0, "es"), (19, 0, None), (20, 10, "es"), (20, 11, None), (0, 20, "en"),
    (10, 20, "en"), (11, 20, None), (0, 0, None)])
def test_the_language_is_the_one_with_20_common_words_and_twice_the_others(
        spanish, english, guess):
    text = " ".join(["casa"] + ["el"] * spanish + ["the"] * english + ["casa"])
    assert guess_language(text) == guess


def test_the_language_guess_ignores_case_digits_and_underscores_between_words():
    assert guess_language("EL " * 10 + "1la_La " * 10) == "es"  # la and La split from 1 and _


def test_the_language_guess_reads_only_the_first_20000_characters():
    # 19 "el " then filler, and a 20th "el" whose "e" is character 20,000 (index 19999)
    head = "el " * 19
    text = head + "x" * (19999 - len(head) - 1) + " el"
    assert text.index(" el", len(head)) + 1 == 19999
    assert guess_language(text) is None
    inside = head + "x" * (19999 - len(head) - 2) + " el"  # the 20th "el" ends at 19999
    assert len(inside) == 20000 and guess_language(inside) == "es"


# -- the key's place and the file-level refusals -------------------------------------------

def test_the_key_may_not_sit_inside_the_project_nor_be_the_transcript_or_the_copy(tmp_path):
    project, source, out = tmp_path / "study", tmp_path / "a.txt", tmp_path / "b.txt"
    project.mkdir()
    key = project / "keys" / "k.csv"
    with pytest.raises(InputError) as refused:
        check_key_path(key, project, source, out)
    assert str(refused.value) == (
        f"--key {key}: inside the project folder {project}; the key undoes the "
        "pseudonymisation, so keep it outside the project (it must not travel with it), "
        "e.g. --key ~/keys/interview_key.csv")
    for key in (source, out):
        with pytest.raises(InputError) as refused:
            check_key_path(key, None, source, out)
        assert str(refused.value) == (
            f"--key {key}: give the key its own file, not the transcript or -o")
    check_key_path(tmp_path / "k.csv", project, source, out)  # beside the project: fine
    check_key_path(tmp_path / "study2" / "k.csv", project, source, out)


LEAKY = "E: ¿Quién?\nR: El técnico Paucar, celular 987 654 321.\n"


def test_redact_file_writes_the_copy_and_the_key_only_when_asked(tmp_path):
    source = write(tmp_path / "t.txt", LEAKY)
    out, key = tmp_path / "out.txt", tmp_path / "key.csv"
    result = redact_file(source, out)
    expected = "E: ¿Quién?\nR: El técnico [PERSONA_1], celular [TELÉFONO_1].\n"
    assert out.read_text("utf-8") == expected == result.text
    assert not key.exists()
    redact_file(source, out, key=key)
    assert key.read_text("utf-8").splitlines()[1:] == [
        "[PERSONA_1],name,Paucar,1,2", "[TELÉFONO_1],phone,987 654 321,1,2"]


def test_redact_file_takes_the_allowlist(tmp_path):
    source = write(tmp_path / "t.txt", LEAKY)
    result = redact_file(source, tmp_path / "out.txt", allow=Allowlist(["Paucar"]))
    assert [e.kind for e in result.key] == ["phone"]


@pytest.mark.parametrize("front, kwargs, stem", [
    ("", {}, "TELÉFONO"),                                        # no clue: the default, es
    ("", {"default_language": "en"}, "PHONE"),
    ("", {"language": "en"}, "PHONE"),
    ("---\nlanguage: en\n---\n", {}, "PHONE"),                   # front matter
    ("---\nlanguage: en\n---\n", {"language": "es"}, "TELÉFONO"),  # the option first
    ("the " * 20 + "\n", {"default_language": "es"}, "PHONE"),   # the text's common words
])
def test_the_placeholders_language_option_then_front_matter_then_text_then_default(
        tmp_path, front, kwargs, stem):
    source = write(tmp_path / "t.txt", front + "R: al 987 654 321.\n")
    redact_file(source, tmp_path / "out.txt", **kwargs)
    assert (tmp_path / "out.txt").read_text("utf-8").endswith(f"R: al [{stem}_1].\n")


def refusal(path, out, **kwargs) -> str:
    with pytest.raises(InputError) as refused:
        redact_file(path, out, **kwargs)
    return str(refused.value)


def test_redact_file_refusals(tmp_path):
    source = write(tmp_path / "t.txt", LEAKY)
    pdf, bare = write(tmp_path / "n.pdf", "x"), write(tmp_path / "notes", "x")
    out = tmp_path / "o.txt"
    assert refusal(pdf, out) == (f"{pdf}: unsupported file type '.pdf'; qcode imports .txt, .md, "
                                 ".docx, .vtt, .srt, .cha")
    assert refusal(bare, out).startswith(f"{bare}: unsupported file type '(none)'; ")
    missing = tmp_path / "missing.txt"
    assert refusal(missing, out) == f"{missing}: no such file or folder"
    same = tmp_path / "." / "t.txt"
    assert refusal(source, same) == (f"-o {same}: that is the original; write the redacted copy "
                                     "to a new file and keep the original somewhere safe")
    assert "give the key its own file" in refusal(source, out, key=out)
    assert "inside the project folder" in refusal(source, out, key=tmp_path / "k.csv",
                                                  project_folder=tmp_path)
    assert not out.exists()


def test_redact_file_reads_the_encoding_given(tmp_path):
    source = tmp_path / "cp1252.txt"
    source.write_bytes("E: bueno\nR: el señor Ñañez vino.\n".encode("cp1252"))
    with pytest.raises(InputError):
        redact_file(source, tmp_path / "out.txt", encoding="utf-8")
    redact_file(source, tmp_path / "out.txt", encoding="cp1252")
    assert (tmp_path / "out.txt").read_text("utf-8") == "E: bueno\nR: el señor [PERSONA_1] vino.\n"


def test_a_docx_is_redacted_to_plain_text_only(tmp_path):
    source = SAMPLES / "experta_lima_2017.docx"
    copy = tmp_path / "copy.docx"
    assert refusal(source, copy) == (f"-o {copy}: a .docx is redacted to plain text; name the "
                                     "output FILE.txt or FILE.md")
    from qcode.importers import read_document

    upper = tmp_path / "E.DOCX"
    upper.write_bytes(source.read_bytes())
    for docx, name in ((source, "copy.txt"), (upper, "copy.MD")):
        redact_file(docx, tmp_path / name)  # the sample holds no identifier
        assert (tmp_path / name).read_text("utf-8") == read_document(source).text


def test_a_windows_transcript_keeps_its_line_ends(tmp_path):
    # CRLF line ends are no control characters to refuse: the copy keeps them
    source = tmp_path / "crlf.txt"
    source.write_bytes(LEAKY.replace("\n", "\r\n").encode("utf-8") * 3)
    redact_file(source, tmp_path / "o.txt")
    expected = "E: ¿Quién?\r\nR: El técnico [PERSONA_1], celular [TELÉFONO_1].\r\n" * 3
    assert (tmp_path / "o.txt").read_bytes() == expected.encode("utf-8")


def test_utf16_without_a_byte_order_mark_is_read_with_the_encoding_given(tmp_path):
    source = tmp_path / "t.txt"
    source.write_bytes(LEAKY.encode("utf-16-le"))
    redact_file(source, tmp_path / "o.txt", encoding="utf-16-le")
    assert "[TELÉFONO_1]" in (tmp_path / "o.txt").read_text("utf-8")


def test_a_suffix_in_capitals_is_the_same_file_type(tmp_path):
    source = write(tmp_path / "T.TXT", LEAKY)
    assert [e.kind for e in redact_file(source, tmp_path / "o.txt").key] == ["name", "phone"]


def test_a_speaker_label_that_is_a_name_is_pseudonymised_even_when_weak(tmp_path):
    # "Rosa" is a weak first name: alone mid-text it is no finding, as a speaker label it is
    source = write(tmp_path / "t.txt", "E: ¿Cómo está?\nRosa: Bien.\nE: Gracias.\n")
    redact_file(source, tmp_path / "o.txt")
    assert (tmp_path / "o.txt").read_text("utf-8") == (
        "E: ¿Cómo está?\n[PERSONA_1]: Bien.\nE: Gracias.\n")
