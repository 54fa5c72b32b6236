"""Boundaries of speaker-turn detection (qcode/importers/turns.py, layouts.py, markers.py).

Each expected segment is read off the test's text by hand; offsets count code points of the
text as written here, and `text[start:end]` is shown next to them.
"""

import pytest

from qcode.importers.layouts import _wrap_width
from qcode.importers.markers import MAX_LABEL, clock_seconds, code_like, name_like, plausible
from qcode.importers.turns import find_turns, speaker_prefix, split


def turns(text, **options):
    done = split(text, "turn", "en", **options)
    return done.layout, [(s.speaker, text[s.start:s.end]) for s in done.spans]


def test_one_marker_is_not_a_layout_two_are():
    # `E:` once is a stray label: the text stays two paragraphs. Twice, it is an interview.
    assert find_turns("E: Hola.\n\nSigo yo.") is None
    assert turns("E: Hola.\n\nSigo yo.") == (None, [(None, "E: Hola."), (None, "Sigo yo.")])
    text = "E: Hola.\n\nR: Buenas."
    assert [(s.speaker, s.start, s.end) for s in find_turns(text)] == [
        ("E", 3, 8), ("R", 13, 20)]  # "Hola." is text[3:8], "Buenas." text[13:20]


def test_first_and_last_words_of_the_note_list_are_not_speakers():
    # "note" opens the list of header words, "email" closes it: used once after a finished
    # sentence, a capitalised word would otherwise be a speaker
    text = "E: Hola.\n\nR: Sí.\n\nNote: later.\n\nE: Bien.\n\nEmail: none.\n"
    assert turns(text)[1] == [("E", "Hola."), ("R", "Sí.\n\nNote: later."),
                              ("E", "Bien.\n\nEmail: none.")]


def test_first_and_last_annotations_in_brackets_are_not_speakers():
    text = "E: Hola.\n[inaudible] algo.\nR: Sí.\n[tos] Perdón.\n"
    assert turns(text)[1] == [("E", "Hola.\n[inaudible] algo."), ("R", "Sí.\n[tos] Perdón.")]


def test_names_with_particles_used_twice_are_speakers():
    # "de" and "ibn" are the first and last particles allowed in lower case inside a name
    text = "Omar ibn Said: Hola.\nAna de Souza: Sí.\nOmar ibn Said: Bien.\nAna de Souza: Claro.\n"
    assert turns(text)[1] == [("Omar ibn Said", "Hola."), ("Ana de Souza", "Sí."),
                              ("Omar ibn Said", "Bien."), ("Ana de Souza", "Claro.")]


@pytest.mark.parametrize("role", ["Interviewer", "respuesta"])
def test_a_role_used_once_on_the_first_line_is_a_speaker(role):
    # the first and last words of the role list; a plain name used once on the first line,
    # before any other marker, is not a speaker (the third case)
    text = f"{role}: ¿Hola?\nB1: Sí.\n"
    assert turns(text)[1] == [(role, "¿Hola?"), ("B1", "Sí.")]
    assert turns("Carla: ¿Hola?\nB1: Sí.\nB1: No.\n")[1] == [
        (None, "Carla: ¿Hola?"), ("B1", "Sí."), ("B1", "No.")]


def test_a_label_up_to_forty_characters_is_plausible():
    assert MAX_LABEL == 40
    assert plausible("A" * 40) and not plausible("A" * 41) and not plausible("")
    assert not plausible("Nota.") and not plausible("Risas") and not plausible("12")
    assert plausible("Ana")


def test_name_like_and_code_like():
    assert name_like("María de la Cruz") and name_like("Speaker 2") \
        and name_like("Kwame Mensah (Guest)")
    assert not name_like("maría López") and not name_like("María lópez")
    assert code_like("admin-1") and code_like("p2") and code_like("GUARDIA")
    assert not code_like("G") and not code_like("Guardia") and not code_like("ADMIN 1")


@pytest.mark.parametrize(("stamp", "seconds"), [
    ("[01:02:03]", 3723.0), ("1:02", 62.0), ("(00:02:05)", 125.0), ("00:00:04-2", 4.2),
    ("00:01:02,5", 62.5), ("00:01:02.25", 62.25), (None, None), ("", None)])
def test_clock_seconds(stamp, seconds):
    assert clock_seconds(stamp) == pytest.approx(seconds) if seconds else \
        clock_seconds(stamp) is None


def test_wrap_width_needs_four_lines_and_three_in_ten_near_the_widest():
    # widest 30; "near" means at least 30 - 15 = 15 characters
    assert _wrap_width(["x" * 30, "x" * 15, "x" * 10]) is None  # three lines only
    assert _wrap_width(["x" * 30, "x" * 15, "x" * 10, "  "]) is None  # a blank is no line
    assert _wrap_width(["x" * 30, "x" * 15, "x" * 10, "x"]) == 30  # 2 of 4 near
    # 3 near of 10 lines: exactly the share needed; 2 of 10 is not enough
    assert _wrap_width(["x" * 30, "x" * 16, "x" * 15] + ["x"] * 7) == 30
    assert _wrap_width(["x" * 30, "x" * 16, "x" * 14] + ["x"] * 7) is None
    assert _wrap_width(["x" * 120] * 4) == 120 and _wrap_width(["x" * 121] * 4) is None
    assert _wrap_width(["x" * 30 + "   "] * 4) == 30  # trailing spaces do not count


def test_speaker_prefix_of_caption_lines():
    assert speaker_prefix("  Ana López :  hola ") == ("Ana López", "hola")
    assert speaker_prefix("[ANA] hola") == ("ANA", "hola")
    assert speaker_prefix("**Ana:** hola") == ("Ana", "hola")
    assert speaker_prefix("2: hola") == (None, "2: hola")  # a number alone is no label
    assert speaker_prefix("Note: hola") == (None, "Note: hola")
    assert speaker_prefix("(ana): hola") == (None, "(ana): hola")
    assert speaker_prefix("x: hola") == (None, "x: hola")  # lower case
    assert speaker_prefix("B2: hola") == ("B2", "hola")


def test_speaker_prefix_leaves_chat_tiers_alone():
    assert speaker_prefix("*PAR:\thola") == (None, "*PAR:\thola")


def test_find_turns_takes_a_forced_layout_and_speakers():
    text = "he said: no\nshe said: yes\n"  # lower case: no layout of its own
    assert find_turns(text) is None
    assert [(s.speaker, text[s.start:s.end]) for s in find_turns(text, None, ["she said"])] \
        == [(None, "he said: no"), ("she said", "yes")]
    otter = "Lena Ortiz  0:03\nHola.\n\nDiego Salas  0:09\nBuenas.\n"
    assert [(s.speaker, s.time_start) for s in find_turns(otter)] == [
        ("Lena Ortiz", 3.0), ("Diego Salas", 9.0)]
    assert find_turns(otter, "colon") is None  # no `Name: words` line in it


def test_chat_tiers_and_their_continuation_lines_are_not_speech():
    # words before the first header are words; an utterance continues on tab-indented
    # lines; a %tier and its own continuation lines are not speech
    text = ("Entrevista 12\n@Begin\n@Participants:\tPAR Participant, INV Investigator\n"
            "*INV:\t¿Cómo entra el celular?\n*PAR:\tPor la visita,\n\tescondido en la comida.\n"
            "%com:\tse ríe\n\tlargo rato.\n*INV:\t¿Y la requisa?\n@End\n")
    assert turns(text) == ("chat", [
        (None, "Entrevista 12"), ("INV", "¿Cómo entra el celular?"),
        ("PAR", "Por la visita,\n\tescondido en la comida."), ("INV", "¿Y la requisa?")])


def test_forced_speakers_take_a_label_used_once():
    # one `Ana:` is no layout (see above) unless the user names Ana as a speaker
    assert turns("Ana: hola\nresto") == (None, [(None, "Ana: hola"), (None, "resto")])
    assert turns("Ana: hola\nresto", speakers=["ana"]) == ("colon", [("Ana", "hola\nresto")])


@pytest.mark.parametrize(("lines", "layout"), [
    # Rev/Temi labels with a time `(00:01)`: more than half of the markers make it "rev"
    (["Speaker 1 (00:01): a.", "Speaker 2 (00:05): b.", "Speaker 1 (00:09): c.",
      "Speaker 2: d."], "rev"),
    (["Speaker 1 (00:01): a.", "Speaker 2 (00:05): b.", "Speaker 1: c.", "Speaker 2: d."],
     "colon"),
    # labels alone on their line, the words below
    (["Ana:", "a.", "Beto:", "b.", "Ana:", "c.", "Beto: d."], "label-line"),
    (["Ana:", "a.", "Beto:", "b.", "Ana: c.", "Beto: d."], "colon"),
    # a time before the label
    (["[00:01] Ana: a.", "[00:02] Beto: b.", "[00:03] Ana: c.", "Beto: d."], "timestamped"),
    (["[00:01] Ana: a.", "[00:02] Beto: b.", "Ana: c.", "Beto: d."], "colon"),
    (["SPEAKER_00: a.", "SPEAKER_01: b.", "SPEAKER_00: c.", "Ana: d.", "Ana: e."], "whisperx"),
    (["SPEAKER_00: a.", "SPEAKER_01: b.", "Ana: c.", "Ana: d."], "colon"),
    # one time line between turns is a Google Meet transcript
    (["Ana: a.", "00:05:00", "Beto: b.", "Ana: c.", "Beto: d."], "google-meet"),
    (["Ana: a.", "Beto: b.", "Ana: c.", "Beto: d."], "colon"),
    # a tab after two of five labels, or two of four (half), is no padded layout
    (["E:\ta.", "R:\tb.", "E: c.", "R: d.", "E: e."], "colon"),
    (["E:\ta.", "R:\tb.", "E: c.", "R: d."], "colon"),
    # two f4 end-of-paragraph times make f4; one does not
    (["I: a. #00:00:04-2#", "B1: b. #00:00:09-7#"], "f4"),
    (["I: a. #00:00:04-2#", "B1: b."], "colon"),
])
def test_the_colon_family_is_named_after_most_of_its_markers(lines, layout):
    assert split("\n".join(lines)).layout == layout


def test_a_line_ending_without_a_sentence_end_is_continued_not_a_new_speaker():
    # "Carla" is used once: she opens a turn only after a finished sentence or a blank line
    for end in ".?!…\"”»)":
        text = f"E: Hola.\nR: Vino el señor{end}\nCarla: Sí.\nE: Bien.\n"
        assert ("Carla", "Sí.") in turns(text)[1], end
    text = "E: Hola.\nR: Vino el señor X\nCarla: Sí.\nE: Bien.\n"
    assert turns(text)[1] == [("E", "Hola."), ("R", "Vino el señor X\nCarla: Sí."),
                              ("E", "Bien.")]
    text = "E: Hola.\nR: Vino el señor X\n\nCarla: Sí.\nE: Bien.\n"
    assert ("Carla", "Sí.") in turns(text)[1]


def test_otter_and_teams_headers():
    # a blank line before more than half of the headers is Otter; half or fewer is Teams
    otter = "Lena Ortiz  0:03\nHola.\n\nDiego Salas  0:09\nBuenas.\n"
    teams = "Lena Ortiz  0:03\nHola.\nDiego Salas  0:09\nBuenas.\n"
    assert split(otter).layout == "otter" and split(teams).layout == "teams"
    half = "\nLena Ortiz  0:03\nHola.\nDiego Salas  0:09\nBuenas.\nLena Ortiz  0:12\nNo.\n\n" \
        "Diego Salas  0:15\nSí.\n"
    assert split(half).layout == "teams"
    # a notice naming the tool decides
    assert split("Transcribed by otter.ai\n" + teams).layout == "otter"
    assert split("Ana started transcription\n" + otter).layout == "teams"


def test_a_header_counts_only_when_words_follow_it():
    # two headers in a row: the first has no words; the last line of the text has none
    text = "Lena Ortiz  0:03\nDiego Salas  0:09\nBuenas.\nLena Ortiz  0:12"
    assert split(text).layout is None
    text = "Lena Ortiz  0:03\n\n\nHola.\nDiego Salas  0:09\nBuenas.\nLena Ortiz  0:12"
    assert turns(text) == ("teams", [("Lena Ortiz", "Hola."), ("Diego Salas", "Buenas.")])


def test_a_notice_is_found_by_its_hint_anywhere_on_its_line():
    # "Xranscription" holds the tail of the hint "transcri" but not the hint; the real hint
    # comes later on the same line, and the line is a service notice, not a speaker's turn
    text = "E: Hola.\nR: Sí.\nXranscription: Ana started transcription\nR: Más.\n"
    assert turns(text)[1] == [("E", "Hola."), ("R", "Sí."), ("R", "Más.")]
    # the tail at the very start of the text has no letter before it: no hint, no notice
    # (the last letter of the text is not that letter)
    text = "ecording Ana started recordinG\nE: Hola.\nR: Sí.\nr"
    assert turns(text)[1] == [(None, "ecording Ana started recordinG"), ("E", "Hola."),
                              ("R", "Sí.\nr")]


def test_page_numbers_and_time_lines_end_a_segment():
    text = "E: Hola.\nPage 2 of 9\nSigo.\n- 3 -\nR: Sí.\n"
    assert turns(text)[1] == [("E", "Hola."), ("E", "Sigo."), ("R", "Sí.")]


def test_wrapped_lines_are_not_new_speakers():
    # Lines with no marker are wrapped at 37 (the widest, 3 of 4 lines within 15 of it). A
    # one-off "Carla:" opens a turn when "Carla:" (6) would not have fitted on the line above:
    # len(above) + 1 + 6 > 37 - 2, so an above line of 28 characters is a finished line and
    # one of 29 was wrapped early only because "Carla:" was next.
    body = "Uno dos tres cuatro cinco seis siete."
    assert len(body) == 37

    def with_above(above):
        text = "\n".join([f"E: {body}", f"R: {body}", body, body, body, above,
                          "Carla: Bien.", "E: Fin."])
        return [speaker for speaker, _ in turns(text)[1]]

    assert with_above("x" * 27 + ".") == ["E", "R", "Carla", "E"]
    assert with_above("x" * 28 + ".") == ["E", "R", "E"]


def test_times_of_chat_bullets_and_header_layouts():
    from pathlib import Path

    from qcode.importers import read_document

    data = Path(__file__).parent / "data" / "transcripts"
    chat = read_document(data / "chat.cha").text
    # INV's bullet 0_2300 starts at 0 ms; PAR's 2300_6100 (on the continuation line) at
    # 2.3 s; the utterances without a bullet have no time
    assert [(s.speaker, s.time_start, s.time_end) for s in split(chat).spans] == [
        ("INV", 0.0, None), ("PAR", 2.3, None), ("INV", None, None), ("PAR", None, None),
        ("PAR", None, None)]
    zoom = "[Ana Flores] 14:02:11\nHola.\n[Pedro Castillo] 14:02:15\nBuenas.\n"
    done = split(zoom)  # 14 h 2 min 11 s = 50531 s
    assert done.layout == "zoom-captions"
    assert [(s.speaker, s.time_start) for s in done.spans] == [
        ("Ana Flores", 50531.0), ("Pedro Castillo", 50535.0)]
    trint = "[00:00:05] Speaker 1\nHola.\n\n[00:01:12] Julia Mendes\nBuenas.\n"
    done = split(trint)
    assert done.layout == "time-header"
    assert [(s.speaker, s.time_start) for s in done.spans] == [
        ("Speaker 1", 5.0), ("Julia Mendes", 72.0)]


def test_headers_win_only_when_they_outnumber_the_colon_markers():
    # two Otter headers against two `Name: words` lines: the headers win a tie
    text = ("Lena Ortiz  0:03\nHola.\n\nDiego Salas  0:09\nBuenas.\n\n"
            "Ana: a.\nAna: b.\n")
    assert split(text).layout == "otter"
    assert split(text + "Ana: c.\n").layout == "colon"


def test_check_layout_names_the_layouts():
    from qcode.errors import InputError
    from qcode.importers.layouts import LAYOUTS, check_layout

    assert check_layout("otter") == "otter"
    with pytest.raises(InputError) as error:
        check_layout("otterr")
    assert str(error.value) == ("--layout otterr: unknown layout; use one of "
                                + ", ".join(LAYOUTS))
    assert "colon, padded, label-line" in str(error.value)


def test_after_a_non_speech_line_or_a_finished_sentence_a_one_off_name_is_a_speaker():
    # the line above Carla is a page footer: she opens a turn although "señor" ends no sentence
    text = "E: Hola.\nR: Vino el señor\nPage 2 of 9\nCarla: Sí.\nE: Bien.\n"
    assert turns(text)[1] == [("E", "Hola."), ("R", "Vino el señor"), ("Carla", "Sí."),
                              ("E", "Bien.")]
    # spaces after the full stop still end the sentence
    text = "E: Hola.\nR: Vino el señor.   \nCarla: Sí.\nE: Bien.\n"
    assert ("Carla", "Sí.") in turns(text)[1]


def test_wrap_width_needs_three_in_ten_not_three_in_eleven():
    assert _wrap_width(["x" * 30, "x" * 16, "x" * 15] + ["x"] * 8) is None


def test_code_like_capitals_and_hyphens():
    assert code_like("GU") and code_like("Sarah-Jane") and not code_like("Gu")


def test_a_tool_named_in_a_notice_decides_otter_or_teams():
    teams = "Lena Ortiz  0:03\nHola.\nDiego Salas  0:09\nBuenas.\n"
    assert split("www.otter.ai\n" + teams).layout == "otter"
    otter = "Lena Ortiz  0:03\nHola.\n\nDiego Salas  0:09\nBuenas.\n"
    assert split("Page 1 of 2\n\n" + otter).layout == "otter"  # a notice naming no tool


@pytest.mark.parametrize("first", ["**Carla:** Hola.", "[Carla] Hola.", "ÑA: Hola."])
def test_bold_brackets_and_capitals_make_a_label_used_once_a_speaker(first):
    # used once on the first line, before the other markers: only a strong label counts
    text = f"{first}\nB1: Sí.\nB1: No.\n"
    assert turns(text)[1][0] == (first.split()[0].strip("*[]:"), "Hola.")


def test_a_single_capital_letter_outside_a_to_z_is_not_strong():
    assert turns("É: Hola.\nB1: Sí.\nB1: No.\n")[1] == [
        (None, "É: Hola."), ("B1", "Sí."), ("B1", "No.")]


def test_padding_of_two_spaces_or_a_tab_is_a_padded_layout():
    assert split("Ana:  a.\nEva:  b.\nAna:  c.\nEva:  d.\n").layout == "padded"  # column 6
    assert split("Ana: a.\nEva: b.\nAna: c.\nEva: d.\n").layout == "colon"
    assert split("Ana:\ta.\nEva:\tb.\nAna:\tc.\nEva:\td.\n").layout == "padded"


def test_rev_times_and_no_time_is_none():
    text = "Speaker 1 (00:01): a.\nSpeaker 2 (01:05): b.\nSpeaker 1 (01:10): c.\n"
    assert [(s.speaker, s.time_start) for s in split(text).spans] == [
        ("Speaker 1", 1.0), ("Speaker 2", 65.0), ("Speaker 1", 70.0)]
    # no time anywhere: None, for the words before the first marker too
    text = "Hola.\nE: a.\nR: b.\n"
    assert [(s.speaker, s.time_start, s.time_end) for s in split(text).spans] == [
        (None, None, None), ("E", None, None), ("R", None, None)]


def test_header_layouts_take_forced_speakers_and_footers():
    otter = "Lena Ortiz  0:03\nHola.\nPage 1 of 2\nSigo.\n\nDiego Salas  0:09\nBuenas.\n"
    assert turns(otter) == ("otter", [("Lena Ortiz", "Hola."), ("Lena Ortiz", "Sigo."),
                                      ("Diego Salas", "Buenas.")])
    assert turns(otter, layout="otter", speakers=["diego salas"])[1] == [
        (None, "Lena Ortiz  0:03\nHola."), (None, "Sigo."), ("Diego Salas", "Buenas.")]


def test_paragraphs_stay_inside_their_range():
    from qcode.importers.turns import paragraphs

    # the blank line at 5-7 lies after the range's end (3): one piece, "ab"
    assert paragraphs("ab cd\n\nef", 0, 3) == [(0, 2)]


def test_segment_passes_caption_turns_and_language_on():
    from qcode.importers.model import Span
    from qcode.importers.turns import segment

    assert segment("hola chau", "turn", "es", [Span(0, 4, "A"), Span(5, 9, "B")]) == (
        [Span(0, 4, "A"), Span(5, 9, "B")], "turn")


def test_sentences_keep_the_times_of_their_turn():
    text = "[00:00:05] E: Hola. ¿Qué tal?\n[00:00:09] R: Bien.\n"
    done = split(text, "sentence", "es")
    assert [(s.speaker, text[s.start:s.end], s.time_start) for s in done.spans] == [
        ("E", "Hola.", 5.0), ("E", "¿Qué tal?", 5.0), ("R", "Bien.", 9.0)]


def test_sentences_follow_the_language_given_english_by_default():
    # English tokenizer rules keep "Mr." whole, so it ends no sentence; Spanish rules (and
    # spaCy's language-neutral ones) split it off as a word and a full stop
    text = "E: Mr. Smith came. He left.\nR: Ok."
    english = ["Mr. Smith came.", "He left.", "Ok."]
    spanish = ["Mr.", "Smith came.", "He left.", "Ok."]
    for done in (split(text, "sentence"), split(text, "sentence", "en")):
        assert [text[s.start:s.end] for s in done.spans] == english
    assert [text[s.start:s.end] for s in split(text, "sentence", "es").spans] == spanish
    from qcode.importers.turns import segment

    assert [text[s.start:s.end] for s in segment(text, "sentence")[0]] == english
    assert [text[s.start:s.end] for s in segment(text, "sentence", "es")[0]] == spanish


def test_every_opening_mark_goes_with_the_sentence_it_opens():
    text = "E: Hola. ¡¿Qué dices?! Nada. ¿Y?\nR: Sí.Bueno."
    done = split(text, "sentence", "es")
    # "Sí.Bueno." is two sentences although no space follows the first full stop
    assert [text[s.start:s.end] for s in done.spans] == [
        "Hola.", "¡¿Qué dices?!", "Nada.", "¿Y?", "Sí.", "Bueno."]


def test_sentences_keep_both_times_of_caption_turns():
    from qcode.importers.model import Span

    text = "Hola. Chau.\nBien."
    done = split(text, "sentence", "es", [Span(0, 11, "A", 1.5, 4.0), Span(12, 17, "B", 5.0)])
    assert [(text[s.start:s.end], s.speaker, s.time_start, s.time_end) for s in done.spans] \
        == [("Hola.", "A", 1.5, 4.0), ("Chau.", "A", 1.5, 4.0), ("Bien.", "B", 5.0, None)]


def test_trailing_spaces_of_the_line_above_do_not_make_a_label_a_wrap():
    # as in test_wrapped_lines_are_not_new_speakers: above 28 characters is a finished line,
    # and spaces after it do not count (28 + 3 spaces would be a wrap at 37)
    body = "Uno dos tres cuatro cinco seis siete."
    text = "\n".join([f"E: {body}", f"R: {body}", body, body, body, "x" * 27 + ".   ",
                      "Carla: Bien.", "E: Fin."])
    assert [speaker for speaker, _ in turns(text)[1]] == ["E", "R", "Carla", "E"]


def test_a_header_on_the_first_line_counts_as_after_a_blank_line():
    # no final line break: the line before line 0 is no line, not the text's last line
    otter = "Lena Ortiz  0:03\nHola.\n\nDiego Salas  0:09\nBuenas."
    assert split(otter).layout == "otter"  # both headers after a blank (or nothing)
    teams = "Hola.\nLena Ortiz  0:03\nHola.\n\nDiego Salas  0:09\nBuenas."
    assert split(teams).layout == "teams"  # one of two: half is not more than half


def test_sentences_of_a_text_without_speakers_come_from_its_paragraphs():
    text = "Uno. Dos.\n\nTres."
    done = split(text, "sentence", "es")
    assert (done.mode, done.layout) == ("sentence", None)
    assert [(s.speaker, text[s.start:s.end]) for s in done.spans] == [
        (None, "Uno."), (None, "Dos."), (None, "Tres.")]


def test_caption_turns_are_the_paragraphs_of_paragraph_mode():
    from qcode.importers.model import Span

    text = "Hola. Chau.\nBien."
    caption = [Span(0, 11, "A", 1.0, 2.0), Span(12, 17, "B", 3.0, 4.0)]
    done = split(text, "paragraph", "es", caption)
    assert (done.spans, done.mode, done.layout) == (caption, "paragraph", None)


def test_paragraph_mode_still_names_the_layout_it_found():
    text = "E: Hola.\n\nR: Buenas.\nSigo."
    done = split(text, "paragraph")
    assert (done.mode, done.layout) == ("paragraph", "colon")
    assert [(s.speaker, text[s.start:s.end]) for s in done.spans] == [
        (None, "E: Hola."), (None, "R: Buenas.\nSigo.")]


def test_a_forced_layout_that_finds_no_speaker_names_none():
    text = "Hola.\n\nChau."
    done = split(text, layout="otter")
    assert (done.mode, done.layout) == ("paragraph", None)
    assert [text[s.start:s.end] for s in done.spans] == ["Hola.", "Chau."]


def test_caption_turns_are_taken_as_given_and_sentences_name_the_layout():
    from qcode.importers.model import Span

    # a caption file's text may look like a colon layout; its own turns are used, unnamed
    text = "E: a.\nR: b.\nE: c.\n"
    done = split(text, "turn", "en", [Span(0, 5, "Ana"), Span(6, 11, "Beto")])
    assert (done.layout, [s.speaker for s in done.spans]) == (None, ["Ana", "Beto"])
    assert split(text, "sentence").layout == "colon"


def test_f4_end_times_close_their_paragraphs():
    # #00:00:04-2# is 4.2 s, #00:00:09-7# 9.7 s: when each paragraph ends
    text = "I: a. #00:00:04-2#\nB1: b. #00:00:09-7#\n"
    assert [(s.speaker, text[s.start:s.end], s.time_end) for s in split(text).spans] == [
        ("I", "a.", 4.2), ("B1", "b.", 9.7)]
