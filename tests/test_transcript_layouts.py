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
