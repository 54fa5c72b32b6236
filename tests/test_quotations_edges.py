"""Quotations: which passages are selected, how several coders' codings of one passage are
folded into one row, and the order of the rows, against a table worked out by hand."""

from __future__ import annotations

import pytest

from qcode import InputError
from qcode.errors import NotFoundError
from tests.conftest import write

# z comes before a in the codebook: rows follow the codebook, not the alphabet.
CODEBOOK = """\
codes:
  - {id: z, name: Zeta, children: [{id: z.k, name: Kid}]}
  - {id: a, name: Alpha}
"""
# Segments of d: 1 E "uno." [3, 7)  2 R "dos dos." [11, 19)  3 E "tres." [23, 28); c has
# "one." for "uno." (a copy of the same text would be refused as a duplicate)
TEXT = "E: uno.\nR: dos dos.\nE: tres.\n"
COLUMNS = ["code", "name", "document", "segment", "speaker", "site", "coder", "memo", "start",
           "end", "text"]


@pytest.fixture
def passages(project, tmp_path):
    """d is imported before c (d has the lower id) and has no `site`; c's site is norte.
    In d, speaker R is renamed Guard (the table shows names, not labels)."""
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([write(tmp_path / "d.txt", TEXT)])
    project.import_files([write(tmp_path / "c.txt", TEXT.replace("uno", "one"))],
                         attributes=write(tmp_path / "site.csv", "document,site\nc,norte\n"))
    project.rename_speaker("R", "Guard", document="d")
    project.code("d", [3], ["z.k"], coder="ben")            # ben first: the lower coding id
    project.code("d", [3], ["z.k"], coder="ana", memo="why")
    project.code("d", [2], ["a"], coder="ana", memo="m1")
    project.code("c", None, ["a"], span=(8, 14), coder="ana")  # starts in the gap after c#1
    project.code("d", [1], ["a"], coder="ana")
    return project


def rows(frame) -> list[list]:
    return frame[COLUMNS].values.tolist()


# the four passages, worked out from TEXT: [8, 14) is "R: dos"; the segment of a passage is
# the last one starting at or before its start (c#1 starts at 3 <= 8, c#2 at 11 > 8)
ZK_D3 = ["z.k", "Kid", "d", 3, "E", "", "ana, ben", "ana: why", 23, 28, "tres."]
A_C1 = ["a", "Alpha", "c", 1, "E", "norte", "ana", "", 8, 14, "R: dos"]
A_D1 = ["a", "Alpha", "d", 1, "E", "", "ana", "", 3, 7, "uno."]
A_D2 = ["a", "Alpha", "d", 2, "Guard", "", "ana", "m1", 11, 19, "dos dos."]


def test_one_row_per_passage_in_codebook_then_document_then_text_order(passages):
    frame = passages.quotes()
    assert list(frame.columns) == COLUMNS
    # z.k's passage has two coders, listed by name; a lone coder's memo has no name in front
    assert rows(frame) == [ZK_D3, A_C1, A_D1, A_D2]
    assert list(frame.index) == [0, 1, 2, 3] and frame.attrs["by"] is None


def test_grouped_by_an_attribute_value_first(passages):
    """--by attribute:site sorts a code's passages by site ("" before "norte"), then by
    document and start."""
    grouped = passages.quotes(by="attribute:site")
    assert rows(grouped) == [ZK_D3, A_D1, A_D2, A_C1]
    assert grouped.attrs["by"] == "attribute:site"
    with pytest.raises(InputError, match=r"^--by speaker: quotations group by attribute:NAME$"):
        passages.quotes(by="speaker")


def test_codes_children_coder_documents_and_respondents(passages):
    assert rows(passages.quotes("z")) == [ZK_D3]                    # with its children
    assert passages.quotes("z", include_children=False).empty       # z itself is never coded
    assert rows(passages.quotes(["a", "z.k"], documents="c")) == [A_C1]
    assert rows(passages.quotes(coder="ben")) == [
        ["z.k", "Kid", "d", 3, "E", "", "ben", "", 23, 28, "tres."]]
    # E is guessed to be the interviewer, R the respondent; c's E is made `other`, also no
    # respondent: only d#2 (Guard) is an answer
    passages.set_speaker_role("E", "other", document="c")
    assert rows(passages.quotes(respondents_only=True)) == [A_D2]
    # the matrix counts every segment a coding overlaps: c's [8, 14) reaches into c#2 (R)
    assert passages.matrix(respondents_only=True)["Total"].to_dict() == {
        "z": 0, "z.k": 0, "a": 2, "Total": 2}
    with pytest.raises(NotFoundError):
        passages.quotes("nope")


def test_library_defaults_take_children_and_every_speaker(passages):
    from qcode.quotations import quotes

    assert rows(quotes(passages.conn, codes=["z"])) == [ZK_D3]
    assert len(quotes(passages.conn)) == 4


def test_passages_without_a_speaker_label(passages, tmp_path):
    """A document of plain paragraphs has segments with no speaker label; a passage that
    starts before the first segment (d's "E: " at [0, 3)) lies in no segment. Both show an
    empty speaker. p#2 is "Otro más." [26, 35)."""
    passages.import_files([write(tmp_path / "p.txt", "Un párrafo sin hablante.\n\nOtro más.\n")])
    passages.code("p", [2], ["a"], coder="ana")
    passages.code("d", None, ["z"], span=(0, 7), coder="ana")
    frame = passages.quotes(["a", "z"], include_children=False)
    unlabelled = frame[frame["speaker"] == ""]
    assert unlabelled[["code", "document", "text"]].values.tolist() == [
        ["z", "d", "E: uno."], ["a", "p", "Otro más."]]
    assert unlabelled["segment"].isna().tolist() == [True, False]
    assert unlabelled["segment"].iloc[1] == 2


def test_a_consensus_coder_is_left_out_unless_named(passages):
    """final's passage, d#1 coded z by the consensus coder, shows only when final is asked
    for; ana's own coding of d#1 (a) stays either way."""
    passages.code("d", [1], ["z"], coder="final")
    passages.mark_coder("final", "consensus")
    assert rows(passages.quotes()) == [ZK_D3, A_C1, A_D1, A_D2]
    assert rows(passages.quotes(coder="final")) == [
        ["z", "Zeta", "d", 1, "E", "", "final", "", 3, 7, "uno."]]
