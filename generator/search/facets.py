"""The search page's facet data: which paper has which topic, year, category and code, in one small file.

Pagefind can filter and sort, but at 30,000 papers its filters cost more
than the search itself (measured with ``benchmarks/run.py``: the topic
filter's chunk alone was 460 KB, and a text query with a topic filter took
7 s in its WebAssembly before the first result; counting every facet took
10 s more). So the search page asks Pagefind for the words only, and does
the rest itself from this file: it maps each Pagefind result (a page hash)
to a row, keeps the rows the chosen facets allow, sorts them by date and
counts every facet, in a few milliseconds.

The file is written after Pagefind, from Pagefind's own fragments (each
paper's URL and the metadata its facets are made of, as indexed), so it always agrees
with the index it sits beside. Its layout, gzip-compressed (the browser
decompresses it with ``DecompressionStream``):

- ``AFC1``, then the header's length (u32, little-endian), then the header:
  JSON ``{"count": N, "prefix": "en_", "width": 7, "keys": [[key, [values]], …],
  "ids": {odd page hash: row}, "shared": {hash: [[row, url], …]}, "parts": P}``,
  then zero bytes up to a multiple of 4;
- N page hashes as u32 (the hex digits after ``prefix``; 0 for a hash of
  another shape, which ``ids`` names instead, or one that pages of two parts
  share, which ``shared`` names with each page's URL);
- when P > 1 (an index built in parts, ``generator/search/pagefind.py``): N bytes, each
  row's part (its bundle), then zero bytes up to a multiple of 4;
- for each key, for each of its values, a bitset of N bits (row ``r`` is bit
  ``r % 8`` of byte ``r // 8``): the rows with that value.

Rows are newest first (first version's date, then URL): "newest" is row
order, "oldest" its reverse. ``content/assets/search-page.js`` reads it;
keep the two in step.
"""
from __future__ import annotations

import gzip
import json
import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError, WriteError
from generator.fileio import write_atomic

FACETS_FILE = "search/facets.bin"  # under the site
MAGIC = b"AFC1"
KEYS = ("topic", "year", "category", "code")
SIGNATURE = b"pagefind_dcd"  # what Pagefind puts before each fragment's JSON
HASH = re.compile(r"^([a-z][a-z0-9-]*_)([0-9a-f]{7})$")


@dataclass
class Row:
    page: str  # Pagefind's page hash, e.g. en_4370a77
    url: str
    published: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    part: int = 0  # the bundle it is in (generator/search/pagefind.py indexes a large archive in parts)


def read_fragment(path: Path) -> dict:
    try:
        data = gzip.decompress(path.read_bytes())
    except (EOFError, zlib.error) as error:  # truncated or corrupt: neither is an OSError
        raise ValueError(f"not gzip data ({error})") from None
    if not data.startswith(SIGNATURE):
        raise ValueError("not a Pagefind fragment")
    fragment = json.loads(data[len(SIGNATURE):])
    if not isinstance(fragment, dict):
        raise ValueError("not a Pagefind fragment (not a JSON object)")
    return fragment


def facets(meta: dict) -> dict[str, list[str]]:
    """A paper's facet values, from the metadata its index copy gave Pagefind (``generator/search/records.py``)."""
    values = {"year": [meta["published"][:4]] if meta["published"][:4].isdigit() else [],
              "category": meta.get("categories", "").split(), "topic": meta.get("topics", "").split(),
              "code": ["1"] if meta.get("code") else []}
    return {key: sorted(set(found)) for key, found in values.items() if found}


def read_rows(bundles: Path | list[Path]) -> list[Row]:
    """Every indexed paper, newest first, from the bundles' fragments (pages without a date are not papers)."""
    rows = []
    paths = [(part, path) for part, bundle in enumerate([bundles] if isinstance(bundles, Path) else bundles)
             for path in sorted((Path(bundle) / "fragment").glob("*.pf_fragment"))]
    for part, path in paths:
        try:
            fragment = read_fragment(path)
        except (OSError, ValueError) as error:
            raise BuildError(f"{path}: cannot read the search index's fragment: {error}") from None
        published = (fragment.get("meta") or {}).get("published")
        if not published:
            continue
        rows.append(Row(path.name.removesuffix(".pf_fragment"), fragment.get("url", ""), published,
                        facets(fragment["meta"]), part))
    rows.sort(key=lambda r: (r.published, r.url), reverse=True)
    return rows


def _values(rows: list[Row], key: str) -> list[str]:
    counts: dict[str, int] = {}
    for row in rows:
        for value in row.filters.get(key, ()):
            counts[value] = counts.get(value, 0) + 1
    if key == "year":
        return sorted(counts, reverse=True)
    if key == "category":  # the most common first, as the facet lists them
        return sorted(counts, key=lambda v: (-counts[v], v))
    return sorted(counts)


def encode(rows: list[Row], parts: int = 1) -> bytes:
    count = len(rows)
    keys = [(key, _values(rows, key)) for key in KEYS]
    prefixes = {m.group(1) for m in map(HASH.match, (r.page for r in rows)) if m}
    prefix = min(prefixes) if prefixes else "en_"
    hashes, odd, shared = [], {}, {}
    # Parts' pages may share a hash (each part's hashes are unique within it, ~10 pairs at
    # 83,000 papers in 4 parts): those are named with their URLs, which tell them apart.
    seen = Counter(row.page for row in rows)
    for i, row in enumerate(rows):
        match = HASH.match(row.page)
        if seen[row.page] > 1:
            hashes.append(0)
            shared.setdefault(row.page, []).append([i, row.url])
        elif match and match.group(1) == prefix and int(match.group(2), 16):
            hashes.append(int(match.group(2), 16))
        else:  # a longer hash (Pagefind lengthens one that would collide), another language, or 0
            hashes.append(0)
            odd[row.page] = i
    header = json.dumps({"count": count, "prefix": prefix, "width": 7, "keys": keys, "ids": odd,
                         "shared": shared, "parts": parts}, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    out = bytearray(MAGIC + struct.pack("<I", len(header)) + header)
    out += b"\0" * (-len(out) % 4)
    out += struct.pack(f"<{count}I", *hashes)
    if parts > 1:  # each row's bundle, where a search without words fetches its fragment
        out += bytes(row.part for row in rows) + b"\0" * (-count % 4)
    width = (count + 7) // 8
    for key, values in keys:
        index = {v: n for n, v in enumerate(values)}
        sets = [bytearray(width) for _ in values]
        for r, row in enumerate(rows):
            for value in row.filters.get(key, ()):
                sets[index[value]][r >> 3] |= 1 << (r & 7)
        for bits in sets:
            out += bits
    return gzip.compress(bytes(out), compresslevel=9, mtime=0)


def decode(data: bytes) -> tuple[dict, list[int], dict[str, dict[str, list[int]]]]:
    """The file read back (for tests): header, hashes, and each key's value → rows."""
    raw = gzip.decompress(data)
    assert raw[:4] == MAGIC
    (length,) = struct.unpack_from("<I", raw, 4)
    header = json.loads(raw[8:8 + length])
    pos = 8 + length + (-(8 + length) % 4)
    count = header["count"]
    hashes = list(struct.unpack_from(f"<{count}I", raw, pos))
    pos += 4 * count
    if header.get("parts", 1) > 1:
        header["row_parts"] = list(raw[pos:pos + count])
        pos += count + (-count % 4)
    width = (count + 7) // 8
    sets: dict[str, dict[str, list[int]]] = {}
    for key, values in header["keys"]:
        sets[key] = {}
        for value in values:
            bits = raw[pos:pos + width]
            sets[key][value] = [r for r in range(count) if bits[r >> 3] >> (r & 7) & 1]
            pos += width
    return header, hashes, sets


def write_facets(site_dir: Path, bundles: Path | list[Path]) -> Path:
    """Write ``search/facets.bin`` for the bundles Pagefind just built; returns its path."""
    target = Path(site_dir) / FACETS_FILE
    data = encode(read_rows(bundles), 1 if isinstance(bundles, Path) else len(bundles))
    try:
        write_atomic(target, data)
        target.chmod(0o644)  # served: readable by all, as the pages MkDocs writes
    except WriteError as error:
        raise BuildError(f"{target}: cannot write the search page's facet file: {error.reason}") from None
    except OSError as error:
        raise BuildError(f"{target}: cannot write the search page's facet file: {error.strerror or error}") from None
    return target
