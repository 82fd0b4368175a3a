"""Reading people's files strictly, and writing files so that a crash or a kill never leaves half of one."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from generator.errors import PaperFileError, WriteError


def decode_utf8(data: bytes, shown: str) -> str:
    """``data`` as UTF-8, or a PaperFileError naming ``shown``, the line and the column of the first bad byte.

    A CRLF is read as LF, as text mode reads it; a lone CR is kept, not made
    a line break: every line number then is the file's as git and GitHub count
    them, at line feeds.
    """
    try:
        text = data.decode("utf-8")
        return text.replace("\r\n", "\n") if "\r" in text else text
    except UnicodeDecodeError as error:
        start = error.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        raise PaperFileError(shown, line, f"not UTF-8 (byte 0x{data[start]:02X} at column {column}): "
                                          "save the file as UTF-8") from None


MAX_FILE = 4 << 20  # bytes of a curator's file: front matter (1 MiB at most) and a body (an abstract, an introduction)


def read_utf8(path: Path, shown: str | None = None) -> str:
    """The text of ``path``; see ``decode_utf8`` (``shown`` names the file in its message).

    Only a regular file of at most ``MAX_FILE`` bytes is read: a name (a
    symbolic link) for a device or a pipe would never end or never answer.
    """
    shown = os.fspath(path) if shown is None else shown
    status = os.stat(path)  # FileNotFoundError as before, for a caller that expects it
    if not stat.S_ISREG(status.st_mode):
        raise PaperFileError(shown, 1, "not a regular file (a device, a pipe or a folder): a file here must be text")
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise PaperFileError(shown, 1, f"the file is over {MAX_FILE:,} bytes long")
    return decode_utf8(data, shown)


def _mode_for(path: Path) -> int:
    """An existing file keeps its mode; a new one gets what ``open`` would give it under the umask.

    ``mkstemp`` creates 0600 files whatever the umask, which would hide a
    harvested paper from every other user of a shared checkout or web root.
    """
    try:
        return stat.S_IMODE(os.lstat(path).st_mode)
    except OSError:
        umask = os.umask(0)  # the only way to read the umask is to set it
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, text: str | bytes, durable: bool = True) -> None:
    """Write ``text`` (or bytes) to a temporary file beside ``path``, then rename it over ``path``.

    The rename is atomic on POSIX: a reader sees the old file or the new one,
    never a mixture, whatever happens to this process in between. Any failure
    (a full disk, a directory in the file's place) is a ``WriteError`` naming
    ``path``, and the old file is as it was. ``durable=False`` skips the
    fsync, for output a rebuild makes again (the split rewrites 45,859 pages
    at 83,240 papers: about 4 ms a page of fsync, three minutes in all).
    """
    path = Path(path)
    try:
        _write(path, text, durable)
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None


def _write(path: Path, text: str | bytes, durable: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():  # os.replace would say only "Is a directory" of the temp file
        raise IsADirectoryError(21, "a directory is in its place")
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    binary = isinstance(text, bytes)
    try:
        os.fchmod(fd, mode)
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def remove_temporaries(directory: Path) -> list[Path]:
    """Remove what ``write_atomic`` leaves behind when its process is killed mid-write.

    Only this process's caller may be writing under ``directory`` (the
    harvest holds a lock), so every such file is a leftover. A symbolic link
    is never followed: what it points to is not the archive's.
    """
    removed = []
    if Path(directory).is_symlink():
        return removed
    for leftover in Path(directory).glob(".*.tmp"):
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed
