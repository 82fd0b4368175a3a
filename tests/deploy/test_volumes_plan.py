"""The split's plan: which months leave the main site, which volume takes each, and what it refuses."""
from __future__ import annotations

import pytest

from generator.config import Settings, load_settings
from generator.deploy.plan import MB, plan
from generator.deploy.volumes import split
from generator.errors import ConfigError, DeployError
from generator.site.budget import artifact_bytes

PAGE = 20_000  # bytes of a paper page: with its directory, 21,504 bytes of tar (42 blocks)


def make_site(root, months: dict[str, int], extra: int = 0):
    """A built site's shape: home, 404, assets, and ``n`` paper pages in each papers/<YYMM>/."""
    site = root / "site"
    for month, n in months.items():
        for i in range(n):
            page = site / "papers" / month / f"{month}.{i:05d}" / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f'<a href="../../../months/{month}/">x</a>' + "x" * PAGE)
    (site / "assets").mkdir(parents=True, exist_ok=True)
    (site / "assets" / "archive.css").write_text("body{}")
    (site / "index.html").write_text("<html><head></head><body>home</body></html>" + "h" * extra)
    (site / "404.html").write_text('<html><head><meta charset="utf-8"></head><body>Page not found</body></html>')
    return site


def settings(volumes=("vol-1", "vol-2"), limit_mb=1.0, site_url="https://owner.github.io/archive/"):
    return Settings(site_url=site_url, volumes=list(volumes), limit_mb=limit_mb)


def test_an_archive_that_fits_is_left_as_it_is(tmp_path):
    site = make_site(tmp_path, {"2401": 3, "2402": 3})
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = split(site, tmp_path / "volumes", settings(volumes=()))
    assert result.plan.fits and result.lines() == [
        "split: the Pages artifact is 0.1 MB, within the 1 MB limit: nothing moved"]
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not (tmp_path / "volumes").exists()


def test_the_oldest_months_move_until_the_main_site_is_under_the_limit(tmp_path):
    # 12 months of 8 pages (172 KB each): 2.1 MB; a 1 MB limit planned to 950 KB.
    months = {f"{yy}{mm:02d}": 8 for yy in ("23",) for mm in range(1, 13)}
    months["9912"] = 8  # December 1999 is older than any 23xx month: it goes first
    site = make_site(tmp_path, months)
    the_plan = plan(site, settings(limit_mb=1.0))
    moved = the_plan.moved
    assert list(moved)[0] == "9912" and "2312" not in moved
    order = ["9912"] + [f"23{m:02d}" for m in range(1, 13)]
    assert list(moved) == order[:len(moved)], "whole months, oldest first"
    assert the_plan.main <= 0.95 * MB < the_plan.main + 8 * 21_504 + 512, "no more than it takes"
    assert all(volume.bytes <= 0.95 * MB for volume in the_plan.volumes)
    assert [len(v.months) for v in the_plan.volumes] == [5, 3], "the first volume is filled before the next"


def test_the_split_sites_are_each_within_the_limit_as_measured(tmp_path):
    months = {f"23{mm:02d}": 8 for mm in range(1, 13)}
    site = make_site(tmp_path, months)
    result = split(site, tmp_path / "volumes", settings(limit_mb=1.0))
    assert artifact_bytes(site) == result.main <= MB
    for name in ("vol-1", "vol-2"):
        volume = tmp_path / "volumes" / name
        assert artifact_bytes(volume) == result.volumes[name] <= MB
        assert (volume / ".nojekyll").exists() and (volume / "404.html").exists()
        assert sorted(p.name for p in volume.iterdir()) == [".nojekyll", "404.html", "assets", "papers"]
    assert not (site / "papers" / "2301").exists() and (tmp_path / "volumes" / "vol-1" / "papers" / "2301").is_dir()
    # What tells the Publish workflow to push (its step's `if: hashFiles('volumes/volumes.txt')`), and what.
    assert (tmp_path / "volumes" / "volumes.txt").read_text().splitlines()[1:] == ["vol-1", "vol-2"]
    page = (tmp_path / "volumes" / "vol-1" / "papers" / "2301" / "2301.00000" / "index.html").read_text()
    assert page.startswith('<a href="/archive/months/2301/">'), "a moved page links the main site's listing"
    assert result.lines()[0].startswith("split: the Pages artifact was 2.1 MB, over the 1 MB limit; the main site is now")


def test_volumes_that_cannot_hold_the_rest_fail_with_one_clear_line(tmp_path):
    site = make_site(tmp_path, {f"23{mm:02d}": 8 for mm in range(1, 13)})
    with pytest.raises(DeployError) as error:
        plan(site, settings(volumes=["vol-1"], limit_mb=1.0))
    message = str(error.value)
    assert "the 1 volume(s) in deploy.volumes cannot hold the rest" in message and "\n" not in message
    assert "add a repository to deploy.volumes in archive.yml" in message


def test_a_site_over_the_limit_without_volumes_says_where_to_read(tmp_path):
    site = make_site(tmp_path, {"2401": 60})
    with pytest.raises(DeployError, match=r"archive.yml names no volumes \(deploy.volumes\): see docs/running.md"):
        split(site, tmp_path / "volumes", settings(volumes=()))
    assert (site / "papers" / "2401").is_dir(), "nothing moved"


def test_a_month_bigger_than_a_volume_is_an_error_not_a_half_split(tmp_path):
    site = make_site(tmp_path, {"2401": 60, "2402": 1})
    with pytest.raises(DeployError, match=r"papers/2401/ alone is 1.3 MB: no volume"):
        plan(site, settings(limit_mb=1.0))


def test_a_main_site_too_big_without_papers_is_an_error(tmp_path):
    site = make_site(tmp_path, {"2401": 2}, extra=2_000_000)
    with pytest.raises(DeployError, match="the main site without any paper page is 2.0 MB"):
        plan(site, settings(limit_mb=1.0))


def test_a_directory_that_is_not_a_month_never_moves(tmp_path):
    site = make_site(tmp_path, {f"23{mm:02d}": 8 for mm in range(1, 13)})
    for odd in ("2313", "23", "2300", "abcd", "..x"):  # no month 13 or 00; not four digits
        (site / "papers" / odd / "page").mkdir(parents=True)
        (site / "papers" / odd / "page" / "index.html").write_text("x" * 1000)
    (site / "papers" / "2399").write_text("a file, not a month's directory")
    moved = plan(site, settings(volumes=["vol-1", "vol-2", "vol-3"], limit_mb=1.0)).moved
    assert moved and not {"2313", "23", "2300", "abcd", "..x", "2399"} & set(moved)


def test_a_site_split_once_is_not_split_again(tmp_path):
    site = make_site(tmp_path, {f"23{mm:02d}": 8 for mm in range(1, 13)})
    split(site, tmp_path / "volumes", settings())
    with pytest.raises(DeployError, match="already split"):
        split(site, tmp_path / "volumes", settings())


def test_a_directory_the_split_did_not_write_is_never_emptied(tmp_path):
    site = make_site(tmp_path, {f"23{mm:02d}": 8 for mm in range(1, 13)})
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("a person's file")
    with pytest.raises(DeployError, match="was not written by a split"):
        split(site, mine, settings())
    assert (mine / "notes.txt").read_text() == "a person's file"
    with pytest.raises(DeployError, match="inside the site"):
        split(site, site / "volumes", settings())


@pytest.mark.parametrize("names, wrong", [
    ("[../main]", "../main"), ("[vol/1]", "vol/1"), ("[.hidden]", ".hidden"), ("[a.git]", "a.git"),
    ("[vol-1, VOL-1]", "VOL-1"), ("[vol 1]", "vol 1"), ("vol-1", "vol-1"), ("[1]", "1"),
])
def test_a_volume_name_that_is_no_repository_name_is_refused_with_its_line(tmp_path, names, wrong):
    config = tmp_path / "archive.yml"
    config.write_text(f"name: A\nsite_url: https://owner.github.io/archive/\ndeploy:\n  volumes: {names}\n")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert error.value.problems[0].startswith(f"{config}:4: deploy.volumes: must be a list of repository names")
    assert wrong in error.value.problems[0]


def test_the_deploy_section_is_read_and_checked(tmp_path):
    config = tmp_path / "archive.yml"
    config.write_text("name: A\ndeploy:\n  volumes: [arxiv-archive-1999, arxiv_2.b]\n  limit_mb: 900\n")
    read = load_settings(config)
    assert read.volumes == ["arxiv-archive-1999", "arxiv_2.b"] and read.limit_mb == 900
    assert load_settings(tmp_path / "absent.yml").volumes == []
    config.write_text("name: A\ndeploy:\n  limit_mb: 1001\n  volume: [x]\n")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert [p.split(": ")[1] for p in error.value.problems] == ["deploy.limit_mb", "deploy.volume"]


def test_a_volume_cannot_be_the_main_sites_repository_nor_sit_below_it(tmp_path):
    site = make_site(tmp_path, {f"23{mm:02d}": 8 for mm in range(1, 13)})
    with pytest.raises(DeployError, match="archive is the main site's own repository"):
        plan(site, settings(volumes=["archive"]))
    with pytest.raises(DeployError, match="is not a GitHub Pages site's address"):
        plan(site, settings(site_url="https://example.org/a/b/"))
    with pytest.raises(DeployError, match="deploy.volumes needs site_url"):
        plan(site, settings(site_url=None))
    with pytest.raises(DeployError, match="deploy.volumes: papers is a directory of the main site"):
        plan(site, settings(volumes=["vol-1", "papers"], site_url="https://archive.example.org/"))
    assert plan(site, settings(site_url="https://archive.example.org")).volumes[0].path == "/vol-1/"


def test_volumes_near_full_say_to_add_one(tmp_path):
    site = make_site(tmp_path, {f"23{mm:02d}": 8 for mm in range(1, 13)})
    full = split(site, tmp_path / "volumes", settings(volumes=["vol-1", "vol-2"], limit_mb=0.9))
    [warning] = full.warnings()
    assert warning.startswith("the main site and its 2 volume(s) hold 2 MB, 8")
    assert "add a repository to deploy.volumes in archive.yml before they are full" in warning
    roomy = make_site(tmp_path / "roomy", {f"23{mm:02d}": 8 for mm in range(1, 13)})
    assert split(roomy, tmp_path / "roomy" / "volumes", settings(volumes=["a", "b", "c", "d"], limit_mb=1.0)).warnings() == []


def test_a_build_with_volumes_named_says_the_split_comes_next_instead_of_warning(project):
    import synthetic
    synthetic.save(project.content, synthetic.entries(3))
    config = (project.root / "archive.yml").read_text()
    project.write_config(config + "deploy:\n  volumes: [vol-1]\n  limit_mb: 0.5\n")
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code == 0, result.output
    assert "build: archive.yml names 1 volume(s) in deploy.volumes: `make volumes` splits what passes 0.5 MB" \
        in result.output
    assert "warning: the Pages artifact" not in result.output


def test_a_site_still_over_the_limit_after_the_split_is_an_error(tmp_path, monkeypatch):
    """The plan leaves 5% for the links a move lengthens; should the sites still come out too big, no push."""
    from generator.deploy import volumes
    site = make_site(tmp_path, {f"23{mm:02d}": 8 for mm in range(1, 13)})
    monkeypatch.setattr(volumes, "artifact_bytes", lambda tree: 1_000_001 if tree == site else 10)
    with pytest.raises(DeployError, match=r"after the split the main site 1.0 MB: over the 1 MB limit; nothing is "
                                          r"deployed, and the site is left split: build it again"):
        split(site, tmp_path / "volumes", settings())
