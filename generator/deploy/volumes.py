"""Split the built site into the main site and its volumes, as ``plan`` says.

Each volume is written to ``<out>/<name>/`` (beside ``site/``), the tree its
repository's ``gh-pages`` branch publishes: the moved ``papers/<YYMM>/``
directories (the paper pages, their links pointed at the main site), a copy
of ``assets/``, ``404.html`` (the main site's, sending any address the volume
does not hold back to the main site) and ``.nojekyll`` (GitHub Pages would
otherwise run Jekyll over it), nothing else. The main site's 404.html sends
an address under a moved month to its volume. Its sitemap is left as it
is: it lists no paper page (their canonical page is arXiv's), and a sitemap
may only list addresses under its own.

Every configured volume is written, also one that holds nothing (the
archive fits, or does not need it yet): what it published before must not
linger with stale pages, and a link to it still reaches the main site.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Settings
from generator.deploy.links import MARKER, SCRIPT, Sites, add_redirect, rewrite_page
from generator.deploy.plan import MB, PLAN_FILL, RUNNING, Plan, plan
from generator.errors import DeployError
from generator.fileio import read_utf8, write_atomic
from generator.site.budget import WARN_AT, artifact_bytes

# In <out>/: the split wrote this directory and may empty it; the Publish workflow pushes volumes when it is there.
OWNED = "volumes.txt"


@dataclass
class Split:
    plan: Plan
    main: int  # the main site's artifact after the split, measured
    volumes: dict[str, int] = field(default_factory=dict)  # name → its artifact, measured
    pages: int = 0  # paper pages moved

    def lines(self) -> list[str]:
        limit = f"{self.plan.limit / MB:,g} MB"
        if self.plan.fits:
            said = f"split: the Pages artifact is {self.plan.before / MB:,.1f} MB, within the {limit} limit: nothing moved"
            if self.volumes:
                said += f"; the {len(self.volumes)} volume(s) in deploy.volumes hold only a redirect to the main site"
            return [said]
        lines = [f"split: the Pages artifact was {self.plan.before / MB:,.1f} MB, over the {limit} limit; "
                 f"the main site is now {self.main / MB:,.1f} MB"]
        for volume in self.plan.volumes:
            months = f"papers/{volume.months[0]}/ to papers/{volume.months[-1]}/" if volume.months else "no month"
            lines.append(f"split: volume {volume.name} ({volume.path}): {self.volumes[volume.name] / MB:,.1f} MB, "
                         f"{len(volume.months)} month(s), {months}")
        lines.append(f"split: {self.pages:,} paper pages moved")
        return lines

    def warnings(self) -> list[str]:
        """From WARN_AT of what the main site and its volumes can hold: time to name another volume."""
        if not self.volumes:
            return []
        used = self.main + sum(self.volumes.values())
        room = self.plan.limit * PLAN_FILL * (1 + len(self.volumes))
        if used < WARN_AT * room:
            return []
        return [f"the main site and its {len(self.volumes)} volume(s) hold {used / MB:,.0f} MB, {used / room:.0%} "
                f"of the {room / MB:,.0f} MB they can hold; add a repository to deploy.volumes in archive.yml "
                f"before they are full ({RUNNING})"]


def split(site: Path, out: Path, settings: Settings) -> Split:
    """Move what does not fit out of ``site`` into volumes under ``out``; a DeployError when it cannot."""
    site, out = Path(site), Path(out)
    not_found = site / "404.html"
    if not (site / "index.html").exists() or not not_found.exists():
        raise DeployError(f"{site}: no built site (index.html and 404.html): run `make site` first")
    if MARKER in read_utf8(not_found):
        raise DeployError(f"{site}: already split (its 404.html sends addresses to volumes): build it again first")
    the_plan = plan(site, settings)
    _prepare(out, site, the_plan)
    if the_plan.fits and not the_plan.volumes:
        return Split(the_plan, the_plan.before)
    sites = Sites(the_plan.main_path, {month: volume.path for month, volume in the_plan.moved.items()})
    original_404 = read_utf8(not_found)
    # The redirect's script, in the assets of every site (the volumes copy the main site's assets/).
    write_atomic(site / SCRIPT, (Path(__file__).parent / "volumes.js").read_bytes())
    pages = 0
    for volume in the_plan.volumes:
        pages += _write_volume(site, out / volume.name, volume.months, volume.path, sites, original_404)
    if not the_plan.fits:  # a site that fits keeps its 404 page as it was
        write_atomic(not_found, add_redirect(original_404, sites.main, sites))
        _rewrite_listings(site, sites)
    result = Split(the_plan, artifact_bytes(site), {v.name: artifact_bytes(out / v.name) for v in the_plan.volumes},
                   pages)
    _check(result)
    return result


def _prepare(out: Path, site: Path, the_plan: Plan) -> None:
    """An empty ``out`` (one the split wrote before is emptied; anything else there is refused)."""
    if out.resolve() == site.resolve() or site.resolve() in out.resolve().parents:
        raise DeployError(f"{out}: the volumes cannot go inside the site they are split from")
    if out.exists():
        if any(out.iterdir()) and not (out / OWNED).exists():
            raise DeployError(f"{out}: exists and was not written by a split; move it away or name another "
                              "directory (--out)")
        shutil.rmtree(out)
    if the_plan.volumes:
        out.mkdir(parents=True)
        (out / OWNED).write_text("Written by `python -m generator volumes` (emptied at each split); its volumes:\n"
                                 + "".join(f"{volume.name}\n" for volume in the_plan.volumes), encoding="utf-8")


def _write_volume(site: Path, root: Path, months: list[str], here: str, sites: Sites, not_found: str) -> int:
    """One volume's tree: its months (moved, their links rewritten), assets, 404.html, .nojekyll; pages moved."""
    (root / "papers").mkdir(parents=True)
    if (site / "assets").is_dir():
        shutil.copytree(site / "assets", root / "assets")
    (root / ".nojekyll").write_bytes(b"")
    write_atomic(root / "404.html", add_redirect(not_found, here, sites))
    pages = 0
    for month in months:
        target = root / "papers" / month
        shutil.move(site / "papers" / month, target)  # a rename on one file system
        for folder, _dirs, files in os.walk(target):
            for name in files:
                if name.endswith(".html"):
                    path = Path(folder) / name
                    _rewrite(path, path.relative_to(root).as_posix(), here, sites)
                    pages += name == "index.html"
    return pages


def _rewrite_listings(site: Path, sites: Sites) -> None:
    """The main site's own pages but its papers (home, month and topic listings, the library) link a moved
    paper where it is now, not through the 404 page's redirect. (The main site's paper pages, whose related
    papers may be moved ones, and the search index's results still go through it.)"""
    for folder, dirs, files in os.walk(site):
        here = Path(folder).relative_to(site)
        if here == Path("."):
            dirs[:] = [d for d in dirs if d not in {"papers", "assets"} and not d.startswith("pagefind")]
        for name in files:
            if name.endswith(".html") and not (here == Path(".") and name == "404.html"):
                _rewrite(Path(folder) / name, (here / name).as_posix(), sites.main, sites)


def _rewrite(path: Path, page: str, here: str, sites: Sites) -> None:
    """The page at ``path`` (``page`` in the site at ``here``) with its links pointed at the sites holding them."""
    text = read_utf8(path)
    new = rewrite_page(text, page, here, sites)
    if new != text:  # built output: a crash means a new build, so no fsync a page
        write_atomic(path, new, durable=False)


def _check(result: Split) -> None:
    """Each site's exact artifact within the limit (the plan left headroom for the rewritten links)."""
    over = [("the main site", result.main)] if result.main > result.plan.limit else []
    over += [(f"volume {name}", size) for name, size in result.volumes.items() if size > result.plan.limit]
    if over:
        sizes = ", ".join(f"{what} {size / MB:,.1f} MB" for what, size in over)
        raise DeployError(f"after the split {sizes}: over the {result.plan.limit / MB:,g} MB limit; nothing is "
                          f"deployed, and the site is left split: build it again ({RUNNING})")
