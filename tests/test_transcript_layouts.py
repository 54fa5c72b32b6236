"""Every fixture layout in tests/data/transcripts/ splits into the turns of its key.

Each `FILE.key` starts with `# layout: NAME` and lists the expected segments in order, one per
line: `speaker|first words` (`-` for a segment without speaker). The fixtures are invented.
"""

import difflib
from pathlib import Path

import pytest

from qcode.importers import read_document
from qcode.importers.turns import split

DATA = Path(__file__).parent / "data" / "transcripts"
FILES = sorted(p for p in DATA.iterdir() if p.suffix != ".key")


def read_key(path: Path) -> tuple[str, list[tuple[str, str]]]:
    lines = (path.parent / f"{path.name}.key").read_text(encoding="utf-8").splitlines()
    layout = lines[0].removeprefix("# layout:").strip()
    return layout, [tuple(line.split("|", 1)) for line in lines[1:]]


def found_turns(path: Path):
    doc = read_document(path)
    done = split(doc.text, "turn", "en", doc.turns)
    turns = [(s.speaker or "-", " ".join(doc.text[s.start:s.end].split()[:3]))
             for s in done.spans]
    return doc, done, turns


def score(expected: list, found: list) -> float:
    """Share of the key's segments found, in order, with speaker and first words right."""
    matcher = difflib.SequenceMatcher(a=expected, b=found, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


def test_every_fixture_has_a_key():
    assert len(FILES) >= 20
    for path in FILES:
        assert (path.parent / f"{path.name}.key").is_file(), path.name


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture_splits_into_the_turns_of_its_key(path):
    layout, expected = read_key(path)
    doc, done, found = found_turns(path)
    assert (doc.layout or done.layout or "paragraphs") == layout
    assert found == expected
    assert score(expected, found) == 1.0
    # offsets index the stored text; no segment starts with a speaker label
    for span in done.spans:
        piece = doc.text[span.start:span.end]
        assert piece and piece == piece.strip()
        if span.speaker:
            assert not piece.startswith(f"{span.speaker}:")


def test_score_counts_missing_and_misattributed_turns():
    expected = [("A", "x"), ("B", "y"), ("A", "z"), ("B", "w")]
    assert score(expected, expected) == 1.0
    # the respondent's turns glued to the interviewer's: two of four found
    assert score(expected, [("A", "x"), ("A", "z")]) == 0.5
    assert score(expected, [("A", "x"), ("B", "y"), ("B", "z"), ("B", "w")]) == 0.75


def turns_of(text, **options):
    done = split(text, **options)
    return [(s.speaker, text[s.start:s.end]) for s in done.spans], done.layout


def test_a_name_used_once_after_a_finished_sentence_is_a_speaker():
    text = ("Ana: Hola.\nBeto: Hola, ¿qué tal?\nAna: Bien.\n"
            "Carla Pérez: Perdón por llegar tarde.\nBeto: No pasa nada.\n")
    assert turns_of(text)[0] == [
        ("Ana", "Hola."), ("Beto", "Hola, ¿qué tal?"), ("Ana", "Bien."),
        ("Carla Pérez", "Perdón por llegar tarde."), ("Beto", "No pasa nada.")]


def test_notes_dates_clocks_and_unfinished_lines_do_not_open_turns():
    text = ("Entrevistador(a): ¿A qué hora cierran?\n"
            "Entrevistado(a): Cerramos a las\n10:30 de la noche.\nNota: a veces más tarde.\n"
            "Fecha: no la recuerdo.\nLos números eran\nCelulares: 14\n"
            "Entrevistador(a): Gracias.\n")
    assert turns_of(text)[0] == [
        ("Entrevistador(a)", "¿A qué hora cierran?"),
        ("Entrevistado(a)", "Cerramos a las\n10:30 de la noche.\nNota: a veces más tarde.\n"
                            "Fecha: no la recuerdo.\nLos números eran\nCelulares: 14"),
        ("Entrevistador(a)", "Gracias.")]


def test_labels_with_digits_hyphens_apostrophes_brackets_and_accents():
    labels = ["admin-1", "Teacher-2", "Tom O'Neill", "Kwame Mensah (Guest)", "Sarah-Jane Ellis",
              "Sra. Ñahui", "Entrevistado(a)"]
    text = "".join(f"{label}:{' ' * (24 - len(label))}Words of {n}.\n"
                   for n, label in enumerate(labels))
    found, layout = turns_of(text)
    assert layout == "padded"
    assert found == [(label, f"Words of {n}.") for n, label in enumerate(labels)]


def test_speakers_option_names_the_only_labels():
    text = "he said: no\nshe said: yes\nhe said: again\nand then: nothing\n"
    assert turns_of(text)[0] == [(None, "he said: no"), (None, "she said: yes"),
                                 (None, "he said: again"), (None, "and then: nothing")]
    found, _ = turns_of(text, speakers=["he said", "She Said"])
    assert found == [("he said", "no"), ("she said", "yes"),
                     ("he said", "again\nand then: nothing")]


def test_forcing_a_layout():
    otter = (DATA / "otter.txt").read_text(encoding="utf-8")
    assert turns_of(otter, layout="paragraphs")[1] is None
    found, layout = turns_of(otter, layout="otter")
    assert layout == "otter" and found[0] == ("Lena Ortiz", found[0][1])
    # Otter's headers are not `Name: words` lines: forced to colon, no speaker is found
    assert all(speaker is None for speaker, _ in turns_of(otter, layout="colon")[0])


def test_unknown_layouts_fall_back_to_paragraphs_or_lines_never_one_turn():
    found, layout = turns_of("first line\nsecond line\nthird line\n")
    assert layout is None and [t for _, t in found] == ["first line", "second line",
                                                        "third line"]


def test_times_f4_end_of_paragraph_and_time_lines():
    doc = read_document(DATA / "f4transkript.txt")
    spans = split(doc.text).spans
    # I ends at 4.2 s; B1's second, unlabelled paragraph runs from 9.7 s to 12.0 s
    assert (spans[0].time_end, spans[2].speaker, spans[2].time_start, spans[2].time_end) == (
        4.2, "B1", 9.7, 12.0)
    assert "#" not in "".join(doc.text[s.start:s.end] for s in spans)
    meet = read_document(DATA / "google_meet.md")
    times = [(s.speaker, s.time_start) for s in split(meet.text).spans]
    assert times[1:] == [("Lucía Vargas", 0.0), ("Omar Tello", None), ("Lucía Vargas", None),
                         ("Omar Tello", 300.0), ("Felipe Rojas", None)]


def test_segment_keeps_its_signature_for_other_importers():
    from qcode.importers import segment

    spans, used = segment("E: Hola.\nR: Chau.\n", "turn", "es", None)
    assert used == "turn" and [s.speaker for s in spans] == ["E", "R"]
