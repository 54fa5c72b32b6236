"""Writing files atomically, and choosing the format from --format or --out's extension."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError

BINARY = ("xlsx", "docx", "png", "svg", "pdf")


def output_target(path: Path) -> Path:
    """Where writing `path` really goes: a symlink is followed to its (regular) file, and
    folders, devices, pipes and sockets are refused. Checked before any work is done."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"--out {path}: cannot be written ({exc.strerror or exc})") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError(f"--out {path}: is a folder; give a file name (e.g. {path}/NAME)")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError(f"--out {path}: is not a regular file (a device, pipe or socket); "
                         "qcode writes only regular files")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--out {path}: folder {folder} does not exist; create it first")
    if info is not None and not os.access(target, os.W_OK):
        raise InputError(f"--out {path}: the file is read-only; make it writable or choose "
                         "another name")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"--out {path}: folder {folder} is read-only; choose another folder")
    return target


def _new_file_mode(existing: Path) -> int:
    """The mode the file would get from a plain open(): its current mode when it exists,
    else 0666 less the umask (mkstemp's 0600 would hide reports from colleagues)."""
    try:
        return stat.S_IMODE(existing.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0o022)  # read the umask: setting is the only portable way
        os.umask(mask)
        return 0o666 & ~mask


def disk_error(path: Path, exc: OSError) -> InputError:
    """One line for an OSError while writing `path`: a full disk, a read-only or missing
    place, or anything else the system reports."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return InputError(f"{path}: no space left on the disk (or quota exceeded); nothing "
                          "was written; free some space and run the command again")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return InputError(f"{path}: cannot write there ({exc.strerror}); nothing was written; "
                          "choose a writable folder")
    return InputError(f"{path}: could not be written ({exc.strerror or exc}); nothing was "
                      "written")


def write_with(path: Path, writer: Callable[[Path], None]) -> None:
    """Let `writer` fill a temporary file next to the target, then rename it into place, so
    readers see the old file or the whole new one, never half of it. A symlink keeps
    pointing at its file, which is replaced; the mode is what a plain write would give."""
    target = output_target(path)
    mode = _new_file_mode(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else Path("."),
                                   prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise disk_error(Path(path), exc) from None
    os.close(fd)
    try:
        writer(Path(tmp))
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise disk_error(Path(path), exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    write_with(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def format_for(out: Path | None, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """The format asked for: `--format` wins, else `--out`'s extension, else the first."""
    chosen = (fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else allowed[0]))
    chosen = {"markdown": "md", "htm": "html", "latex": "tex"}.get(chosen.lower(), chosen.lower())
    if chosen not in allowed:
        raise InputError(f"unknown format '{chosen}'; supported: {', '.join(allowed)}")
    if chosen in BINARY and out is None:
        raise InputError(f"--format {chosen} writes a file; give --out FILE.{chosen}")
    return chosen
