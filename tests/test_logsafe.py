"""Feed and curator text printed by the CLI cannot command a CI runner.

GitHub's runner reads ``::command::`` at the start of a line (after spaces)
and ``##[command]`` anywhere in one. Text from a feed or a pull request that
holds a line break followed by either must stay inside its own line.
"""
import pytest

from generator.logsafe import log_line
from test_curation import add_papers, write

BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
COMMANDS = ["::add-mask::secret", "::warning file=x::owned", "  ::stop-commands::t",
            "::set-output name=x::y", "##[add-mask]secret", "##[set-output name=x;]y"]


def starts_a_command(line: str) -> bool:
    return line.lstrip().startswith("::") or "##[" in line


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_a_line_break_before_a_workflow_command_stays_in_its_line(brk, command):
    line = log_line(f"title{brk}{command}")
    assert len(line.splitlines()) == 1
    assert not starts_a_command(line)


@pytest.mark.parametrize("command", COMMANDS)
def test_text_that_is_a_workflow_command_alone_is_not_one(command):
    assert not starts_a_command(log_line(command))


def test_ordinary_text_is_printed_as_it_is():
    text = "2606.00001: Ümlaut, 漢字, tabs\tand $x^2$ stay"
    assert log_line(text) == text


def test_control_characters_are_shown_escaped_not_sent():
    assert log_line("a\x1b[31mred\x00") == "a\\e[31mred\\x00"


HOSTILE_INTRO = """\
---
title: Hostile
description: A topic whose introduction smuggles a command.
match:
  keywords: [consensus]
---

<script>
::add-mask::secret
</script>

<a href="javascript:alert(1)
::warning::owned">x</a>
"""


def test_check_warnings_about_a_hostile_introduction_start_no_command(project, monkeypatch):
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    add_papers(project, "2606.00001")
    write(project, "topics/hostile.md", HOSTILE_INTRO)
    result = project.run("check")
    assert "warning" in result.stderr
    ours = [line for line in result.output.splitlines() if line.startswith(("::warning file=", "::error file="))]
    assert all(line.startswith("::warning file=content/topics/hostile.md,line=") for line in ours), ours
    assert not [line for line in result.output.splitlines() if starts_a_command(line) and line not in ours]


def test_a_curation_problem_naming_hostile_text_prints_one_line(project):
    add_papers(project, "2606.00001")
    write(project, "topics/bad.md", "---\ntitle: Bad\ndescription: d\nmatch:\n  keywords: [x]\n"
                                    "include: [\"2606.99999\\n::add-mask::secret\"]\n---\n")
    result = project.run("check")
    assert result.exit_code != 0
    assert not [line for line in result.output.splitlines() if starts_a_command(line)], result.output


def test_the_build_prints_a_problem_naming_hostile_text_on_one_line(project):
    add_papers(project, "2606.00001")
    write(project, "topics/bad.md", "---\ntitle: Bad\ndescription: d\nmatch:\n  keywords: [x]\n"
                                    "include: [\"2606.99999\\n::add-mask::secret\"]\n---\n")
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code != 0
    assert not [line for line in result.output.splitlines() if starts_a_command(line)], result.output
