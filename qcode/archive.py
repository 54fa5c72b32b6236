"""Zip archives and XML from elsewhere (.docx, .qdpx, .xlsx), opened without trusting them.

A zip member's declared sizes are checked before anything is inflated, and every read is
bounded again while inflating (a header can lie). Members with absolute paths, `..`,
drive letters or symlink bits are refused (zip-slip). XML is parsed with entity
resolution, DTD loading and network access off, and a document that declares a DTD at all
is refused: REFI-QDA and Office XML never need one, and a DTD is how "billion laughs" and
external-entity attacks start.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from .errors import InputError

MiB = 1024 * 1024
_ROOT = re.compile(rb"<[A-Za-z_]")  # the root element's start: a DTD must come before it
_ROOT16 = re.compile(rb"<\x00[A-Za-z_]\x00")


@dataclass(frozen=True)
class ZipLimits:
    """What an archive may hold; the README documents these numbers."""

    members: int = 10_000
    member_bytes: int = 256 * MiB
    total_bytes: int = 512 * MiB
    ratio: int = 200  # uncompressed / compressed, for members over `ratio_floor` bytes
    ratio_floor: int = 1 * MiB


DEFAULT_LIMITS = ZipLimits()


def open_zip(path: Path, what: str, limits: ZipLimits = DEFAULT_LIMITS,
             data: IO[bytes] | None = None) -> zipfile.ZipFile:
    """Open `path` (or `data`) as a zip after checking every member's name and sizes.

    `what` names the kind of file in messages (".docx file", "REFI-QDA project").
    """
    try:
        archive = zipfile.ZipFile(data if data is not None else path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: not a valid {what} ({exc}); open and re-save it in the "
                         "program that wrote it") from None
    try:
        check_members(archive, path, what, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def check_members(archive: zipfile.ZipFile, path: Path, what: str,
                  limits: ZipLimits = DEFAULT_LIMITS) -> None:
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise InputError(f"{path}: the {what} holds {len(infos):,} files, more than the "
                         f"{limits.members:,} qcode accepts; it may be a zip bomb")
    total = 0
    for info in infos:
        _check_name(info, path, what)
        if info.file_size > limits.member_bytes:
            raise InputError(f"{path}: {info.filename} in the {what} inflates to "
                             f"{info.file_size / MiB:,.0f} MB, more than the "
                             f"{limits.member_bytes // MiB} MB qcode accepts; it may be a zip bomb")
        if (info.file_size > limits.ratio_floor
                and info.file_size > limits.ratio * max(info.compress_size, 1)):
            raise InputError(f"{path}: {info.filename} in the {what} is compressed "
                             f"{info.file_size // max(info.compress_size, 1):,} to 1, more than "
                             f"the {limits.ratio} to 1 qcode accepts; it may be a zip bomb")
        total += info.file_size
    if total > limits.total_bytes:
        raise InputError(f"{path}: the {what} inflates to {total / MiB:,.0f} MB, more than the "
                         f"{limits.total_bytes // MiB} MB qcode accepts; it may be a zip bomb")


def _check_name(info: zipfile.ZipInfo, path: Path, what: str) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if (name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")
            or "\x00" in name):
        raise InputError(f"{path}: the {what} holds a file with an unsafe path ({name!r}); "
                         "qcode refuses archives that could write outside their folder")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InputError(f"{path}: the {what} holds a symbolic link ({name!r}); qcode refuses "
                         "archives with links")


def read_member(archive: zipfile.ZipFile, name: str, path: Path, what: str,
                limits: ZipLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of one member, never more than the limits allow whatever its header says."""
    try:
        with archive.open(name) as member:
            data = member.read(limits.member_bytes + 1)
    except KeyError:
        raise InputError(f"{path}: the {what} has no {name}") from None
    except Exception as exc:  # BadZipFile, zlib.error, EOFError: a damaged stream
        raise InputError(f"{path}: {name} in the {what} is damaged ({exc})") from None
    if len(data) > limits.member_bytes:
        raise InputError(f"{path}: {name} in the {what} inflates beyond "
                         f"{limits.member_bytes // MiB} MB; it may be a zip bomb")
    return data


class _BoundedMember(io.RawIOBase):
    """A zip member's inflated stream that fails once it passes `limit` bytes (the header's
    declared size can lie) and turns a damaged stream into one line."""

    def __init__(self, member: IO[bytes], limit: int, label: str, what: str):
        self._member, self._limit, self._read = member, limit, 0
        self._label, self._what = label, what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            chunk = self._member.read(len(buffer))
        except Exception as exc:  # BadZipFile, zlib.error, EOFError
            raise InputError(f"{self._label} in the {self._what} is damaged ({exc})") from None
        self._read += len(chunk)
        if self._read > self._limit:
            raise InputError(f"{self._label} in the {self._what} inflates beyond "
                             f"{self._limit // MiB} MB; it may be a zip bomb")
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._member.close()
        super().close()


def open_member(archive: zipfile.ZipFile, name: str, path: Path, what: str,
                limits: ZipLimits = DEFAULT_LIMITS) -> IO[bytes]:
    """A member as a stream for incremental parsing, bounded like `read_member`."""
    try:
        member = archive.open(name)
    except KeyError:
        raise InputError(f"{path}: the {what} has no {name}") from None
    except Exception as exc:
        raise InputError(f"{path}: {name} in the {what} is damaged ({exc})") from None
    return io.BufferedReader(_BoundedMember(member, limits.member_bytes, f"{path}: {name}", what),
                             buffer_size=256 * 1024)


def _refuse_doctype(data: bytes, source: str) -> None:
    """Refuse XML whose prolog (before the root element) declares a DTD."""
    for marker, root in ((b"<!DOCTYPE", _ROOT), ("<!DOCTYPE".encode("utf-16-le"), _ROOT16)):
        found = root.search(data)
        if data.find(marker, 0, found.start() if found else len(data)) != -1:
            raise InputError(f"{source}: the XML declares a DTD (<!DOCTYPE>), which qcode "
                             "refuses (entity expansion and external entities are attack vectors)")


def secure_parser(**options: Any):
    """An lxml parser that resolves no entities, loads no DTD and never touches the network."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                           dtd_validation=False, huge_tree=False, **options)


def parse_xml(data: bytes, source: str):
    """Parse XML bytes from an untrusted file into an lxml element; one-line errors."""
    from lxml import etree

    _refuse_doctype(data, source)
    try:
        root = etree.fromstring(data, parser=secure_parser(remove_comments=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{source}: not well-formed XML ({exc})") from None
    if root is None:
        raise InputError(f"{source}: the XML is empty")
    return root


def iterparse_xml(stream: IO[bytes], source: str, **options: Any):
    """`lxml.etree.iterparse` over an untrusted stream (such as `open_member`'s): the prolog
    is checked for a DTD first, entities are not resolved and no text node may pass lxml's
    10 MB limit. Wrap the iteration in `xml_errors(source)`."""
    from lxml import etree

    peek = getattr(stream, "peek", None)
    if peek is not None:
        _refuse_doctype(peek(256 * 1024), source)
    return etree.iterparse(stream, resolve_entities=False, load_dtd=False, no_network=True,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           **options)


@contextmanager
def xml_errors(source: str) -> Iterator[None]:
    """Turn lxml's syntax errors while parsing `source` into one InputError line."""
    from lxml import etree

    try:
        yield
    except etree.XMLSyntaxError as exc:
        if "Resource limit exceeded" in str(exc) or "huge" in str(exc).lower():
            raise InputError(f"{source}: one piece of text or markup is over the XML parser's "
                             "10 MB limit; qcode refuses it (it may be a bomb); split the "
                             "document") from None
        raise InputError(f"{source}: not well-formed XML ({exc}); open and re-save the file "
                         "in the program that wrote it") from None
