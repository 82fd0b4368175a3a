"""Handing memory back to the system before the search indexer runs.

Pagefind runs as a child of the build, so at its peak the machine holds both
processes. Python keeps the memory it freed (CPython's object arenas and
glibc's heap) for its own later use; at 30,000 papers that was most of the
build process's 660 MB, idle while Pagefind indexed. A collection, then
glibc's ``malloc_trim``, returns the free pages.
"""
from __future__ import annotations

import ctypes
import gc


def release_memory() -> None:
    """Collect garbage and return free heap pages to the system (glibc only; elsewhere a no-op)."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)  # the symbols already loaded: glibc's, where it is the C library
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass
