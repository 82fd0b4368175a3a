"""A first run explains itself: what `make site` and `make test` install, and a missing browser said once."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO


def dry_run(target: str, tmp_path) -> str:
    """What ``make <target>`` would run on a fresh machine (a .venv that does not exist yet)."""
    result = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=REPO,
                            capture_output=True, text=True, check=True)
    return result.stdout


def test_make_site_installs_only_what_the_site_needs(tmp_path):
    commands = dry_run("site", tmp_path)
    assert "-r requirements.txt" in commands
    assert "requirements-test.txt" not in commands
    assert "-m generator build" in commands


def test_make_test_adds_the_test_tools(tmp_path):
    commands = dry_run("test", tmp_path)
    assert "-r requirements.txt" in commands and "-r requirements-test.txt" in commands
    assert commands.index("-r requirements.txt") < commands.index("-r requirements-test.txt")
    assert "-m pytest" in commands


def test_the_first_run_says_what_it_installs_before_it_does(tmp_path):
    lines = dry_run("test", tmp_path).splitlines()
    installs = [i for i, line in enumerate(lines) if "pip install" in line or "npm install" in line]
    said = [i for i, line in enumerate(lines) if 'echo "make:' in line]
    assert installs and said
    for install in installs:  # each install has its own line said just before it
        assert any(install - 3 <= s < install for s in said), lines[max(0, install - 3):install + 1]


def test_without_chromium_the_browser_tests_are_named_once_at_the_top(tmp_path):
    env = {**os.environ, "ARCHIVE_CHROMIUM": str(tmp_path / "no-chromium")}
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/search/test_search_reader.py",
                             "tests/test_layout.py::test_the_layout_test_catches_an_upward_import"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    out = result.stdout
    assert result.returncode == 0, out[-2000:]
    assert out.count("the browser tests are skipped") == 1
    assert out.index("the browser tests are skipped") < out.index("collected")
    assert "apt-get install chromium" in out
    assert "SKIPPED" not in out and " deselected" in out.splitlines()[-1]
    assert "1 passed" in out.splitlines()[-1]
