"""Writing files so that a crash or a kill never leaves half of one."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from generator.errors import WriteError


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


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to a temporary file beside ``path``, then rename it over ``path``.

    The rename is atomic on POSIX: a reader sees the old file or the new one,
    never a mixture, whatever happens to this process in between. Any failure
    (a full disk, a directory in the file's place) is a ``WriteError`` naming
    ``path``, and the old file is as it was.
    """
    path = Path(path)
    try:
        _write(path, text)
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None


def _write(path: Path, text: str | bytes) -> None:
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
