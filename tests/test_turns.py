"""Segmentation: every marker style, exact offsets, and fall-backs."""

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.importers.turns import find_turns, paragraphs, segment, speaker_prefix


def spans(text, mode="turn", language="es"):
    found, used = segment(text, mode, language)
    return [(s.speaker, text[s.start:s.end]) for s in found], used


def test_letter_markers_and_offsets_exclude_the_label():
    text = "E: ¿Cuánto tiempo?\nR: Nueve años.\nCasi diez.\n\nE: ¿Y antes?"
    found, used = segment(text)
    assert used == "turn"
    assert [(s.speaker, s.start, s.end) for s in found] == [
        ("E", 3, 18), ("R", 22, 44), ("E", 49, 58)]
    assert text[22:44] == "Nueve años.\nCasi diez."


def test_names_roles_brackets_bold_and_timestamps():
    text = ("[00:01:23] Entrevistadora: Buenas tardes.\n"
            "00:01:30 Entrevistado(a): Buenas.\n"
            "[JUAN PÉREZ] Hola.\n"
            "**Interviewer:** Thanks.\n"
            "(00:02:05) Respondent: Sure.\n"
            "María López: Yo también.\n"
            "María López: Otra vez.\n")
    found, _ = segment(text)
    assert [(s.speaker, text[s.start:s.end], s.time_start) for s in found] == [
        ("Entrevistadora", "Buenas tardes.", 83.0),
        ("Entrevistado(a)", "Buenas.", 90.0),
        ("JUAN PÉREZ", "Hola.", None),
        ("Interviewer", "Thanks.", None),
        ("Respondent", "Sure.", 125.0),
        ("María López", "Yo también.", None),
        ("María López", "Otra vez.", None),
    ]


def test_roles_with_gender_suffix_and_names_in_capitals():
    text = ("Entrevistador(a): ¿Trabaja de noche?\nGUARDIA: A veces.\n"
            "Entrevistado(a): No siempre.\nI: Gracias.\nP: De nada.")
    assert spans(text)[0] == [("Entrevistador(a)", "¿Trabaja de noche?"), ("GUARDIA", "A veces."),
                              ("Entrevistado(a)", "No siempre."), ("I", "Gracias."),
                              ("P", "De nada.")]


def test_preamble_is_its_own_segment_and_one_off_labels_are_not_speakers():
    text = "Entrevista 3\nFecha: 2016\nLugar: Lima\n\nI: Hola.\nP: Buenas."
    assert spans(text)[0] == [(None, "Entrevista 3\nFecha: 2016\nLugar: Lima"),
                              ("I", "Hola."), ("P", "Buenas.")]


def test_lower_case_words_before_a_colon_are_not_markers():
    text = "he said: no\nshe said: yes\n\nand then: nothing"
    assert find_turns(text) is None
    assert spans(text) == ([(None, "he said: no\nshe said: yes"), (None, "and then: nothing")],
                           "paragraph")


def test_no_markers_falls_back_to_paragraphs_then_lines():
    assert spans("Uno dos.\n\n\n  Tres.  \n\nCuatro")[0] == [
        (None, "Uno dos."), (None, "Tres."), (None, "Cuatro")]
    assert spans("line one\nline two\n")[0] == [(None, "line one"), (None, "line two")]


def test_paragraph_mode_ignores_turns():
    text = "E: Hola.\n\nR: Buenas.\nSigo."
    assert spans(text, "paragraph") == ([(None, "E: Hola."), (None, "R: Buenas.\nSigo.")],
                                        "paragraph")


def test_sentence_mode_keeps_speakers_and_spanish_opening_marks():
    text = "E: Buenos días. ¿Cuánto tiempo lleva? ¡Mucho!\nR: Once años. Casi doce."
    assert spans(text, "sentence") == ([
        ("E", "Buenos días."), ("E", "¿Cuánto tiempo lleva?"), ("E", "¡Mucho!"),
        ("R", "Once años."), ("R", "Casi doce.")], "sentence")


def test_speaker_prefix():
    assert speaker_prefix("Ana: hola") == ("Ana", "hola")
    assert speaker_prefix("sin marcador: hola") == (None, "sin marcador: hola")


def test_paragraphs_within_a_range():
    text = "xx\n\nab\n\ncd\n\nyy"
    assert paragraphs(text, 4, 10) == [(4, 6), (8, 10)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(["E: ", "R: ", "[ANA] ", "Interviewer: ", "\n", "\n\n", "  ", "\t",
                     "00:01:02 ", "¿", "."]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
), max_size=30))
def test_segments_are_ordered_trimmed_and_inside_the_text(parts):
    text = "".join(parts)
    for mode in ("turn", "paragraph"):
        found, _ = segment(text, mode)
        previous_end = 0
        for span in found:
            assert previous_end <= span.start < span.end <= len(text)
            piece = text[span.start:span.end]
            assert piece == piece.strip() and piece
            previous_end = span.end
