"""Reading YAML that people write, node by node, so each problem names its line.

Curators write topic files and ``curation:`` blocks by hand. Loading them
with ``yaml.load`` would lose the line of a mistake and silently turn an
unquoted id such as ``2606.01840`` into the float ``2606.0184``; walking
the composed nodes keeps both the line and the text exactly as written.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field

import yaml

from generator.archive.frontmatter import LineCounter, SafeLoader, refusal

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"


def display_path(path) -> str:
    """A path as a person reads it: relative to the working directory when under it.

    Plain string work, no file system calls: the build names every paper this way.
    """
    text = os.fspath(path)
    if not os.path.isabs(text):
        return text
    cwd = os.getcwd()
    return text[len(cwd) + 1:] if text.startswith(cwd.rstrip(os.sep) + os.sep) else text


def name_problem(path) -> str | None:
    """What is wrong with the name of the file (or its folder) ``path``, if it holds a control character.

    A line break, another control, a bidirectional override or a line
    separator in a name shifts or hides what tools print about it; the
    message names the character, and the path is printed escaped (``logsafe``).
    """
    folder, name = os.path.split(os.fspath(path))
    for part in (os.path.basename(folder), name):
        bad = next((c for c in part if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs")), None)
        if bad is not None:
            return (f"the name '{part}' holds the character U+{ord(bad):04X} "
                    f"({unicodedata.name(bad, 'a control character')}): rename it")
    return None


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, printed as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Reader:
    """Checks the YAML of one file; ``first_line`` is the file line of the YAML's first line."""

    path: str
    first_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    _lines: LineCounter | None = field(default=None, repr=False)

    def line(self, node: yaml.Node) -> int:
        """The file line of ``node`` (of the text last composed)."""
        return self.first_line + (self._lines(node.start_mark) if self._lines else node.start_mark.line)

    def report(self, node: yaml.Node | None, message: str) -> None:
        line = self.line(node) if node is not None else self.first_line
        self.problems.append(Problem(self.path, line, message))

    def compose(self, text: str) -> yaml.Node | None:
        self._lines = LineCounter(text)
        refused = refusal(text)  # before composing: an alias bomb or deep nesting costs nothing
        if refused:
            self.problems.append(Problem(self.path, self.first_line + refused[0], refused[1]))
            return None
        try:
            return yaml.compose(text, Loader=SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = self.first_line + (self._lines(mark) if mark else 0)
            self.problems.append(Problem(self.path, line, f"malformed YAML: {error.problem or error}"))
        except yaml.YAMLError as error:
            self.problems.append(Problem(self.path, self.first_line, f"malformed YAML: {error}"))
        return None

    def mapping(self, node: yaml.Node, where: str, known: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """key → (key node, value node); reports a non-mapping, repeated keys and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"{where or 'the front matter'}: must be a mapping of keys to values")
            return {}
        items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            name = f"{where}.{key}" if where else key
            if key in items:  # YAML keeps the last one: the first would be lost without a word
                first = self.line(items[key][0])
                self.report(key_node, f"{name}: repeated key (first on line {first})")
            elif key not in known:
                self.report(key_node, f"{name}: unknown key (known: {', '.join(known)})")
            items[key] = (key_node, value_node)
        return {key: nodes for key, nodes in items.items() if key in known}

    def text(self, node: yaml.Node, where: str, one_line: bool = False) -> str | None:
        """A string (any scalar, as written); None and a report for anything else."""
        if not isinstance(node, yaml.ScalarNode) or node.tag in (_NULL, _BOOL):
            self.report(node, f"{where}: must be text, got {_describe(node)}")
            return None
        value = str(node.value)
        if not value.strip():
            self.report(node, f"{where}: is empty")
            return None
        if one_line and "\n" in value.strip():
            self.report(node, f"{where}: must be one line")
            return None
        return value.strip() if one_line else value

    def text_list(self, node: yaml.Node, where: str) -> list[tuple[str, yaml.Node]]:
        """A list of strings, each with its node (for its line); a bad item is reported and skipped."""
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"{where}: must be a list such as [a, b], got {_describe(node)}")
            return []
        result = []
        for item in node.value:
            value = self.text(item, f"{where} item", one_line=True)
            if value is not None:
                result.append((value, item))
        return result

    def flag(self, node: yaml.Node, where: str) -> bool | None:
        if not (isinstance(node, yaml.ScalarNode) and node.tag == _BOOL):
            self.report(node, f"{where}: must be true or false, got {_describe(node)}")
            return None
        return node.value.lower() in ("true", "yes", "on")  # YAML 1.1, as PyYAML resolves it


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    return repr(node.value)

