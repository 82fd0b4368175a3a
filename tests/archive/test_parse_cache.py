"""The front-matter cache behind `topics`: never stale, never trusted when foreign, never committed."""
from __future__ import annotations

import datetime
import json
import os
import subprocess
from pathlib import Path

import pytest

from generator.archive import frontmatter
from generator.archive.parse_cache import FrontMatterCache, cache_path
from generator.archive.store import Archive
from test_curation import write
from test_store import make_paper
from test_topics_report import GOSSIP

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def archive(project):
    store = Archive(project.content)
    for n, text in {1: "A gossip protocol.", 2: "Rumor mongering.", 3: "Gossip and consensus."}.items():
        store.save(make_paper(id=f"2606.0000{n}", published=f"2026-06-0{n}T10:00:00Z", title=f"Paper {n}",
                              abstract=text))
    write(project, "topics/gossip.md", GOSSIP)
    return project


def _report(project) -> str:
    result = project.run("topics", "--format", "json", "--count", "0")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_second_run_reads_the_cache_and_reports_the_same(archive, monkeypatch):
    first = _report(archive)
    stored = cache_path(archive.root)
    assert stored.is_file()
    assert len(json.loads(stored.read_text())["entries"]) == 3
    monkeypatch.setattr(frontmatter, "load_yaml", lambda *a: pytest.fail("parsed again despite the cache"))
    assert _report(archive) == first


def test_an_edited_file_is_parsed_again_never_answered_from_the_cache(archive):
    _report(archive)
    path = Archive(archive.content).path_for("2606.00002")
    # the same size, the same modification time: only the content tells the edit apart
    stat = path.stat()
    path.write_text(path.read_text().replace("title: Paper 2", "title: Paper 9"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    report = json.loads(_report(archive))
    assert report["untopiced"]["newest"]["title"] == "Paper 9"


@pytest.mark.parametrize("content", [b"\x00\xff not json", b"[1, 2, 3]", b'{"version": "0/other", "entries": {}}',
                                     b"{\"version\": \"%s\", \"entries\": []}"])
def test_a_corrupt_or_foreign_cache_file_is_ignored_and_replaced(archive, content):
    expected = _report(archive)
    stored = cache_path(archive.root)
    if b"%s" in content:
        content = content.replace(b"%s", FrontMatterCache(None).version.encode())
    stored.write_bytes(content)
    assert _report(archive) == expected
    assert json.loads(stored.read_text())["version"] == FrontMatterCache(None).version


def test_an_entry_that_is_not_a_mapping_is_not_used(tmp_path):
    front = "id: '2606.00001'\ntitle: T\n"
    cache = FrontMatterCache(tmp_path / "c.json")
    cache.meta(front, "p")
    cache.save()
    data = json.loads((tmp_path / "c.json").read_text())
    data["entries"] = {key: ["not", "a", "mapping"] for key in data["entries"]}
    (tmp_path / "c.json").write_text(json.dumps(data))
    again = FrontMatterCache(tmp_path / "c.json")
    assert again.meta(front, "p") == {"id": "2606.00001", "title": "T"} and again.misses == 1


def test_values_json_cannot_give_back_exactly_are_parsed_every_time(tmp_path):
    cache = FrontMatterCache(tmp_path / "c.json")
    dated = "published: 2026-06-01\n"
    assert cache.meta(dated, "p") == {"published": datetime.date(2026, 6, 1)}
    numbers = "1: one\nversion: 1.0\n"  # an int key would come back a string
    assert cache.meta(numbers, "p") == {1: "one", "version": 1.0}
    pairs, nan = "links: !!pairs [a: 1]\n", "score: .nan\n"
    assert cache.meta(pairs, "p") == {"links": [("a", 1)]}
    accented = "title: Façade — “quoted”\n"
    assert cache.meta(accented, "p") == {"title": "Façade — “quoted”"}
    cache.meta(nan, "p")
    cache.save()
    again = FrontMatterCache(tmp_path / "c.json")
    assert again.meta(dated, "p") == {"published": datetime.date(2026, 6, 1)}
    assert type(again.meta(numbers, "p")["version"]) is float
    assert type(again.meta(pairs, "p")["links"][0]) is tuple
    assert again.meta(nan, "p")["score"] != again.meta(nan, "p")["score"]
    assert again.hits == 0
    assert again.meta(accented, "p") == {"title": "Façade — “quoted”"} and again.hits == 1


def test_bad_yaml_is_never_cached_and_fails_the_same_way(tmp_path):
    from generator.errors import PaperFileError
    cache = FrontMatterCache(tmp_path / "c.json")
    for _ in range(2):
        with pytest.raises(PaperFileError, match="malformed YAML"):
            cache.meta("title: [unclosed\n", "p")
    cache.save()
    assert not (tmp_path / "c.json").exists() or json.loads((tmp_path / "c.json").read_text())["entries"] == {}


def test_a_change_to_the_parsing_code_empties_the_cache(tmp_path, monkeypatch):
    cache = FrontMatterCache(tmp_path / "c.json")
    cache.meta("title: T\n", "p")
    cache.save()
    monkeypatch.setattr("generator.archive.parse_cache.FORMAT", 999)
    again = FrontMatterCache(tmp_path / "c.json")
    assert again.meta("title: T\n", "p") == {"title": "T"}
    assert (again.hits, again.misses) == (0, 1)


def test_the_cache_is_never_committed():
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "-q", ".cache/generator/front-matter.json"],
                             cwd=REPO, capture_output=True)
    assert ignored.returncode == 0, "the cache directory must be in .gitignore"


def test_a_cold_cache_is_filled_on_every_core_with_the_values_one_process_makes(tmp_path, monkeypatch):
    from generator.archive import parse_cache
    from generator.errors import PaperFileError
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: no pool")
    monkeypatch.setattr(parse_cache, "PARALLEL_FROM", 1)
    fronts = [f"id: '2606.{n:05d}'\ntitle: Paper {n}\nauthors:\n- name: A {n}\n" for n in range(50)]
    bad, dated = "title: [unclosed\n", "published: 2026-06-01\n"
    cache = FrontMatterCache(tmp_path / "c.json")
    cache.prefetch([*fronts, bad, dated])
    assert cache.misses == 0 and cache._added == 50  # the pool parsed them; a date is not stored
    assert [cache.meta(f, "p") for f in fronts] == [frontmatter.load_yaml(f, "p") for f in fronts]
    assert cache.hits == 50
    with pytest.raises(PaperFileError, match="malformed YAML"):
        cache.meta(bad, "p")
    assert cache.meta(dated, "p") == {"published": datetime.date(2026, 6, 1)}
    cache.save()
    assert len(json.loads((tmp_path / "c.json").read_text())["entries"]) == 50


def test_check_shares_the_cache_and_still_names_a_broken_file_each_run(archive, monkeypatch):
    broken = archive.content / "papers" / "2606" / "2606.00009.md"
    broken.write_text("---\ntitle: [unclosed\n---\n\nText.\n")
    first = archive.run("check")
    assert first.exit_code != 0 and "2606.00009.md:3: malformed YAML" in first.output
    real = frontmatter.load_yaml
    monkeypatch.setattr(frontmatter, "load_yaml",
                        lambda front, path: real(front, path) if "unclosed" in front else pytest.fail("parsed again"))
    again = archive.run("check")
    assert (again.exit_code, again.output) == (first.exit_code, first.output)
