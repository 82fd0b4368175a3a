"""A harvest killed midway (SIGKILL: no cleanup runs) and run again leaves the
archive an uninterrupted run leaves: the same bytes, no temporary file, no duplicate."""
import os
import signal
import subprocess
import sys

import pytest

from arxiv_server import ArxivServer
from conftest import REPO, Project
from test_faults import config, watermarked
from test_harvest import entries

PAPERS, PAGE = 7, 2  # 4 pages; 7 paper files, then the state file twice (watermark, counts): 9 renames

# Runs the CLI in a child that SIGKILLs itself on its Nth rename: the new
# file is written and synced beside the old one, but not yet in place.
KILL_ON_RENAME = """
import os, signal, sys
calls, real = [0], os.replace
def replace(src, dst):
    calls[0] += 1
    if calls[0] == int(os.environ["KILL_ON_RENAME"]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
os.replace = replace  # this child only
from generator.cli import main
sys.argv = ["generator", *sys.argv[1:]]
main()
"""


def snapshot(project: Project) -> dict[str, bytes]:
    return {str(p.relative_to(project.content)): p.read_bytes()
            for p in sorted(project.content.rglob("*")) if p.is_file() and "assets" not in p.parts}


def child(project: Project, server: ArxivServer, kill_on_rename: int | None = None) -> subprocess.Popen:
    args = ["--config", str(project.root / "archive.yml"), "--content", str(project.content),
            "harvest", "--api-url", server.url, "--page-size", str(PAGE)]
    if kill_on_rename:
        command = [sys.executable, "-c", KILL_ON_RENAME, *args]
    else:
        command = [sys.executable, "-m", "generator", *args]
    env = {**os.environ, "KILL_ON_RENAME": str(kill_on_rename or 0)}
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("whole"), config())
    with ArxivServer(entries(PAPERS)) as server:
        result = project.run("harvest", "--api-url", server.url, "--page-size", str(PAGE))
    assert result.exit_code == 0, result.output
    files = snapshot(project)
    assert len([f for f in files if f.startswith("papers/")]) == PAPERS and ".harvest-state.json" in files
    return files


def rerun_and_compare(project: Project, server: ArxivServer, uninterrupted: dict) -> None:
    result = project.run("harvest", "--api-url", server.url, "--page-size", str(PAGE))
    assert result.exit_code == 0, result.output
    assert snapshot(project) == uninterrupted
    assert not [p for p in project.content.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("killed_at_request", [2, 3, 4])
def test_killed_between_pages_then_rerun_is_the_uninterrupted_archive(tmp_path, uninterrupted, killed_at_request):
    project = Project(tmp_path, config())
    with ArxivServer(entries(PAPERS)) as server:
        process = None

        def kill():
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)

        server.scripted = [None] * (killed_at_request - 1) + [kill]
        process = child(project, server)
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
        assert not watermarked(project.content)  # that run never completed
        rerun_and_compare(project, server, uninterrupted)


@pytest.mark.parametrize("rename", [1, 4, 8, 9])  # the first paper, one on page 2, the state file twice
def test_killed_in_the_middle_of_a_write_then_rerun_is_the_uninterrupted_archive(tmp_path, uninterrupted, rename):
    project = Project(tmp_path, config())
    with ArxivServer(entries(PAPERS)) as server:
        process = child(project, server, kill_on_rename=rename)
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()
        leftovers = [p for p in project.content.rglob("*") if p.name.endswith(".tmp")]
        assert len(leftovers) == 1  # the half-done write, never in the file's place
        assert all(not f.endswith(".tmp") for f in snapshot(project) if f in uninterrupted)
        rerun_and_compare(project, server, uninterrupted)


def test_two_harvests_never_run_at_once_on_one_archive(project):
    import fcntl
    fd = os.open(project.content, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running harvest holds it
        with ArxivServer(entries(1)) as server:
            result = project.run("harvest", "--api-url", server.url)
        assert result.exit_code == 3 and "another harvest is running" in result.stderr
        assert project.paper_files() == {} and server.requests == []
    finally:
        os.close(fd)
