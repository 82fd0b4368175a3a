"""Commit a harvest onto the branch as it is on the remote now, and push it.

A harvest runs for minutes to hours on the checkout it started from. Meanwhile
a curation pull request may merge, and change a paper the harvest also
changed. A textual rebase of the harvest's commit conflicts there (both sides
rewrote the front matter), so the harvest is landed by meaning instead: each
paper file the harvest changed has the harvest's machine-owned keys and
abstract re-applied onto the file as it is on the remote
(``store.reapply_harvest``), keeping every key a person wrote byte for byte.
A push refused because the branch moved again is redone from a new fetch, a
bounded number of times.

What wins where both sides changed a file:

- a paper file: the harvest's keys and abstract, the person's other keys (and
  a file holding a newer version than the harvest's is left as it is);
- a paper file a person deleted: it stays deleted (the person decided; should
  arXiv announce it again, a later harvest writes it again);
- ``content/.harvest-state.json``: the harvest's, whole (the file is the
  machine's; its runs are one at a time, so only a hand edit is lost);
- any other file: the person's (the harvest writes none).
"""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.archive.published import STATE_FILE
from generator.archive.store import reapply_harvest
from generator.errors import ArchiveError, PaperFileError

CONTENT = "content"
STATE = f"{CONTENT}/{STATE_FILE}"
PAPERS = f"{CONTENT}/papers/"


class LandError(ArchiveError):
    """The harvest could not be committed or pushed."""


@dataclass
class Landed:
    """What ``land`` did: the commit pushed (None: nothing to commit), and what it noticed."""

    commit: str | None
    attempts: int = 0
    notes: list[str] = field(default_factory=list)


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    if check and done.returncode:
        raise LandError(f"git {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done


def blob(repo: Path, commit: str, path: str) -> bytes | None:
    done = subprocess.run(["git", "cat-file", "blob", f"{commit}:{path}"], cwd=repo, capture_output=True)
    return done.stdout if done.returncode == 0 else None


def resolve(path: str, before: bytes | None, harvested: bytes | None, now: bytes | None,
            notes: list[str]) -> bytes | None:
    """The file to commit (None: no file), from the harvest's base, the harvest, and the remote now."""
    if now == before or now == harvested:
        return harvested  # only the harvest changed it (or both alike)
    if path == STATE:
        notes.append(f"{path}: changed on the remote meanwhile; the harvest's is kept")
        return harvested if harvested is not None else now
    if not (path.startswith(PAPERS) and path.endswith(".md")) or harvested is None:
        notes.append(f"{path}: changed on the remote meanwhile; that version is kept")
        return now
    if now is None:
        notes.append(f"{path}: deleted on the remote meanwhile; it stays deleted")
        return None
    try:
        return reapply_harvest(harvested.decode("utf-8"), now.decode("utf-8"), path).encode("utf-8")
    except (PaperFileError, UnicodeDecodeError) as error:
        notes.append(f"{path}: the remote's file cannot be read ({error}); it is kept as it is")
        return now


def reapply(repo: Path, base: str, harvest: str, tip: str, notes: list[str]) -> str | None:
    """A commit on ``tip`` holding the harvest's changes re-applied; None when nothing is left."""
    changed = git(repo, "diff", "--name-only", "--no-renames", "-z", base, harvest, "--", CONTENT).stdout
    git(repo, "checkout", "--quiet", "--force", "--detach", tip)
    for path in filter(None, changed.split("\0")):
        result = resolve(path, blob(repo, base, path), blob(repo, harvest, path), blob(repo, tip, path), notes)
        file = repo / path
        if result is None:
            file.unlink(missing_ok=True)
        else:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(result)
    git(repo, "add", "--all", "--", CONTENT)
    if git(repo, "diff", "--cached", "--quiet", check=False).returncode == 0:
        return None
    git(repo, "commit", "--quiet", "--no-verify", f"--reuse-message={harvest}")
    return git(repo, "rev-parse", "HEAD").stdout.strip()


def land(repo: Path, branch: str, message: str, *, remote: str = "origin", attempts: int = 5,
         wait: float = 3.0, say=print) -> Landed:
    """Commit ``content/`` as the harvest left it and push it onto ``remote``'s ``branch``.

    The harvest is committed on the checkout it ran on; when the remote branch
    has moved since, its changes are re-applied onto the remote's tip (see the
    module's docstring). A refused push is retried from a new fetch, after
    ``wait`` seconds times the attempt's number, ``attempts`` times in all.
    """
    repo = Path(repo)
    git(repo, "add", "--all", "--", CONTENT)
    if git(repo, "diff", "--cached", "--quiet", check=False).returncode == 0:
        say("Nothing new from arXiv: no commit.")
        return Landed(None)
    base = git(repo, "rev-parse", "HEAD").stdout.strip()
    git(repo, "commit", "--quiet", "--no-verify", "-m", message)
    harvest = git(repo, "rev-parse", "HEAD").stdout.strip()
    notes: list[str] = []
    refused = ""
    for attempt in range(1, attempts + 1):
        git(repo, "fetch", "--quiet", remote, f"refs/heads/{branch}")
        tip = git(repo, "rev-parse", "FETCH_HEAD").stdout.strip()
        if git(repo, "merge-base", "--is-ancestor", tip, harvest, check=False).returncode == 0:
            commit = harvest
        else:
            say(f"{branch} moved on the remote since the harvest began: re-applying the harvest onto "
                f"{tip[:12]}")
            commit = reapply(repo, base, harvest, tip, notes)
            if commit is None:
                for note in notes:
                    say(f"note: {note}")
                say(f"The harvest changes nothing on {branch} as it is now: no commit.")
                return Landed(None, attempt, notes)
        pushed = git(repo, "push", "--quiet", remote, f"{commit}:refs/heads/{branch}", check=False)
        if pushed.returncode == 0:
            for note in dict.fromkeys(notes):
                say(f"note: {note}")
            subject = git(repo, "log", "-1", "--format=%h: %s", commit).stdout.strip()
            say(f"Committed {subject}" + (f" (push attempt {attempt})" if attempt > 1 else ""))
            return Landed(commit, attempt, list(dict.fromkeys(notes)))
        refused = " ".join((pushed.stderr.strip() or pushed.stdout.strip()).split())
        say(f"push {attempt} of {attempts} refused: {refused}")
        if attempt < attempts:
            time.sleep(wait * attempt)
    raise LandError(f"the harvest could not be pushed to {branch}: refused {attempts} times, "
                    f"last: {refused} (the commit is {harvest[:12]} in this checkout)")
