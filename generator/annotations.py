"""GitHub Actions annotations: a problem shown on its file and line in a pull request.

Under GitHub Actions (``GITHUB_ACTIONS=true``) a line such as
``::error file=content/topics/x.md,line=7::message`` printed by a step becomes
an annotation on that line of the "Files changed" tab. Everywhere else the
plain ``path:line: message`` is printed. Escaping follows GitHub's
workflow-command rules (actions/toolkit, ``command.ts``): in the message
``%``, CR and LF; in a property, ``:`` and ``,`` as well.
"""
from __future__ import annotations

import os
from typing import Mapping

from generator.yamlcheck import Problem

LEVELS = ("error", "warning", "notice")


def in_github_actions(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, problem: Problem) -> str:
    """``::level file=PATH,line=N::message``: one line, whatever the message holds."""
    if level not in LEVELS:
        raise ValueError(f"no annotation level {level!r}")
    where = f"file={escape_property(problem.path.replace(os.sep, '/'))}"
    if problem.line:
        where += f",line={int(problem.line)}"
    return f"::{level} {where}::{escape_data(problem.message)}"


def report_line(level: str, problem: Problem | str, github: bool) -> str:
    """How ``check`` prints one problem: an annotation under Actions, else ``level: path:line: message``."""
    if github and isinstance(problem, Problem):
        return annotation(level, problem)
    return f"{level}: {problem}"
