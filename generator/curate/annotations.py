"""``check`` problems as GitHub workflow commands, shown on the file and line in a pull request.

GitHub's rules (actions/toolkit, ``command.ts``): in the message ``%``,
``\\r`` and ``\\n`` are percent-encoded; in a property value ``:`` and ``,``
are too.
"""
from __future__ import annotations

import os
import re

_PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.*)$", re.S)


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem, level: str = "error") -> str:
    """``path:line: message`` → ``::error file=path,line=N::message`` (no file: a plain annotation).

    ``problem`` is a ``yamlcheck.Problem`` (its path and line are used as they are) or its text.
    """
    if hasattr(problem, "path") and hasattr(problem, "line"):
        where = f"file={escape_property(str(problem.path))}" + (f",line={int(problem.line)}" if problem.line else "")
        return f"::{level} {where}::{escape_data(problem.message)}"
    found = _PROBLEM.match(str(problem))
    if not found:
        return f"::{level}::{escape_data(problem)}"
    return (f"::{level} file={escape_property(found['path'])},line={found['line']}::"
            f"{escape_data(found['message'])}")
