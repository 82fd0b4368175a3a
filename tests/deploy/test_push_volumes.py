"""The Publish workflow's volume steps: `make volumes` after the build, then each volume pushed to its
repository's gh-pages branch (scripts/push_volumes.sh), run here as a runner runs it against local
bare repositories."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from workflow_steps import load, run_step, step, steps

PUBLISH = load("publish.yml")
PUSH = step(PUBLISH, "site", "Push the volumes")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(cwd / ".no-gitconfig")}
    env.pop("GIT_DIR", None)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def origin(tmp_path):
    """Two volume repositories on a local 'GitHub' (bare, taking filtered fetches as GitHub does) and a
    checkout whose volumes/ holds what `make volumes` writes."""
    if not shutil.which("git"):
        pytest.skip("git is needed")
    for name in ("vol-1", "vol-2"):
        git(tmp_path, "init", "--quiet", "--bare", f"{name}.git")
        git(tmp_path / f"{name}.git", "config", "uploadpack.allowFilter", "true")
        git(tmp_path / f"{name}.git", "config", "receive.unpackLimit", "100000")  # objects stay loose: countable
    work = tmp_path / "work"
    for name, months in (("vol-1", ["2301", "2302"]), ("vol-2", [])):
        volume = work / "volumes" / name
        (volume / "assets").mkdir(parents=True)
        (volume / "assets" / "archive.css").write_text("body{}")
        (volume / ".nojekyll").write_text("")
        (volume / "404.html").write_text(f"<html><head></head><body>404 of {name}</body></html>")
        for month in months:
            for i in range(20):
                page = volume / "papers" / month / f"{month}.{i:05d}" / "index.html"
                page.parent.mkdir(parents=True)
                page.write_text(f"<h1>Paper {month}.{i:05d}</h1>")
    (work / "volumes" / "volumes.txt").write_text("written by a split\n")
    return tmp_path, work


def push(root: Path, work: Path, **env: str):
    environment = {"VOLUMES_REMOTE": f"file://{root}/{{name}}.git", "GITHUB_SHA": "0123abc",
                   "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(root / ".no-gitconfig"), **env}
    shutil.copytree(REPO / "scripts", work / "scripts", dirs_exist_ok=True)
    return run_step(PUSH["run"], work, root / "runner-temp", environment)


def tree(root: Path, name: str) -> list[str]:
    return sorted(git(root / f"{name}.git", "ls-tree", "-r", "--name-only", "gh-pages").splitlines())


def loose_objects(root: Path, name: str) -> int:
    return int(git(root / f"{name}.git", "count-objects").split()[0])


def test_each_volume_is_pushed_as_one_commit_holding_exactly_its_files(origin):
    root, work = origin
    result = push(root, work)
    assert result.returncode == 0, result.stderr
    assert "volumes: pushed vol-1 (43 files) to gh-pages" in result.stdout
    assert "volumes: pushed vol-2 (3 files) to gh-pages" in result.stdout
    assert tree(root, "vol-2") == [".nojekyll", "404.html", "assets/archive.css"]
    assert len(tree(root, "vol-1")) == 43 and "papers/2302/2302.00019/index.html" in tree(root, "vol-1")
    log = git(root / "vol-1.git", "log", "--format=%an|%s", "gh-pages").splitlines()
    assert log == ["github-actions[bot]|Volume vol-1: 43 files, from example/archive@0123abc"]
    assert not (work / "volumes" / "vol-1" / ".git").exists(), "the volume's tree is left as it was written"


def test_the_next_push_replaces_the_branch_and_sends_only_what_changed(origin):
    root, work = origin
    assert push(root, work).returncode == 0
    first = git(root / "vol-1.git", "rev-parse", "gh-pages")
    before = loose_objects(root, "vol-1")
    page = work / "volumes" / "vol-1" / "papers" / "2302" / "2302.00003" / "index.html"
    page.write_text("<h1>Paper 2302.00003, revised</h1>")
    shutil.rmtree(work / "volumes" / "vol-1" / "papers" / "2301")  # a month moved on to the next volume
    result = push(root, work)
    assert result.returncode == 0, result.stderr
    assert f"replacing {first[:7]}" in result.stdout
    assert git(root / "vol-1.git", "rev-list", "--count", "gh-pages") == "1", "history does not grow"
    assert "papers/2301/2301.00000/index.html" not in tree(root, "vol-1")
    # The page's blob, its four directories' trees, the root's and the commit: not the 40 other pages.
    assert loose_objects(root, "vol-1") - before <= 7


def test_without_volumes_nothing_is_pushed_and_the_step_is_skipped(origin):
    root, work = origin
    shutil.rmtree(work / "volumes")
    result = push(root, work)
    assert result.returncode == 0 and result.stdout.strip() == "volumes: none to push (archive.yml names no deploy.volumes)"
    assert PUSH["if"] == "hashFiles('volumes/volumes.txt') != ''"


def test_without_the_token_an_https_push_fails_with_one_clear_line(origin):
    root, work = origin
    result = push(root, work, VOLUMES_REMOTE="https://github.com/example/{name}.git", VOLUMES_TOKEN="")
    assert result.returncode == 1
    assert result.stdout.startswith("::error title=No token for the volumes::the repository secret VOLUMES_TOKEN "
                                    "is not set: the 2 volume(s) cannot be pushed")


def test_a_directory_that_is_no_repository_name_is_not_pushed(origin):
    root, work = origin
    (work / "volumes" / "a b").mkdir()
    result = push(root, work)
    assert result.returncode == 1 and "volumes/a b: not a repository name" in result.stderr


def test_the_volumes_are_pushed_after_the_build_and_before_the_main_site_deploys():
    names = [each.get("name") or each.get("uses", "").split("@")[0] for each in steps(PUBLISH, "site")]
    assert names.index("make site") < names.index("make volumes") < names.index("Push the volumes") \
        < names.index("actions/upload-pages-artifact") < names.index("actions/deploy-pages")
    assert PUSH["env"] == {"VOLUMES_TOKEN": "${{ secrets.VOLUMES_TOKEN }}",
                           "VOLUMES_REMOTE": "https://github.com/${{ github.repository_owner }}/{name}.git"}
    assert step(PUBLISH, "site", "make volumes")["run"] == "make volumes"
