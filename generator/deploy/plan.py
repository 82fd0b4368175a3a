"""Which months of paper pages leave the main site, and which volume takes each.

Sizes are those of the tar ``actions/upload-pages-artifact`` makes, computed
as ``generator/site/budget.py`` does (a 512-byte header a file and a
directory, data padded to 512 bytes). A month directory ``papers/<YYMM>/``
moves whole: the oldest months first (they change least, so a volume's
content stays the same from one deploy to the next), into the first volume
until it is full, then the next. The main site keeps everything else (home,
month listings, topics, the search index, feeds, assets).

A site that fits is left as it is. One that does not is planned to
``PLAN_FILL`` of the limit, not to the limit itself: a moved page's links
grow a little when they are pointed at the main site, and the split checks
every site's exact size afterwards.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from generator.archive.models import month_sort_key
from generator.config import Settings
from generator.errors import DeployError
from generator.site.budget import BLOCK, README_SECTION, artifact_members, artifact_size

PLAN_FILL = 0.95  # each site is planned to this share of the limit; checked at the limit after
MONTH = re.compile(r"^\d{2}(0[1-9]|1[0-2])$")  # papers/<YYMM>/: what an arXiv id's month can be
RUNNING = README_SECTION  # what a maintainer does, named in every error
MB = 1_000_000


@dataclass
class Volume:
    name: str
    path: str  # its base on the origin: /NAME/
    months: list[str] = field(default_factory=list)
    bytes: int = 0  # its artifact, as planned


@dataclass
class Plan:
    limit: int  # bytes one site's artifact may hold
    before: int  # the main site's artifact before the split
    main: int  # … and after it, as planned
    main_path: str  # the main site's base on the origin: /REPO/ (or / for a user site)
    origin: str  # scheme://host of the site_url
    volumes: list[Volume]

    @property
    def moved(self) -> dict[str, Volume]:
        """month → the volume that holds it."""
        return {month: volume for volume in self.volumes for month in volume.months}

    @property
    def fits(self) -> bool:
        return not self.moved


def site_paths(settings: Settings) -> tuple[str, str]:
    """(origin, the main site's base path) from site_url; a volume is /NAME/ on the same origin."""
    if not settings.site_url:
        raise DeployError(f"{settings.path or 'archive.yml'}: deploy.volumes needs site_url (the main site's "
                          "address: volumes are sites of the same owner beside it)")
    url = urlsplit(settings.site_url)
    path = url.path if url.path.endswith("/") else url.path + "/"
    if path.count("/") > 2:
        raise DeployError(f"{settings.path or 'archive.yml'}: site_url {settings.site_url} is not a GitHub Pages "
                          "site's address (https://OWNER.github.io/REPO/ or a domain's root): volumes sit beside "
                          "it at /NAME/")
    for name in settings.volumes:
        if f"/{name.lower()}/" == path.lower():
            raise DeployError(f"{settings.path or 'archive.yml'}: deploy.volumes: {name} is the main site's own "
                              "repository")
    return f"{url.scheme}://{url.netloc}", path


def month_costs(site: Path) -> tuple[int, int, dict[str, int]]:
    """(bytes of every member of the artifact, bytes of assets/, {month: bytes of papers/<month>/ and all in it})."""
    total, assets, months, directories = 0, 0, {}, set()
    for path, is_dir, _size, cost in artifact_members(site):
        total += cost
        parts = path.split("/")
        if parts[0] == "assets":
            assets += cost
        elif parts[0] == "papers" and len(parts) >= 2 and MONTH.match(parts[1]):
            months[parts[1]] = months.get(parts[1], 0) + cost
            if len(parts) == 2 and is_dir:
                directories.add(parts[1])
    return total, assets, {month: cost for month, cost in months.items() if month in directories}


def volume_overhead(site: Path, assets: int) -> int:
    """A volume's members but its months: its directory, papers/, assets/, .nojekyll, 404.html (and its map)."""
    not_found = Path(site) / "404.html"
    page = not_found.stat().st_size if not_found.exists() else 0
    return 3 * BLOCK + assets + BLOCK + (BLOCK + -(-(page + 4096) // BLOCK) * BLOCK)


def plan(site: Path, settings: Settings) -> Plan:
    """The split of ``site`` into the main site and ``settings.volumes``; a DeployError when they cannot hold it."""
    site = Path(site)
    origin, main_path = site_paths(settings) if settings.volumes else ("", "/")
    taken = [name for name in settings.volumes if main_path == "/" and (site / name).exists()]
    if taken:  # a main site at the origin's root: /NAME/ would be one of its own directories
        raise DeployError(f"{settings.path or 'archive.yml'}: deploy.volumes: {taken[0]} is a directory of the main "
                          f"site, which is at {settings.site_url}: name the volume otherwise")
    limit = int(settings.limit_mb * MB)
    total, assets, months = month_costs(site)
    volumes = [Volume(name, f"/{name}/") for name in settings.volumes]
    result = Plan(limit, artifact_size(total), artifact_size(total), main_path, origin, volumes)
    if result.before <= limit:
        return result
    if not volumes:
        raise DeployError(f"the Pages artifact is {result.before / MB:,.1f} MB, over the {limit / MB:,g} MB limit, "
                          f"and archive.yml names no volumes (deploy.volumes): see {RUNNING}")
    target = int(limit * PLAN_FILL)
    oldest_first = sorted(months, key=month_sort_key)
    moving, main = [], total
    for month in oldest_first:
        if artifact_size(main) <= target:
            break
        moving.append(month)
        main -= months[month]
    if artifact_size(main) > target:
        raise DeployError(f"the main site without any paper page is {artifact_size(main) / MB:,.1f} MB, over "
                          f"{PLAN_FILL:.0%} of the {limit / MB:,g} MB limit: volumes cannot help ({RUNNING})")
    result.main = artifact_size(main)
    _fill(volumes, moving, months, volume_overhead(site, assets), target, limit)
    return result


def _fill(volumes: list[Volume], moving: list[str], months: dict[str, int], overhead: int, target: int,
          limit: int) -> None:
    """Months, oldest first, into the first volume until the next would pass ``target``, then the next volume."""
    queue, index = list(moving), 0
    held = overhead
    while queue:
        month = queue[0]
        if artifact_size(overhead + months[month]) > target:
            raise DeployError(f"papers/{month}/ alone is {months[month] / MB:,.1f} MB: no volume under "
                              f"{PLAN_FILL:.0%} of the {limit / MB:,g} MB limit can hold it")
        if artifact_size(held + months[month]) <= target:
            volumes[index].months.append(queue.pop(0))
            held += months[month]
            volumes[index].bytes = artifact_size(held)
            continue
        index, held = index + 1, overhead
        if index == len(volumes):
            rest = sum(months[m] for m in queue)
            raise DeployError(f"the {len(volumes)} volume(s) in deploy.volumes cannot hold the rest: "
                              f"{len(queue)} more month(s) of paper pages, {rest / MB:,.1f} MB; add a repository "
                              f"to deploy.volumes in archive.yml ({RUNNING})")
    for volume in volumes:
        volume.bytes = volume.bytes or artifact_size(overhead)
