"""Markdown files with YAML front matter: split, parse, and rewrite in part.

A paper file's front matter mixes keys the harvest owns with keys people
write (``curation:``). ``top_level_blocks`` finds each top-level key's exact
source lines so a rewrite can keep a person's block byte for byte, comments
and quoting included, instead of re-dumping what was parsed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:  # libyaml is ~10x faster, and the build parses every paper
    from yaml import CSafeLoader as SafeLoader, CSafeDumper as _BaseDumper  # noqa: F401
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore

from generator.errors import PaperFileError

_FENCE = re.compile(r"^---[ \t]*\r?\n", re.MULTILINE)
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
# Characters that plain or single-quoted YAML cannot carry faithfully.
_NEEDS_DOUBLE_QUOTES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


@dataclass
class Document:
    front_matter: str  # the YAML text between the fences
    body: str
    meta: dict


def split(text: str, path) -> tuple[str, str]:
    """Return (front matter text, body); the body starts after the closing fence."""
    text = text.removeprefix("\ufeff")  # a byte order mark some editors write, as MkDocs reads it
    if not _FENCE.match(text):
        raise PaperFileError(path, 1, "no YAML front matter (the file must start with a '---' line)")
    start = _FENCE.match(text).end()
    close = _CLOSE.search(text, start)
    if not close:
        raise PaperFileError(path, 1, "front matter is not closed by a '---' line")
    body = text[close.end():]
    return text[start:close.start()], body[1:] if body.startswith("\n") else body


def load_yaml(front_matter: str, path) -> dict:
    try:
        meta = yaml.load(front_matter, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else None  # +1 for 1-based, +1 for the opening fence
        raise PaperFileError(path, line, f"malformed YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise PaperFileError(path, None, f"malformed YAML: {error}") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise PaperFileError(path, 2, "front matter must be a mapping of keys to values")
    return meta


def read(text: str, path, cache=None) -> Document:
    """``cache`` (a ``parse_cache.FrontMatterCache``) answers for front matter parsed before."""
    front, body = split(text, path)
    return Document(front, body, cache.meta(front, path) if cache is not None else load_yaml(front, path))


def top_level_blocks(front_matter: str) -> list[tuple[str | None, str]]:
    """Split front matter into (key, source text) blocks, in order.

    Comment and blank lines just above a key belong to that key's block;
    lines before the first key form a block whose key is None.
    """
    node = yaml.compose(front_matter, Loader=SafeLoader)
    lines = front_matter.splitlines(keepends=True)
    if not isinstance(node, yaml.MappingNode):
        return [(None, front_matter)] if front_matter else []
    starts = []
    for key_node, _ in node.value:
        line = key_node.start_mark.line
        while line > 0 and (not lines[line - 1].strip() or lines[line - 1].lstrip().startswith("#")):
            line -= 1
        starts.append((str(key_node.value), line))
    blocks = []
    if starts and starts[0][1] > 0:
        blocks.append((None, "".join(lines[: starts[0][1]])))
    for i, (key, line) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(lines)
        blocks.append((key, "".join(lines[line:end])))
    return blocks


class _Dumper(yaml.SafeDumper):
    """Writes what the harvest owns: every string comes back exactly as it went in."""


def _represent_str(dumper, value: str):
    style = '"' if _NEEDS_DOUBLE_QUOTES.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(mapping: dict) -> str:
    """YAML for ``mapping``, one key after another, lines never folded."""
    return yaml.dump(mapping, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1 << 30)


def compose_file(front_matter: str, body: str) -> str:
    if not front_matter.endswith("\n"):
        front_matter += "\n"
    return f"---\n{front_matter}---\n\n{body}"
