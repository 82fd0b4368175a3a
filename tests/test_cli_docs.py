"""The command reference (docs/commands.md) is the CLI's own --help, kept in sync; the README's quick start."""
import re

import pytest
from click.testing import CliRunner

from conftest import REPO
from generator.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")
REFERENCE = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")


def help_text(*command):
    result = CliRunner().invoke(cli, [*command, "--help"], prog_name="python -m generator")
    assert result.exit_code == 0
    return result.output.strip()


@pytest.mark.parametrize("command", [()] + [(name,) for name in cli.commands])
def test_the_reference_shows_the_current_help_of(command):
    text = help_text(*command)
    block = REFERENCE.split("<!-- cli-help:start -->", 1)[1].split("<!-- cli-help:end -->", 1)[0]
    assert text in block, (
        f"docs/commands.md is out of date for `python -m generator {' '.join(command)} --help`: run `make docs`")


def test_readme_quick_start_has_the_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^make (\w+)$", quick, re.M) == ["site", "test"]


def test_ci_runs_make_test():
    assert "make test" in (REPO / ".ci" / "run").read_text()
