"""The Pages artifact's size and when the archive fills GitHub Pages' 1 GB (generator/site/budget.py)."""
import datetime
import re
import shutil
import subprocess

import pytest

import synthetic
from generator.site import budget as site_budget
from generator.site.budget import Budget, artifact_bytes, budget, monthly_growth, papers_by_month

TODAY = datetime.date(2026, 12, 3)


def _site(tmp_path, months: dict[str, int]):
    """A site with ``n`` paper pages of 100 bytes in each ``papers/<YYMM>/``."""
    site = tmp_path / "site"
    for month, n in months.items():
        for i in range(n):
            page = site / "papers" / month / f"{month}.{i:05d}" / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text("x" * 100)
    (site / "index.html").write_text("home")
    return site


@pytest.mark.skipif(not shutil.which("tar"), reason="needs GNU tar")
def test_the_artifact_size_is_gnu_tars_as_upload_pages_artifact_runs_it(tmp_path):
    site = _site(tmp_path, {"2601": 3})
    long_dir = site / ("a" * 90) / ("b" * 40)  # past tar's 100-byte name field: a GNU long-name member
    long_dir.mkdir(parents=True)
    (long_dir / "index.html").write_text("é" * 700)
    (site / "empty.txt").write_text("")
    (site / ".git").mkdir()  # left out, as the action does
    (site / ".git" / "big").write_bytes(b"0" * 100_000)
    tar = subprocess.run(["tar", "--dereference", "--hard-dereference", "--directory", str(site), "-cf", "-",
                          "--exclude=.git", "--exclude=.github", "."], capture_output=True, check=True).stdout
    assert artifact_bytes(site) == len(tar)
    assert len(tar) % 10240 == 0 and len(tar) < 100_000


def test_growth_is_papers_a_month_over_the_twelve_months_before_the_newest():
    counts = {"2412": 500, "2501": 10, "2506": 14, "2512": 12, "2601": 7}  # 2601 is still filling
    assert monthly_growth(counts) == ((10 + 14 + 12) / 12, 12)  # 2412 is 13 months back: outside
    assert monthly_growth({"2603": 4, "2605": 6, "2606": 1}) == ((4 + 6) / 3, 3)  # a young archive: its own span
    assert monthly_growth({"2606": 5}) == (5.0, 1)
    assert monthly_growth({}) == (0.0, 0)
    assert monthly_growth({"9912": 2, "0001": 1}) == (2.0, 1)  # across 2000


def test_the_site_is_counted_by_month_from_its_paper_pages(tmp_path):
    assert papers_by_month(_site(tmp_path, {"2605": 2, "2606": 3})) == {"2605": 2, "2606": 3}
    assert papers_by_month(tmp_path / "nothing") == {}


def test_the_line_says_the_size_and_when_1_gb_is_reached():
    # 20 KB a paper, 1,000 papers a month: 20 MB a month; 500 MB left fill in 25 months.
    report = Budget(artifact=500_000_000, papers=25_000, per_month=1000, months_measured=12, today=TODAY)
    assert report.months_left == pytest.approx(25)
    assert report.line() == ("build: Pages artifact 500.0 MB, 50% of GitHub Pages' 1 GB (20.0 KB a paper, "
                             "25,000 papers); at 1,000 papers a month over the last 12 months, "
                             "it reaches 1 GB in about 2 years (2029-01)")
    assert report.warnings() == []


def test_it_warns_from_80_percent_and_names_what_to_do():
    near = Budget(artifact=800_000_000, papers=40_000, per_month=1000, months_measured=12, today=TODAY)
    assert near.months_left == pytest.approx(10)
    [warning] = near.warnings()
    assert "800 MB, 80% of GitHub Pages' 1 GB limit" in warning and "in about 10 months (2027-10)" in warning
    assert 'docs/running.md, "When the archive outgrows one Pages site"' in warning
    assert Budget(799_999_999, 40_000, 1000, 12, TODAY).warnings() == []
    over = Budget(1_200_000_000, 40_000, 1000, 12, TODAY)
    assert "the deploy will fail" in over.line() and over.warnings()
    still = Budget(900_000_000, 40_000, 0, 12, TODAY)
    assert still.months_left is None and "has not grown lately" in still.warnings()[0]


def test_the_build_states_the_artifact_and_warns_near_the_limit(project, monkeypatch):
    synthetic.save(project.content, synthetic.entries(30, per_month=5))  # 2606 back to 2601, 5 a month
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code == 0, result.output
    line = re.search(r"^build: Pages artifact ([\d.]+) MB, (\d+)% of GitHub Pages' 1 GB \(([\d.]+) KB a paper, "
                     r"30 papers\); at 5 papers a month over the last 5 months, not within 100 years$", result.output, re.M)
    assert line, result.output
    size = artifact_bytes(project.site)
    assert float(line[1]) == round(size / 1e6, 1) and float(line[3]) == round(size / 30 / 1000, 1)
    assert "Pages artifact is" not in result.output

    # The same site against a limit it is 90% of: a warning, and under GitHub Actions an annotation.
    monkeypatch.setattr(site_budget, "LIMIT", int(size / 0.9))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code == 0, result.output
    assert re.search(r"^warning: the Pages artifact is \d+ MB, 90% of GitHub Pages' 1 GB limit; at 5 papers a month",
                     result.output, re.M), result.output
    assert re.search(r"^::warning::the Pages artifact is", result.output, re.M), result.output


def test_the_sample_archive_is_far_from_the_limit(sample_site):
    report = budget(sample_site, TODAY)
    assert 0 < report.fraction < 0.1 and report.papers >= 30 and not report.warnings()


def test_a_slow_growing_archive_gets_no_date_centuries_away():
    """The sample archive: 30 papers, one a year before its newest month; no "1 GB in 2,850 years (4877-05)"."""
    slow = Budget(artifact=1_800_000, papers=30, per_month=1 / 12, months_measured=12, today=datetime.date(2026, 12, 3))
    assert slow.reaches() == "at 0.1 papers a month over the last 12 months, not within 100 years"
    assert "reaches 1 GB" not in slow.line()
