"""A persistent cache of parsed front matter, so a report re-reads 30,000 papers in a second.

YAML parsing is most of the time ``topics`` takes on a large archive (about
6 s at 30,000 papers, even with libyaml), and between two runs almost no
front matter changes. The cache maps a front matter's text, by its BLAKE2b
digest, to what ``frontmatter.load_yaml`` made of it: the key is the content
itself, so an edited file can never be answered from a stale entry (there is
no timestamp to be fooled by), and a fresh checkout (CI) can use a restored
cache. The whole cache is invalidated when what produces its values changes:
the PyYAML version, the loader, or ``frontmatter.py``'s code.

The file, ``.cache/generator/front-matter.json`` beside ``archive.yml``, is
machine-only (gitignored), written atomically, and only holds values JSON
gives back exactly (a YAML date or a NaN is parsed again every run). A file
that is unreadable, corrupt or from another version is ignored and replaced.
Files that fail to parse are never cached: they fail the same way each run.
"""
from __future__ import annotations

import gc
import hashlib
import json
import math
import multiprocessing
import os
from contextlib import contextmanager
from pathlib import Path

import yaml

from generator.archive import frontmatter
from generator.errors import PaperFileError, WriteError
from generator.fileio import write_atomic

FORMAT = 1
CACHE_DIR = Path(".cache") / "generator"
FILE_NAME = "front-matter.json"


def code_version() -> str:
    """What the cached values depend on: a change to any of these empties the cache."""
    source = Path(frontmatter.__file__).read_bytes()
    return f"{FORMAT}/{yaml.__version__}/{frontmatter.SafeLoader.__name__}/{hashlib.sha256(source).hexdigest()[:16]}"


def _digest(front: str) -> str:
    return hashlib.blake2b(front.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_SCALARS = (str, int, bool, type(None))


def _plain(value) -> bool:
    """``value`` is made of what JSON gives back exactly: str-keyed dicts, lists, str, int, bool, None,
    finite floats (not a tuple, a date, an int key, a NaN: YAML can make all of these)."""
    kind = type(value)
    if kind is dict:
        return all(type(key) is str for key in value) and all(map(_plain, value.values()))
    if kind is list:
        return all(map(_plain, value))
    if kind is float:
        return math.isfinite(value)
    return kind in _SCALARS


class FrontMatterCache:
    """``meta(front, path)`` is ``frontmatter.load_yaml(front, path)``, from the cache where it can be."""

    def __init__(self, path: Path | None):
        self.path = Path(path) if path is not None else None
        self.version = code_version()
        self._old: dict[str, dict] = self._load()
        self._loaded = len(self._old)
        self._used: dict[str, dict] = {}
        self._added = 0
        self.hits = self.misses = 0

    def _load(self) -> dict:
        if self.path is None:
            return {}
        try:
            with gc_paused():
                data = json.loads(self.path.read_bytes())
        except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON: start afresh
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def meta(self, front: str, path) -> dict:
        key = _digest(front)
        found = self._old.get(key)
        if isinstance(found, dict):
            self.hits += 1
            self._used[key] = found
            return found  # shared with the cache until it is saved: callers copy, never change it
        self.misses += 1
        meta = frontmatter.load_yaml(front, path)  # raises on bad YAML: never cached
        stored = _storable(meta)
        if stored is not None:
            self._used[key] = self._old[key] = stored
            self._added += 1
        return meta

    def prefetch(self, fronts: list[str]) -> None:
        """Parse the front matters the cache lacks ahead of ``meta``, on every core when there are many.

        Only a cold cache (a fresh checkout, a new PyYAML) has thousands to
        parse; a front matter that fails is left for ``meta`` to report.
        """
        missing = {}
        for front in fronts:
            key = _digest(front)
            if not isinstance(self._old.get(key), dict):
                missing[key] = front
        workers = min(os.cpu_count() or 1, 8)
        if len(missing) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        keys = list(missing)
        chunks = [[missing[k] for k in keys[i::workers]] for i in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parsed = pool.map(_parse_all, chunks)
        for i, results in enumerate(parsed):
            for key, stored in zip(keys[i::workers], json.loads(results)):
                if stored is not None:
                    self._old[key] = stored
                    self._added += 1

    def save(self) -> None:
        """Write the entries this run used (so the cache never outgrows the archive), if anything changed."""
        if self.path is None or (not self._added and len(self._used) == self._loaded):
            return
        # ASCII (non-ASCII as \u escapes): no character the file cannot encode
        text = json.dumps({"version": self.version, "entries": self._used}, separators=(",", ":"))
        try:
            write_atomic(self.path, text)
        except (OSError, WriteError):  # a read-only checkout: the next run parses again, nothing is lost
            pass


PARALLEL_FROM = 2000  # front matters to parse before a pool of processes pays for itself


def _storable(meta: dict) -> dict | None:
    """A copy of ``meta`` as the cache file gives it back, or None where that would not be exactly ``meta``."""
    if not _plain(meta):
        return None
    return json.loads(json.dumps(meta))  # a copy: the caller owns ``meta``


def _parse_all(fronts: list[str]) -> str:
    """In a worker: a JSON list of each front matter's value, null where it fails or cannot be stored.

    JSON text, not the objects: the parent's ``json.loads`` is quicker than unpickling them.
    """
    results = []
    for front in fronts:
        try:
            meta = frontmatter.load_yaml(front, "")
        except PaperFileError:
            meta = None
        results.append(meta if meta is not None and _plain(meta) else None)
    return json.dumps(results)


def cache_path(project_dir: Path) -> Path:
    return Path(project_dir) / CACHE_DIR / FILE_NAME


def project_cache(config_path: Path) -> FrontMatterCache:
    """The cache of the project whose config file is ``config_path`` (``.cache/`` beside it)."""
    return FrontMatterCache(cache_path(Path(config_path).resolve().parent))


def prefetch_files(cache: FrontMatterCache | None, texts) -> None:
    """``cache.prefetch`` for paper files' texts (a file without front matter is left to its reader)."""
    if cache is None:
        return
    fronts = []
    for text in texts:
        try:
            fronts.append(frontmatter.split(text, "")[0])
        except PaperFileError:
            continue
    cache.prefetch(fronts)


@contextmanager
def gc_paused():
    """No cyclic garbage collection while tens of thousands of objects are made (they form no cycles).

    CPython's collector runs every 700 allocations and walks the young
    objects; building 30,000 papers' dicts and lists it took a third of the
    time. What was made meanwhile is then frozen (moved where the collector
    never walks: a collection right after would walk it all, 0.4 s at 30,000
    papers); it is still freed by reference counting once unused.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()
