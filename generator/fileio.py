"""Writing files so that a crash or a kill never leaves half of one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to a temporary file beside ``path``, then rename it over ``path``.

    The rename is atomic on POSIX: a reader sees the old file or the new one,
    never a mixture, whatever happens to this process in between.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    binary = isinstance(text, bytes)
    try:
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
    harvest holds a lock), so every such file is a leftover.
    """
    removed = []
    for leftover in Path(directory).glob(".*.tmp"):
        if leftover.is_file():
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed
