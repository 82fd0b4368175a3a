"""An archive's topics and curation at a git revision, read with git (no second checkout).

Only the files that differ between the revision and the working tree are
read from git (``git diff --name-only`` and the untracked files, then one
``git cat-file --batch``); every other paper is the working tree's own,
already parsed, so a revision costs the size of the change, not the archive.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.archive.models import Paper
from generator.archive.parse_cache import prefetch_files
from generator.archive.store import Archive, paper_from_text
from generator.archive.yamlcheck import display_path
from generator.curate.gold import GOLD_FILE, parse_gold
from generator.curate.review import Curation, Review, read_curation, review
from generator.curate.selection import old_listings
from generator.curate.topics import TOPICS_DIR, read_topic
from generator.errors import ArchiveError, CurationError, GitError
from generator.fileio import decode_utf8, read_utf8


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True)
    if done.returncode:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(" ".join(args[:2]), said[-1] if said else f"exit status {done.returncode}")
    return done.stdout


def toplevel(docs_dir: Path) -> Path:
    return Path(git(Path(docs_dir), "rev-parse", "--show-toplevel").decode().strip())


def default_base(root: Path, branch: str) -> str:
    """The merge base of HEAD with the archive's branch (``origin/<branch>``, else ``<branch>``)."""
    for ref in (f"origin/{branch}", branch):
        try:
            return git(root, "merge-base", "HEAD", ref).decode().strip()
        except GitError:
            continue
    raise GitError("merge-base", f"no branch '{branch}' or 'origin/{branch}' to compare with: give --diff REV")


def read_blobs(root: Path, objects: dict[str, str | None]) -> dict[str, str | None]:
    """Each path's text, from its object id (None: no such file at the revision, or not UTF-8), in one git process.

    ``git cat-file --batch`` is asked by object id alone, one a line: a path
    is never written to it, so no name (a line break in it, say) can shift
    its answers onto other files.
    """
    wanted = {path: oid for path, oid in objects.items() if oid}
    result: dict[str, str | None] = {path: None for path in objects}
    if not wanted:
        return result
    out = git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in wanted.values()).encode())
    pos = 0
    for path, oid in wanted.items():
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[0] == oid.encode() and header[1] == b"blob":
            size = int(header[2])
            try:
                result[path] = decode_utf8(out[pos:pos + size], path)
            except ArchiveError:  # `check` at that revision would have named it: left out, like a broken file
                pass
            pos += size + 1
        elif header != [oid.encode(), b"missing"]:  # the answers would be out of step with the questions
            raise GitError("cat-file --batch", f"an unexpected answer for object {oid}")
    return result


def _tree_objects(out: bytes) -> dict[str, str]:
    """path → object id, from ``git ls-tree -z`` (``<mode> <type> <oid>\\t<path>\\0``): blobs only."""
    found = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        info, _, name = entry.partition(b"\t")
        mode, kind, oid = info.split()
        if kind == b"blob":
            found[os.fsdecode(name)] = oid.decode()
    return found


def _changed_objects(out: bytes) -> dict[str, str | None]:
    """path → its object id at the revision (None where it had none), from ``git diff --raw -z --no-abbrev``.

    Each record is ``:<mode> <mode> <oid> <oid> <status>\\0<path>\\0``: names are NUL-separated, never parsed from lines.
    """
    found: dict[str, str | None] = {}
    fields = out.split(b"\0")
    for i in range(0, len(fields) - 1, 2):
        info, name = fields[i], fields[i + 1]
        if not info.startswith(b":"):
            break
        old_oid = info.split()[2].decode()
        found[os.fsdecode(name)] = None if not old_oid.strip("0") else old_oid
    return found


@dataclass
class State:
    """One side of a comparison: the review, and each topic file's text (for renames)."""

    review: Review
    topic_texts: dict[str, str] = field(default_factory=dict)  # slug → the file's text
    paper_paths: dict[str, str] = field(default_factory=dict)  # repo-relative path → paper id


def _papers(docs_dir: Path, cache=None) -> list[tuple[Path, Paper]]:
    files = []
    for path in Archive(docs_dir).paths():
        try:
            files.append((path, read_utf8(path)))
        except ArchiveError:  # `check` names it
            continue
    prefetch_files(cache, (text for _, text in files))
    papers = []
    for path, text in files:
        try:
            papers.append((path, paper_from_text(text, display_path(path), cache)))
        except ArchiveError:  # `check` names it; the report goes on without it
            continue
    return papers



def working_review(docs_dir: Path, cache=None) -> Review:
    """The working tree, read the way ``check`` and the build read it (a broken file is left out).

    ``cache``: a ``parse_cache.FrontMatterCache`` (the same papers, parsed faster).
    """
    return review(Path(docs_dir), _papers(Path(docs_dir), cache))


def working_state(docs_dir: Path, cache=None) -> State:
    docs_dir = Path(docs_dir)
    papers = _papers(docs_dir, cache)
    result = review(docs_dir, papers)
    root = toplevel(docs_dir)
    prefix = _prefix(docs_dir, root)
    texts = {t.slug: read_utf8(docs_dir / t.src_uri) for t in result.topics}  # as git gives them: CRs kept
    paths = {f"{prefix}papers/{_month_and_name(p)}": paper.id for p, paper in papers}
    return State(result, texts, paths)


def _month_and_name(path) -> str:
    """``<month>/<file>`` of a paper's path (string work: pathlib took 0.3 s at 30,000 papers)."""
    folder, name = os.path.split(os.fspath(path))
    return f"{os.path.basename(folder)}/{name}"


def _prefix(docs_dir: Path, root: Path) -> str:
    relative = os.path.relpath(Path(docs_dir).resolve(), root.resolve())
    return "" if relative == "." else PurePosixPath(Path(relative)).as_posix() + "/"


def revision_state(docs_dir: Path, rev: str, working: State, cache=None) -> State:
    root = toplevel(Path(docs_dir))
    prefix = _prefix(Path(docs_dir), root)
    git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    changed_at_rev = _changed_objects(git(root, "diff", "--raw", "-z", "--no-abbrev", "--no-renames", rev,
                                          "--", prefix or "."))
    changed = set(changed_at_rev) | set(_split(git(root, "ls-files", "--others", "--exclude-standard", "-z",
                                                   "--", prefix or ".")))
    topic_dir = f"{prefix}{TOPICS_DIR}/"
    topic_objects = {p: oid for p, oid in _tree_objects(git(root, "ls-tree", "-z", rev, "--", topic_dir)).items()
                     if p.endswith(".md") and "/" not in p[len(topic_dir):]
                     and not p.rsplit("/", 1)[-1].startswith(".")}
    topic_paths = sorted(topic_objects)
    paper_paths = sorted(p for p in changed if p.startswith(f"{prefix}papers/") and p.endswith(".md"))
    # an untracked file, or one added since the revision, has no object there
    blobs = read_blobs(root, {**topic_objects, **{p: changed_at_rev.get(p) for p in paper_paths}})

    topics, texts = [], {}
    same_text = {t.slug: t for t in working.review.topics if working.topic_texts.get(t.slug) is not None}
    for path in topic_paths:
        if blobs[path] is None:  # not UTF-8 there: `check` at the revision would have refused it
            continue
        topic = same_text.get(Path(path).stem)
        if topic is None or working.topic_texts[topic.slug] != blobs[path]:
            # the same text reads to the same topic: only an edited file is read (and sanitized) again
            topic, _ = read_topic(blobs[path], Path(path))
        if topic is not None:
            topics.append(topic)
            texts[topic.slug] = blobs[path]
    old = working.review
    by_id = {p.id: p for p in old.papers}
    papers = {pid: by_id[pid] for path, pid in working.paper_paths.items() if path not in changed}
    curations = {pid: c for pid, c in old.curations.items() if pid in papers}
    shared = dict(papers)  # the working tree's own paper objects, unchanged at the revision
    for path in paper_paths:
        text = blobs.get(path)
        if text is None:
            continue
        try:
            paper = paper_from_text(text, path, cache)
        except ArchiveError:
            continue
        papers[paper.id] = paper
        if paper.extra:
            curations[paper.id], _ = read_curation(text, path)
    result = Review(topics, curations, list(papers.values()), [], texts=old.texts,
                    gold=_gold_at(root, rev, prefix, {t.slug for t in topics}))
    if len(by_id) == len(old.papers):  # no id held twice: the shortcut's premise (see selection.py)
        same_model = result.model_key() == old.model_key()
        if same_model:
            result._model = old.model()  # made from the same examples: trained once
        result._listings = old_listings(topics, old.listings(), shared, papers, curations, old.texts,
                                        result.model(), same_model)
    return State(result, texts)


def _gold_at(root: Path, rev: str, prefix: str, known: set[str]) -> list:
    """The gold set at ``rev`` (beside the archive's folder)."""
    path = str(Path(prefix).parent / GOLD_FILE) if prefix else str(GOLD_FILE)
    objects = _tree_objects(git(root, "ls-tree", "-z", rev, "--", path))  # by object id, as every blob here
    text = read_blobs(root, {path: objects.get(path)}).get(path)
    if text is None:
        return []
    try:  # the same text as the working tree's: parsed once (gold.parse_gold)
        return parse_gold(text, f"{rev}:{path}", known)
    except CurationError:
        return []  # a broken gold set at the base: compared as none


def _split(out: bytes) -> list[str]:
    return [os.fsdecode(p) for p in out.split(b"\0") if p]  # as the file system names them (os.scandir)


def curation_fields(curation: Curation) -> dict:
    return {"headline": curation.headline, "summary": curation.summary, "note": curation.note,
            "topics": list(curation.topics), "featured": curation.featured}


__all__ = ["State", "working_state", "revision_state", "default_base", "curation_fields"]
