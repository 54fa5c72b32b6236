"""Layout detection details (qcode/importers/layouts.py): forced layouts and their markers.

Expected markers are read off each test's text by hand (lines count from 0).
"""

from qcode.importers.layouts import find_layout


def test_the_paragraphs_layout_finds_no_markers_even_in_an_interview():
    text = "E: Hola.\nR: Sí.\n"
    assert find_layout(text, "paragraphs") is None
    found = find_layout(text)
    assert found.name == "colon"
    # "Hola." starts at offset 3 on line 0, "Sí." at 9 + 3 = 12 on line 1
    assert found.markers == {0: ("E", None, 3), 1: ("R", None, 12)}


def speakers(text):
    from qcode.importers.turns import split

    return [(s.speaker, text[s.start:s.end]) for s in split(text).spans]


def test_padding_shared_by_half_the_core_markers_excludes_other_one_off_labels():
    # E and R (single capitals: markers even when used once) are padded to column 4 on two
    # of their four lines: that is the layout, so "Carla: " with one space is a wrapped line
    # of R's turn, although it follows a finished sentence
    text = "E:  a.\nR:  b.\nE: c.\nR: d.\nCarla: Sí.\n"
    assert speakers(text) == [("E", "a."), ("R", "b."), ("E", "c."), ("R", "d.\nCarla: Sí.")]


def test_padding_of_fewer_than_half_the_core_markers_is_no_layout():
    # column 4 on two of five core lines (the others: a tab, one space, column 5) is less than
    # half: Carla, after a finished sentence, opens a turn
    text = "E:  a.\nR:  b.\nI:\tc.\nP: d.\nB:   e.\nCarla: Sí.\n"
    assert speakers(text)[-2:] == [("B", "e."), ("Carla", "Sí.")]


def test_three_one_off_labels_padded_alike_are_speakers_two_are_not():
    # E and R use one space; three labels used once share column 8 ("Carla:  "): padding
    # shared by three lines is a layout, and they open turns even after unfinished lines;
    # Luis, padded with a tab, is not in that layout
    text = ("E: Hola, y\nCarla:  entonces\nR: Sí, y\nPedro:  luego\nE: Ajá, y\n"
            "Julia:  fin.\nR: Bueno.\nLuis:\tno sé.\n")
    assert speakers(text) == [
        ("E", "Hola, y"), ("Carla", "entonces"), ("R", "Sí, y"), ("Pedro", "luego"),
        ("E", "Ajá, y"), ("Julia", "fin."), ("R", "Bueno.\nLuis:\tno sé.")]
    two = "E: Hola, y\nCarla:  entonces\nR: Sí, y\nPedro:  luego\nR: Bueno.\n"
    assert speakers(two) == [("E", "Hola, y\nCarla:  entonces"), ("R", "Sí, y\nPedro:  luego"),
                             ("R", "Bueno.")]


def test_a_forced_chat_layout_needs_no_headers():
    # without an @ header line the text is detected as colon-style, the %com tier being
    # words of INV's turn; forced to CHAT, the tier is not speech
    text = "*INV:\t¿Hola?\n%com:\tríe\n*PAR:\tSí.\n"
    assert speakers(text) == [("INV", "¿Hola?\n%com:\tríe"), ("PAR", "Sí.")]
    from qcode.importers.turns import split

    done = split(text, layout="chat")
    assert done.layout == "chat"
    assert [(s.speaker, text[s.start:s.end]) for s in done.spans] == [
        ("INV", "¿Hola?"), ("PAR", "Sí.")]


def test_chat_is_detected_from_two_utterances_and_an_at_line_among_the_first_fifty():
    def layout(text):
        return find_layout(text).name

    assert layout("@Begin\n*INV:\ta.\n*PAR:\tb.\n@End\n") == "chat"
    # one utterance line is not enough; an @ line alone does not make colon lines CHAT
    assert find_layout("@Begin\n*INV:\ta.\n@End\n") is None
    assert layout("@Begin\nE: a.\nR: b.\n") == "colon"
    # the @ line is line 49 (the 50th), then line 50 (the 51st): too late, and the tiers'
    # tabs make them labels padded with a tab
    lines = ["*INV:\ta.", "*PAR:\tb."] * 25
    assert layout("\n".join(lines[:49] + ["@End"])) == "chat"
    assert layout("\n".join(lines + ["@End"])) == "padded"


def test_speakers_named_by_the_user_apply_to_a_detected_header_layout():
    otter = "Lena Ortiz  0:03\nHola.\n\nDiego Salas  0:09\nBuenas.\n"
    assert speakers(otter) == [("Lena Ortiz", "Hola."), ("Diego Salas", "Buenas.")]
    from qcode.importers.turns import split

    done = split(otter, speakers=["Diego Salas"])
    assert done.layout == "otter"
    assert [(s.speaker, otter[s.start:s.end]) for s in done.spans] == [
        (None, "Lena Ortiz  0:03\nHola."), ("Diego Salas", "Buenas.")]


def test_a_colon_counts_only_within_the_first_ninety_characters_of_a_line():
    # a time line indented so that its colon is the 90th character (index 89) is a Google
    # Meet time line; one more space puts the colon at index 90, and it is R's words
    def layout(spaces):
        return find_layout(f"E: a.\nR: b.\n{' ' * spaces}0:05\nE: c.\nR: d.\n").name

    assert layout(88) == "google-meet" and layout(89) == "colon"


def test_a_page_header_carries_no_time():
    text = "Page 1 of 2\nE: a.\nR: b.\n"
    found = find_layout(text)
    assert found.name == "colon" and found.noise == {0: None}
    from qcode.importers.turns import split

    assert [(s.speaker, s.time_start) for s in split(text).spans] == [("E", None), ("R", None)]


def test_a_notice_in_capitals_at_the_very_start_is_not_speech():
    # NOTICE is case-blind; its hint "TRANSCRI" at offset 0 still finds the line
    text = "TRANSCRIPT ANA STOPPED RECORDING\nE: a.\nR: b.\n"
    assert find_layout(text).noise == {0: None}
    assert speakers(text) == [("E", "a."), ("R", "b.")]


def test_one_off_labels_must_share_the_indent_of_most_core_markers():
    # core markers: three at indent 0, one at indent 2; the one-off labels are indented 2
    text = "E: a.\nR: b.\n  Carla: x.\n  Pedro: y.\n  Julia: z.\n"
    assert speakers(text) == [("E", "a."), ("R", "b.\n  Carla: x.\n  Pedro: y.\n  Julia: z.")]
    text = "E: a.\nR: b.\nE: c.\n  R: d.\nCarla: x.\n"
    assert speakers(text)[-2:] == [("R", "d."), ("Carla", "x.")]


def test_a_time_line_may_be_indented_bracketed_and_followed_by_spaces():
    # [00:05:00] is 300 s: the time of the turn that follows it
    text = "Ana: a.\n  [00:05:00]  \nBeto: b.\nAna: c.\nBeto: d.\n"
    from qcode.importers.turns import split

    done = split(text)
    assert done.layout == "google-meet"
    assert [(s.speaker, s.time_start) for s in done.spans] == [
        ("Ana", None), ("Beto", 300.0), ("Ana", None), ("Beto", None)]


def test_time_first_headers_with_or_without_brackets():
    text = "00:00:05 Speaker 1\nHola.\n\n[00:01:12] Julia Mendes\nBuenas.\n"
    from qcode.importers.turns import split

    done = split(text)
    assert done.layout == "time-header"
    assert [(s.speaker, s.time_start) for s in done.spans] == [
        ("Speaker 1", 5.0), ("Julia Mendes", 72.0)]  # 1 min 12 s


def test_a_header_line_is_at_most_eighty_characters():
    def layout(spaces):
        # "Lena Ortiz" (10) + spaces + "0:03" (4): 80 characters with 66 spaces
        return find_layout(f"Lena Ortiz{' ' * spaces}0:03\nHola.\n\nDiego Salas  0:09\nBuenas.\n")

    assert layout(66).name == "otter"
    assert layout(67) is None  # one header left: no layout


def test_names_each_used_once_are_no_layout_without_a_core_of_speakers():
    # neither name is repeated, strong (capitals, a role, a short code) or marked (bold,
    # brackets): nothing to compare them with, so they are words
    assert find_layout("Carla: Hola.\nPedro: Sí.\n") is None
    assert find_layout("Carla: Hola.\nPedro: Sí.\nCarla: Bien.\nPedro: No.\n").name == "colon"


def test_every_line_holding_a_hint_is_tried_as_a_notice():
    # the hint's tail "ranscri" occurs three times: after an X (no hint), in the notice on the
    # same line, and in R's words below; the notice is not speech, R's words are
    text = ("E: Hola.\nR: Sí.\nXranscription: Ana started transcription\n"
            "R: Más transcripciones.\n")
    assert speakers(text) == [("E", "Hola."), ("R", "Sí."), ("R", "Más transcripciones.")]


def test_each_notice_is_found_after_an_earlier_one():
    # two Teams notices, then the hint's tail in words: both notices are noise
    text = ("Ana started transcription\nE: a.\nBeto stopped transcription\nR: b.\n"
            "E: transcripts.\n")
    assert speakers(text) == [("E", "a."), ("R", "b."), ("E", "transcripts.")]
