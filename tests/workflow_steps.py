"""Read the GitHub Actions workflows and run their steps here, the way a runner does.

GitHub runs a ``shell: bash`` step as ``bash --noprofile --norc -eo pipefail
FILE``, with the step's ``env:`` added and ``GITHUB_OUTPUT`` naming a file in
which the step writes its outputs as ``name=value`` lines.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")
COMMENT = re.compile(r"(?:^|\s)#.*")
SEPARATOR = re.compile(r"&&|\|\||[;|()`]")
TARGET = re.compile(r"^[A-Za-z][\w.-]*$")
MAKE_TARGET = re.compile(r"^([A-Za-z][\w.-]*)\s*:(?!=)", re.M)


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in workflow:  # YAML 1.1 reads the key `on` as the boolean true
        workflow["on"] = workflow.pop(True)
    return workflow


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def steps(workflow: dict, job: str | None = None) -> list[dict]:
    jobs = [workflow["jobs"][job]] if job else workflow["jobs"].values()
    return [step for each in jobs for step in each.get("steps", [])]


def step(workflow: dict, job: str, key: str) -> dict:
    """A step by its ``id``, or else by its ``name``."""
    for candidate in steps(workflow, job):
        if key in (candidate.get("id"), candidate.get("name")):
            return candidate
    raise KeyError(f"no step {key!r} in job {job!r}")


def shell_commands(script: str) -> list[list[str]]:
    """The simple commands of a script, as words: enough shell to find `make` (quotes and
    comments dropped, split at ; && || | ( ) and newlines)."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        code = COMMENT.sub("", QUOTED.sub("''", line))
        commands += [part.split() for part in SEPARATOR.split(code) if part.strip()]
    return commands


def make_targets_run(workflow: dict) -> list[str]:
    """Every ``make TARGET`` in the workflow's ``run:`` scripts, in job and step order."""
    targets = []
    for each in steps(workflow):
        for words in shell_commands(each.get("run", "")):
            if words[0] == "make":
                targets += [word for word in words[1:] if TARGET.match(word)]
    return targets


def makefile_targets() -> set[str]:
    return set(MAKE_TARGET.findall((REPO / "Makefile").read_text(encoding="utf-8")))


@dataclass
class StepRun:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str] = field(default_factory=dict)


def run_step(script: str, cwd: Path, runner_temp: Path, env: dict[str, str] | None = None) -> StepRun:
    """Run a ``run:`` script as GitHub's ``shell: bash`` does; returns what it printed and output."""
    runner_temp.mkdir(parents=True, exist_ok=True)
    script_file = runner_temp / "step.sh"
    script_file.write_text(script, encoding="utf-8")
    output_file = runner_temp / "github_output"
    output_file.write_text("", encoding="utf-8")
    environment = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output_file),
                   "GITHUB_REF_NAME": "main", "GITHUB_REPOSITORY": "example/archive", **(env or {})}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
                          cwd=cwd, env=environment, capture_output=True, text=True, timeout=60)
    outputs = dict(line.split("=", 1) for line in output_file.read_text(encoding="utf-8").splitlines() if "=" in line)
    return StepRun(done.returncode, done.stdout, done.stderr, outputs)
