"""Hostile .docx files, crafted small here: zip bombs, malformed XML, DTDs, huge text.
Each is refused with one line naming the file; the project is left byte for byte as it was."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from qcode.importers import read_document
from tests.hostile import refused, small_project

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_with(path, document_xml: bytes, extra: dict | None = None):
    """A real .docx (python-docx's template) whose word/document.xml is replaced."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w",
                                                             zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            out.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return path


def body(inner: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{inner}'
            "<w:sectPr/></w:body></w:document>").encode()


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_streamed_reading_keeps_paragraphs_tables_and_speakers_in_order(tmp_path):
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    merged = '<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>'
    table = ("<w:tbl>"
             f"<w:tr>{cell.format('E')}{cell.format('¿Cómo entran?')}</w:tr>"
             f"<w:tr>{cell.format('R')}{cell.format('Por las visitas.')}</w:tr>"
             f"<w:tr>{merged}{cell.format('Y en la comida.')}</w:tr>"  # speaker cell merged
             "</w:tbl>")
    xml = body(para("Entrevista 3") + table
               + '<w:p><w:r><w:t xml:space="preserve">Nota:</w:t><w:tab/><w:t>fin</w:t>'
                 '<w:br/><w:t>otra línea</w:t></w:r>'
                 '<w:ins><w:r><w:t> añadido</w:t></w:r></w:ins>'
                 '<w:del><w:r><w:delText>borrado</w:delText></w:r></w:del></w:p>')
    doc = read_document(docx_with(tmp_path / "e.docx", xml))
    # the vertically merged speaker cell repeats the cell above it ("R"), as Word shows it
    assert doc.text == ("Entrevista 3\n\nE: ¿Cómo entran?\n\nR: Por las visitas.\n\n"
                        "R: Y en la comida.\n\nNota:\tfin\notra línea añadido")


def test_zip_bomb_docx_is_refused_before_inflating(tmp_path):
    env = small_project(tmp_path)
    # 40,000 identical paragraphs: 1.5 MB of XML that deflates to a few KB (ratio > 200:1)
    bomb = docx_with(tmp_path / "bomb.docx", body(para("a" * 30) * 40_000))
    line = refused(env, "import", bomb, startswith=f"{bomb}: word/document.xml in the .docx "
                   "file is compressed ")
    assert line.endswith("more than the 200 to 1 qcode accepts; it may be a zip bomb")


def test_docx_with_too_many_members_is_refused(tmp_path, monkeypatch):
    env = small_project(tmp_path)
    from qcode import archive

    monkeypatch.setattr(archive, "DEFAULT_LIMITS", archive.ZipLimits(members=30))
    monkeypatch.setattr(archive.open_zip, "__defaults__", (archive.DEFAULT_LIMITS, None))
    many = docx_with(tmp_path / "many.docx", body(para("hola")),
                     {f"extra/item{n}.xml": b"<a/>" for n in range(40)})
    refused(env, "import", many, startswith=f"{many}: the .docx file holds ")


def test_inflated_text_over_the_limit_is_refused_while_streaming(tmp_path, monkeypatch):
    env = small_project(tmp_path)
    from qcode.importers import docx as reader

    monkeypatch.setattr(reader, "MAX_TEXT_CHARS", 10_000)
    big = docx_with(tmp_path / "big.docx", body("".join(para(f"frase {n} " * 20)
                                                        for n in range(200))))
    refused(env, "import", big, message=f"{big}: the document's text is over 0 million "
            "characters, qcode's limit per transcript; split it into several files")


@pytest.mark.parametrize("xml, problem", [
    (body(para("hola"))[:-40], "not well-formed XML"),
    (b"<w:document><w:body><w:p>", "not well-formed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 '
     b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
     + body(para("&lol2;")).split(b"?>", 1)[1], "the XML declares a DTD (<!DOCTYPE>)"),
])
def test_malformed_or_entity_laden_xml_is_one_line_naming_the_file(tmp_path, xml, problem):
    env = small_project(tmp_path)
    path = docx_with(tmp_path / "bad.docx", xml)
    line = refused(env, "import", path, startswith=f"{path}: word/document.xml: ")
    assert problem in line


def test_docx_that_is_not_a_zip(tmp_path):
    env = small_project(tmp_path)
    path = tmp_path / "fake.docx"
    path.write_bytes(b"PK\x03\x04 not a zip at all")
    refused(env, "import", path, startswith=f"{path}: not a valid .docx file")


def test_member_that_inflates_beyond_its_declared_size_is_cut_off(tmp_path):
    """A header can lie: the stream is bounded while it is read, not only by the header."""
    from qcode.archive import ZipLimits, open_member, open_zip
    from qcode.errors import InputError

    path = docx_with(tmp_path / "lying.docx", body(para("x" * 50) * 3000))
    limits = ZipLimits(member_bytes=10_000_000, ratio=10_000)
    with open_zip(path, ".docx file", limits) as archive:
        small = ZipLimits(member_bytes=50_000, ratio=10_000)
        with pytest.raises(InputError, match=r"inflates beyond 0 MB; it may be a zip bomb"), \
                open_member(archive, "word/document.xml", path, ".docx file", small) as stream:
            stream.read()


def test_a_text_node_over_the_parser_limit_is_one_line(tmp_path):
    """11 MB of text in one run: over lxml's 10 MB node limit. Random letters keep the
    compression ratio low, so only the parser's limit stops it."""
    import base64
    import random

    env = small_project(tmp_path)
    letters = base64.b64encode(random.Random(1).randbytes(8_300_000)).decode()  # 11 MB
    path = docx_with(tmp_path / "node.docx", body(para(letters)))
    refused(env, "import", path, message=f"{path}: word/document.xml: one piece of text or "
            "markup is over the XML parser's 10 MB limit; qcode refuses it (it may be a bomb); "
            "split the document")
