"""Untrusted zips and XML: zip-slip, links, bombs (built small here), DTDs, bad XML."""

from __future__ import annotations

import zipfile

import pytest

from qcode.archive import ZipLimits, open_zip, parse_xml, read_member
from qcode.errors import InputError


def _zip(path, members, mode=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", mode) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_plain_archive_opens_and_reads(tmp_path):
    path = _zip(tmp_path / "ok.zip", {"project.qde": b"<Project/>", "sources/a.txt": b"hola"})
    with open_zip(path, "REFI-QDA project") as archive:
        assert read_member(archive, "sources/a.txt", path, "REFI-QDA project") == b"hola"


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a/../../b", "C:/x.txt",
                                  "..\\win.txt"])
def test_zip_slip_names_are_refused(tmp_path, name):
    path = _zip(tmp_path / "slip.zip", {name: b"x"})
    with pytest.raises(InputError, match="unsafe path"):
        open_zip(path, "REFI-QDA project")


def test_symlinks_are_refused(tmp_path):
    path = tmp_path / "link.zip"
    info = zipfile.ZipInfo("sources/link.txt")
    info.external_attr = (0o120777 << 16)  # S_IFLNK | 0777
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(InputError, match="symbolic link"):
        open_zip(path, "REFI-QDA project")


def test_a_highly_compressed_member_is_refused_before_inflating(tmp_path):
    # 3 MB of zeros deflate to about 3 KB: a ratio near 1000:1, over the 200:1 limit.
    path = _zip(tmp_path / "bomb.zip", {"word/document.xml": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(InputError, match=r"compressed \d[\d,]* to 1, more than the 200 to 1"):
        open_zip(path, ".docx file")


def test_total_and_member_count_limits(tmp_path):
    path = _zip(tmp_path / "many.zip", {f"m{i}.txt": b"x" for i in range(11)})
    with pytest.raises(InputError, match="holds 11 files, more than the 10"):
        open_zip(path, ".docx file", ZipLimits(members=10))
    path = _zip(tmp_path / "big.zip", {"a": b"a" * 600, "b": b"b" * 600}, zipfile.ZIP_STORED)
    with pytest.raises(InputError, match="inflates to"):
        open_zip(path, ".docx file", ZipLimits(total_bytes=1000))


def test_a_member_whose_header_lies_is_cut_at_the_limit(tmp_path):
    path = _zip(tmp_path / "lie.zip", {"a.txt": b"a" * 5000})
    with zipfile.ZipFile(path) as archive:
        assert read_member(archive, "a.txt", path, "zip", ZipLimits(member_bytes=10_000))
    limits = ZipLimits(member_bytes=100)
    with zipfile.ZipFile(path) as archive, pytest.raises(InputError, match="inflates beyond"):
        read_member(archive, "a.txt", path, "zip", limits)


def test_not_a_zip(tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"x.qdpx: not a valid REFI-QDA project"):
        open_zip(path, "REFI-QDA project")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Project>&lol2;</Project>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Project>&xxe;</Project>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL,
                                  BILLION_LAUGHS.decode().encode("utf-16")])
def test_xml_with_a_dtd_is_refused(data):
    with pytest.raises(InputError, match=r"^p.qde: the XML declares a DTD"):
        parse_xml(data, "p.qde")


def test_doctype_text_after_the_root_is_only_text():
    root = parse_xml(b"<Project><Note><![CDATA[<!DOCTYPE is fine here]]></Note></Project>",
                     "p.qde")
    assert root[0].text == "<!DOCTYPE is fine here"


def test_malformed_xml_is_one_line():
    with pytest.raises(InputError, match=r"^p.qde: not well-formed XML"):
        parse_xml(b"<Project><Source></Project>", "p.qde")
