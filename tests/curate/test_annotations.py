"""Under GitHub Actions, `check` prints each problem as an annotation on its file and line."""
import pytest

from generator.archive.yamlcheck import Problem
from generator.curate.annotations import annotation, escape_data, escape_property
from test_curation import add_papers, line_of, write
from test_introduction import HOSTILE

BROKEN = """\
---
title: Broken
description: A topic with two mistakes.
match:
  keywords: [consensus]
include: [2606.99999]
---

An introduction.
"""


@pytest.fixture
def broken(project, monkeypatch):
    """A project with a broken topic, run from its root as a workflow runs from the checkout."""
    monkeypatch.chdir(project.root)
    add_papers(project, "2606.00001")
    return project, write(project, "topics/broken.md", BROKEN)


def test_under_github_actions_a_broken_topic_is_an_error_annotation_on_its_file_and_line(broken, monkeypatch):
    project, path = broken
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = project.run("check")
    assert result.exit_code == 5
    line = line_of(path, "include:")
    assert result.stdout.splitlines() == [
        f"::error file=content/topics/broken.md,line={line}::include: 2606.99999 is not in the archive"]
    # GitHub shows 10 annotations of a kind per step: the log keeps every problem as path:line: message
    assert result.stderr == f"error: content/topics/broken.md:{line}: include: 2606.99999 is not in the archive\n"


def test_on_a_terminal_the_same_problem_stays_path_line_message(broken, monkeypatch):
    project, path = broken
    monkeypatch.setenv("GITHUB_ACTIONS", "false")  # only "true" means Actions
    result = project.run("check")
    assert result.exit_code == 5
    assert result.stderr == f"error: content/topics/broken.md:{line_of(path, 'include:')}: " \
                            "include: 2606.99999 is not in the archive\n"
    assert result.stdout == ""


def test_what_an_introduction_loses_is_a_warning_annotation_beside_the_errors(project, monkeypatch):
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    add_papers(project, "2606.00001")
    path = write(project, "topics/hostile.md", HOSTILE.replace("description: One sentence.", "descripton: typo"))
    result = project.run("check")
    assert result.exit_code == 5
    lines = result.stdout.splitlines()
    assert f"::warning file=content/topics/hostile.md,line={line_of(path, '<script')}::introduction: " \
           "<script> is removed with its content: it is not allowed in an introduction" in lines
    assert any(x.startswith(f"::error file=content/topics/hostile.md,line={line_of(path, 'descripton')}::descripton")
               for x in lines), lines
    assert all(x.startswith(("::warning file=", "::error file=")) for x in lines), lines


def test_only_warnings_pass_the_check_and_are_annotated(project, monkeypatch):
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    add_papers(project, "2606.00001")
    write(project, "topics/hostile.md", HOSTILE)
    result = project.run("check")
    assert result.exit_code == 0, result.output
    annotations = result.stdout.splitlines()[:-1]
    assert len(annotations) == 7 and all(x.startswith("::warning file=content/topics/hostile.md,line=")
                                         for x in annotations), result.stdout
    assert len(result.stderr.splitlines()) == 7  # and the plain warnings, for the log
    assert "no problems, 7 warnings" in result.stdout


def test_a_message_cannot_end_the_command_early_or_start_another():
    """A curator's text in a message (a slug, a link) is data: escaped as GitHub's toolkit escapes it."""
    problem = Problem("content/topics/a,b:c%.md", 3, "50% done\r\n::error::forged, here: yes")
    line = annotation(problem, "error")
    assert line == "::error file=content/topics/a%2Cb%3Ac%25.md,line=3::50%25 done%0D%0A::error::forged, here: yes"
    assert "\n" not in line and "\r" not in line
    assert escape_data("a:b,c") == "a:b,c" and escape_property("a:b,c") == "a%3Ab%2Cc"


def test_a_problem_without_a_line_names_the_file_only():
    assert annotation(Problem("content/x.md", 0, "m"), "warning") == "::warning file=content/x.md::m"
