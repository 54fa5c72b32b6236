"""Crafted REFI-QDA files: what real tools do differently (read, with a warning saying what
was done) and what an attacker might send (refused with one line, nothing written)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from qcode import Project
from qcode.archive import ZipLimits
from qcode.errors import InputError
from qcode.refi.read import read_qdpx

from .conftest import SHARED, digest, run

XSD = SHARED / "refi-qda" / "Project-mrt2019.xsd"
needs_xsd = pytest.mark.skipif(not XSD.is_file(), reason="../shared/refi-qda is absent")


def assert_valid(path: Path) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    root = etree.fromstring(zipfile.ZipFile(path).read("project.qde"))
    assert schema.validate(root), schema.error_log

U1, C1, C2, V1, K1, S1, S2 = (f"{n}{n}{n}{n}{n}{n}{n}{n}-{n}{n}{n}{n}-{n}{n}{n}{n}-{n}{n}{n}{n}-"
                              + n * 12 for n in "1234567")
SEL = "abcdef01-0000-0000-0000-0000000000"


def qdpx(path: Path, qde: str | bytes, files: dict[str, bytes] | None = None,
         qde_name: str = "project.qde") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde if isinstance(qde, bytes) else qde.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Written as ATLAS.ti writes it: CRLF in the .txt (here with a BOM too) but positions that
# count each CRLF as one character. In the LF text
#   "E: Los visitantes traen celulares.\nR: Sí, en el pan.\nE: ¿Y los guardias?\n"
# line 2 starts at 35, so "Sí, en el pan." is 38-52; line 3 starts at 35 + 18 = 53, so
# "¿Y los guardias?" is 56-72.
LINES = ["E: Los visitantes traen celulares.", "R: Sí, en el pan.", "E: ¿Y los guardias?"]
CRAFTED = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="crafted" origin="ATLAS.ti for Windows 23">
 <Users><User guid="{U1}" name="Ana"/></Users>
 <CodeBook><Codes>
  <Code guid="{C1}" name="Rutas" isCodable="true" color="#FF1F77B4">
   <Code guid="{C2}" name="Visitas" isCodable="true" color="#abc"/>
  </Code>
 </Codes></CodeBook>
 <Variables><Variable guid="{V1}" name="role" typeOfVariable="Text"/></Variables>
 <Cases><Case guid="{K1}" name="Guardia 1">
  <VariableValue><VariableRef targetGUID="{V1}"/><TextValue>guard</TextValue></VariableValue>
  <SourceRef targetGUID="{S1}"/></Case></Cases>
 <Sources>
  <TextSource guid="{S1}" plainTextPath="internal://{S1}.txt">
   <PlainTextSelection guid="{SEL}01" name="Sí, en el pan." startPosition="38" endPosition="52">
    <Coding guid="{SEL}02" creatingUser="{U1}"><CodeRef targetGUID="{C2}"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="{SEL}03" name="¿Y los guardias?" startPosition="56"
     endPosition="72">
    <Coding guid="{SEL}04" creatingUser="{U1}"><CodeRef targetGUID="{C1}"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="{SEL}05" startPosition="10" endPosition="10">
    <Coding guid="{SEL}06" creatingUser="{U1}"><CodeRef targetGUID="{C1}"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="{S2}" name="desde word" plainTextPath="internal://{S2}.txt"
    richTextPath="internal://{S2}.docx"/>
 </Sources>
</Project>"""


def crafted(tmp_path: Path) -> Path:
    text = ("\ufeff" + "\r\n".join(LINES) + "\r\n").encode("utf-8")
    return qdpx(tmp_path / "crafted.qdpx", CRAFTED,
                {f"sources/{S1}.txt": text, f"sources/{S2}.txt": b"\n",
                 f"sources/{S2}.docx": docx_bytes("E: Hola desde Word.", "R: Buenas.")},
                qde_name="atlas export.qde")


def test_deviations_are_read_and_reported(tmp_path):
    result = run("init", tmp_path / "p", "--from", crafted(tmp_path))
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    for expected in ("the project is in atlas export.qde",
                     "a text source has no name; named it",
                     "has Windows line ends (CRLF) and a byte-order mark: positions read as "
                     "counting code points, a CRLF line end as 1 character (2 of 2 selection "
                     "names agree)",
                     "colour '#FF1F77B4' has an alpha channel; qcode keeps #1f77b4",
                     "selection 10-10 is empty (zero length); its 1 coding(s) skipped",
                     f"the plain text is empty; read the text from sources/{S2}.docx",
                     "1 code(s) with sub-codes also have codings of their own (rutas)"):
        assert expected in said, expected
    with Project(tmp_path / "p") as project:
        docs = {d["name"]: d for d in project.documents()}
        assert docs[S1]["attributes"] == {"case": "Guardia 1", "role": "guard"}
        text = project.conn.execute("SELECT text FROM document WHERE name = ?",
                                    (S1,)).fetchone()[0]
        assert text == "\n".join(LINES) + "\n"
        quotes = {(r["code"], r["coder"], text[r["start"]:r["end"]])
                  for r in project.codings()}
        assert quotes == {("rutas.visitas", "Ana", "Sí, en el pan."),
                          ("rutas", "Ana", "¿Y los guardias?")}
        codes = {c["id"]: c for c in project.codes()}
        assert codes["rutas"]["color"] == "#1f77b4" and codes["rutas.visitas"]["color"] == \
            "#aabbcc"
        word = project.document("desde word")
        assert [s["text"] for s in word["segments"]] == ["Hola desde Word.", "Buenas."]
        assert [s["speaker"] for s in word["segments"]] == ["E", "R"]


def _text_qde(selections: str, origin: str = "other tool") -> str:
    return f"""<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="{origin}">
 <CodeBook><Codes><Code guid="{C1}" name="A" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="{S1}" name="doc" plainTextPath="internal://{S1}.txt">
 {selections}</TextSource></Sources></Project>"""


def _selection(start: int, end: int, name: str = "") -> str:
    return (f'<PlainTextSelection guid="{SEL}{start % 100:02d}" name="{name}" '
            f'startPosition="{start}" endPosition="{end}"><Coding guid="{SEL}99">'
            f'<CodeRef targetGUID="{C1}"/></Coding></PlainTextSelection>')


@pytest.mark.parametrize(("raw", "start", "end", "name", "quote", "how"), [
    # the standard: code points of the file, a CRLF is two: "a\r\nbé" -> "bé" is 3-5
    ("a\r\nbé c".encode(), 3, 5, "", "bé", "a CRLF line end as 2 characters"),
    # an emoji counted as two UTF-16 units: "😀 hola" -> "hola" is 3-7 in UTF-16, 2-6 here
    ("😀 hola mundo".encode(), 3, 7, "hola", "hola", "UTF-16 units"),
    # a BOM counted as character 0: "\ufeffxy uno dos" -> "uno dos" is 4-11
    ("\ufeffxy uno dos".encode(), 4, 11, "uno dos", "uno dos",
     "the byte-order mark as character 0"),
    # ... and not counted, as most tools do: "uno dos" is 3-10
    ("\ufeffxy uno dos".encode(), 3, 10, "uno dos", "uno dos", "(1 of 1 selection names"),
    # decomposed accents (macOS): "cafe\u0301 si" -> "si" is 6-8 in the file, 5-7 stored
    ("cafe\u0301 si".encode(), 6, 8, "", "si", "decomposed accents (as macOS writes them)"),
])
def test_position_conventions(tmp_path, raw, start, end, name, quote, how):
    path = qdpx(tmp_path / "p.qdpx", _text_qde(_selection(start, end, name)),
                {f"sources/{S1}.txt": raw})
    bundle = read_qdpx(path)
    [selection] = bundle.sources[0].selections
    assert bundle.sources[0].text[selection.start:selection.end] == quote
    if how:
        assert any(how in w for w in bundle.warnings), bundle.warnings


def test_reversed_and_outside_selections(tmp_path):
    path = qdpx(tmp_path / "p.qdpx", _text_qde(_selection(5, 0) + _selection(3, 999)),
                {f"sources/{S1}.txt": b"hola mundo"})
    bundle = read_qdpx(path)
    assert [(s.start, s.end) for s in bundle.sources[0].selections] == [(0, 5)]
    assert any("runs backwards; read as 0-5" in w for w in bundle.warnings)
    assert any("selection 3-999 lies outside the text (10 characters); skipped" in w
               for w in bundle.warnings)


# -- attacks: refused with one line, nothing written ----------------------------------------
def _zip(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)
    return path


def _symlink() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"sources/{S1}.txt")
    info.external_attr = 0o120777 << 16
    return info


GOOD = _text_qde("")
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">'
          ']><Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>')
XXE = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')
ATTACKS = {
    "zip-slip": ([("project.qde", GOOD.encode()), ("../evil.txt", b"x")],
                 "holds a file with an unsafe path ('../evil.txt')"),
    "absolute": ([("project.qde", GOOD.encode()), ("/etc/evil", b"x")], "unsafe path"),
    "symlink": ([("project.qde", GOOD.encode()), (_symlink(), b"/etc/passwd")],
                "holds a symbolic link"),
    "bomb": ([("project.qde", GOOD.encode()), (f"sources/{S1}.txt", b"\0" * 5_000_000)],
             "more than the 200 to 1 qcode accepts; it may be a zip bomb"),
    "billion laughs": ([("project.qde", LAUGHS.encode())], "the XML declares a DTD"),
    "xxe": ([("project.qde", XXE.encode())], "the XML declares a DTD"),
    "not refi": ([("project.qde", b"<html><body>hi</body></html>")],
                 "not REFI-QDA project XML (the root element is <html>"),
    "not xml": ([("project.qde", b"PK\x03\x04 nonsense")], "not well-formed XML"),
    "no qde": ([("readme.txt", b"hello")], "no project.qde (or other .qde file)"),
    "two qde": ([("a.qde", GOOD.encode()), ("b.qde", GOOD.encode())],
                "holds several .qde files (a.qde, b.qde)"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attacks_are_refused_and_nothing_is_written(tmp_path, attack):
    members, message = ATTACKS[attack]
    bad = _zip(tmp_path / "bad.qdpx", members)
    result = run("init", tmp_path / "new", "--from", bad)
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
    assert result.stderr.startswith("error:") and len(result.stderr.strip().splitlines()) <= 3
    assert not (tmp_path / "new").exists()
    assert not (tmp_path / "evil.txt").exists()
    Project.init(tmp_path / "old").close()
    before = digest(tmp_path / "old" / "qcode.db")
    result = run("--project", tmp_path / "old", "import", bad)
    assert result.exit_code == 1 and message in result.stderr
    assert digest(tmp_path / "old" / "qcode.db") == before


def test_not_a_zip_and_member_limit(tmp_path):
    (tmp_path / "x.qdpx").write_text("just text")
    result = run("init", tmp_path / "new", "--from", tmp_path / "x.qdpx")
    assert result.exit_code == 1 and "not a valid REFI-QDA project" in result.stderr
    many = _zip(tmp_path / "many.qdpx", [("project.qde", GOOD.encode())]
                + [(f"sources/{n}.txt", b"x") for n in range(6)])
    with pytest.raises(InputError, match="holds 7 files, more than the 5 qcode accepts"):
        read_qdpx(many, ZipLimits(members=5))


def test_a_failed_import_keeps_an_existing_folder(tmp_path):
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "notes.txt").write_text("mine")
    bad = _zip(tmp_path / "bad.qdpx", ATTACKS["xxe"][0])
    assert run("init", tmp_path / "keep", "--from", bad).exit_code == 1
    assert sorted(p.name for p in (tmp_path / "keep").iterdir()) == ["notes.txt"]


# -- notes, coders and an existing project ----------------------------------------------
NOTES_QDE = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="NVivo 14">
 <Users><User guid="{U1}" name="Consenso"/><User guid="{V1}" name="Rosa"/></Users>
 <CodeBook><Codes><Code guid="{C1}" name="A" isCodable="true"><NoteRef targetGUID="{K1}"/>
 </Code></Codes></CodeBook>
 <Sources><TextSource guid="{S1}" name="doc" plainTextPath="internal://{S1}.txt">
  <Description>Entrevista en el penal</Description>
  <PlainTextSelection guid="{SEL}01" startPosition="0" endPosition="4" creatingUser="{V1}">
   <Description>comentario de selección</Description>
   <Coding guid="{SEL}02" creatingUser="{U1}"><CodeRef targetGUID="{C1}"/>
    <NoteRef targetGUID="{C2}"/></Coding></PlainTextSelection>
 </TextSource></Sources>
 <Notes>
  <Note guid="{C2}" name="Memo de codificación" creatingUser="{V1}">
   <PlainTextContent>por qué lo codifiqué</PlainTextContent></Note>
  <Note guid="{K1}" name="Definición" creatingUser="{V1}">
   <PlainTextContent>memo del código</PlainTextContent></Note>
  <Note guid="{S2}" name="Diario de campo" creatingUser="{V1}">
   <PlainTextContent>día 1</PlainTextContent></Note>
 </Notes>
</Project>"""


def test_foreign_notes_coders_and_consensus(tmp_path):
    path = qdpx(tmp_path / "n.qdpx", NOTES_QDE, {f"sources/{S1}.txt": "Hola, qué tal".encode()})
    result = run("init", tmp_path / "p", "--from", path)
    assert result.exit_code == 0, result.output
    assert "user(s) Consenso taken as consensus coder(s) from the name" in result.stderr
    with Project(tmp_path / "p") as project:
        [coding] = project.codings()
        assert (coding["coder"], coding["start"], coding["end"]) == ("Consenso", 0, 4)
        assert coding["memo"] == "Memo de codificación\n\npor qué lo codifiqué"
        memos = {(r["target"], r["author"], r["text"]) for r in project.conn.execute(
            "SELECT * FROM memo")}
        from qcode.refi.coders import consensus_coders

        assert consensus_coders(project.conn) == {"Consenso"}
    # the unreferenced note is a project memo, the source's Description a document memo;
    # the selection's Description would go on a segment spanning exactly 0-4, but the only
    # segment is the whole text, so it goes on the document, led by the span and quote.
    assert memos == {("code", "Rosa", "Definición\n\nmemo del código"),
                     ("project", "Rosa", "Diario de campo\n\ndía 1"),
                     ("document", "unknown coder", "Entrevista en el penal"),
                     ("document", "Rosa", "[0:4] «Hola» comentario de selección")}


def test_import_mixes_transcripts_and_a_qdpx_in_one_transaction(tmp_path):
    (tmp_path / "t.txt").write_text("E: hola\n\nR: adiós\n", encoding="utf-8")
    good = qdpx(tmp_path / "g.qdpx", _text_qde(_selection(0, 4, "hola")),
                {f"sources/{S1}.txt": b"hola mundo"})
    with Project.init(tmp_path / "p") as project:
        result = run("--project", project.path, "import", tmp_path / "t.txt", good)
        assert result.exit_code == 0, result.output
        assert {d["name"] for d in project.documents()} == {"t", "doc"}
        assert f"{good}: 1 sources, 1 codes added, 1 codings added" in result.stderr
        # a source whose name is taken by another text is refused, and nothing is written
        clash = qdpx(tmp_path / "c.qdpx", _text_qde("").replace('name="doc"', 'name="t"'),
                     {f"sources/{S1}.txt": b"otro texto"})
        before = digest(project.path)
        result = run("--project", project.path, "import", tmp_path / "t.txt", clash)
        assert result.exit_code == 1
        assert "source 't' has a different text from the project's document 't'" in \
            result.stderr
        assert digest(project.path) == before


def test_control_characters_in_memos_are_replaced_and_said(project, tmp_path):
    (tmp_path / "d.txt").write_text("E: hola\n\nR: adiós\n", encoding="utf-8")
    project.import_files([tmp_path / "d.txt"])
    project.conn.execute("INSERT INTO memo (target, target_id, author, text, created_at)"
                         " VALUES ('project', NULL, 'ana', 'bell\x07 here\r\nok', 'now')")
    report = project.export_qdpx(tmp_path / "x.qdpx")
    assert report.warnings == ["memo: 1 control character(s) XML cannot hold were replaced "
                               "by \ufffd"]
    with Project.init(tmp_path / "back", from_qdpx=tmp_path / "x.qdpx") as back:
        texts = [r[0] for r in back.conn.execute("SELECT text FROM memo")]
    assert texts == ["bell\ufffd here\r\nok"]


def test_same_named_sources_and_a_bomb_inside_a_docx(tmp_path):
    two = _text_qde("").replace("</TextSource>", f"""</TextSource>
     <TextSource guid="{S2}" name="doc" plainTextPath="internal://{S2}.txt"/>""")
    bundle = read_qdpx(qdpx(tmp_path / "two.qdpx", two, {f"sources/{S1}.txt": b"uno",
                                                         f"sources/{S2}.txt": b"dos"}))
    assert [s.name for s in bundle.sources] == ["doc", "doc (2)"]
    assert any("two sources are named 'doc'; the second is imported as 'doc (2)'" in w
               for w in bundle.warnings)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("word/document.xml", b"\0" * 3_000_000)
    rich = _text_qde("").replace(f'plainTextPath="internal://{S1}.txt"',
                                 f'richTextPath="internal://{S1}.docx"')
    bomb = qdpx(tmp_path / "bomb.qdpx", rich, {f"sources/{S1}.docx": inner.getvalue()})
    with pytest.raises(InputError, match=r"bomb.qdpx:sources/.*\.docx: word/document.xml in "
                       r"the .docx file is compressed .* it may be a zip bomb"):
        read_qdpx(bomb)


@needs_xsd
def test_an_empty_project_exports_a_valid_file(project, tmp_path):
    project.export_qdpx(tmp_path / "e.qdpx")
    assert_valid(tmp_path / "e.qdpx")
    assert zipfile.ZipFile(tmp_path / "e.qdpx").namelist() == ["project.qde"]


@needs_xsd
def test_odd_dates_are_left_out_so_the_export_stays_valid(project, tmp_path):
    project.conn.execute("INSERT INTO memo (target, target_id, author, text, created_at)"
                         " VALUES ('project', NULL, 'ana', 'x', 'yesterday')")
    project.export_qdpx(tmp_path / "e.qdpx")
    assert_valid(tmp_path / "e.qdpx")
