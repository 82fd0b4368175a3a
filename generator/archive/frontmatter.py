"""Markdown files with YAML front matter: split, parse, and rewrite in part.

A paper file's front matter mixes keys the harvest owns with keys people
write (``curation:``). ``top_level_blocks`` finds each top-level key's exact
source lines so a rewrite can keep a person's block byte for byte, comments
and quoting included, instead of re-dumping what was parsed.
"""
from __future__ import annotations

import bisect
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

# Bounds on what a person's front matter may ask of the parser (``refusal``). A real
# paper's front matter is a few kB and three levels deep; nothing a curator writes
# needs an anchor or an alias (``&a`` / ``*a``), which is how a few hundred bytes
# expand to gigabytes (an "alias bomb") or to a list that holds itself (``&n [*n]``).
MAX_FRONT_MATTER = 1 << 20  # characters
MAX_DEPTH = 50  # nested lists and mappings
# Anything that could nest deeper than a few levels, or name an anchor: only front
# matter with one of these is walked event by event (a harvested paper's has none).
# Without them flow collections nest at most one deep (two openers with no closer
# between), and block ones (each indented, or after an indicator, with no run of
# twelve spaces and no three indicators in a row) far less than MAX_DEPTH.
_TWO_OPENERS = re.compile(r"[\[{][^\]}]*[\[{]")
_INDICATORS = re.compile("[-?:][ \t]+[-?:][ \t]+[-?:](?:[ \t\r\x85\u2028\u2029]|$)", re.MULTILINE)


def _maybe_deep(text: str) -> bool:
    """Cheap scans (substring searches first) that are true of every front matter ``refusal`` must walk."""
    return ("&" in text or "*" in text or " " * 12 in text
            or (("[" in text or "{" in text) and _TWO_OPENERS.search(text) is not None)
            or _INDICATORS.search(text) is not None)


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


_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


class LineCounter:
    """The file line (0-based, counted at line feeds, as git, GitHub and ``check`` count) of a PyYAML mark.

    libyaml also breaks lines at CR, NEL and U+2028/9 (YAML 1.1), so its
    ``mark.line`` is the file's only where the text has none of them;
    elsewhere the line is found from ``mark.index``, a character offset.
    """

    def __init__(self, text: str):
        self._feeds = [m.start() for m in re.finditer("\n", text)] if _OTHER_BREAKS.search(text) else None

    def __call__(self, mark) -> int:
        return mark.line if self._feeds is None else bisect.bisect_left(self._feeds, mark.index)


def refusal(front_matter: str, limit: int = MAX_FRONT_MATTER, what: str = "the front matter") -> tuple[int, str] | None:
    """(0-based line, message) of what the parser is not asked to do, or None.

    Checked before any YAML is composed or constructed, so no front matter
    costs more than its size: too long, an anchor or alias, or lists and
    mappings nested more than ``MAX_DEPTH`` deep (PyYAML's recursive
    composer would end in a RecursionError, or in libyaml's a segfault).
    libyaml's event parser keeps its own stack, and the walk stops at the
    first refusal.
    """
    if len(front_matter) > limit:
        return 0, f"{what} is {len(front_matter):,} characters long, more than the {limit:,} allowed"
    if not _maybe_deep(front_matter):
        return None
    depth = 0
    line = LineCounter(front_matter)
    try:
        for event in yaml.parse(front_matter, Loader=SafeLoader):
            kind = type(event)
            if kind is yaml.AliasEvent:
                return line(event.start_mark), (f"YAML alias '*{event.anchor}': anchors and aliases "
                                                 "are not allowed here")
            if getattr(event, "anchor", None) is not None:
                return line(event.start_mark), (f"YAML anchor '&{event.anchor}': anchors and aliases "
                                                 "are not allowed here")
            if kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    return line(event.start_mark), f"lists and mappings nested more than {MAX_DEPTH} deep"
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                depth -= 1
    except yaml.YAMLError:
        return None  # malformed: the parse proper reports it, with its line
    return None


def load_yaml(front_matter: str, path) -> dict:
    refused = refusal(front_matter)
    if refused:
        raise PaperFileError(path, refused[0] + 2, refused[1])  # +1 for 1-based, +1 for the opening fence
    try:
        meta = yaml.load(front_matter, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = LineCounter(front_matter)(mark) + 2 if mark else None  # +1 for 1-based, +1 for the opening fence
        raise PaperFileError(path, line, f"malformed YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise PaperFileError(path, None, f"malformed YAML: {error}") from None
    except (ValueError, TypeError, AttributeError, OverflowError) as error:
        # a value PyYAML recognizes but cannot make: a 13th month, an integer of 5,000 digits
        raise PaperFileError(path, 2, f"malformed YAML: a value cannot be read ({error})") from None
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
