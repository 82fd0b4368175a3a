"""archive.yml: a declared schema; every problem reported at once, with its line."""
import pytest

from generator.config import load_settings
from generator.errors import ConfigError


def test_defaults_when_the_file_is_missing(tmp_path):
    settings = load_settings(tmp_path / "archive.yml")
    assert settings.categories == ["cs.DC"] and settings.delay == 3.0 and settings.page_size == 200


def test_the_repository_config_is_valid():
    from conftest import REPO
    settings = load_settings(REPO / "archive.yml")
    assert settings.categories == ["cs.DC"]
    assert settings.edit_uri == "edit/main/content/"


def test_every_problem_is_reported_with_its_line(tmp_path):
    path = tmp_path / "archive.yml"
    path.write_text("name: ok\nsite_url: not-a-url\nharvest:\n  page_size: 0\n  delay: fast\n  colour: red\n"
                    "bogus: 1\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    problems = info.value.problems
    assert problems[0] == f"{path}:2: site_url: must be an http(s) URL, got 'not-a-url'"
    assert any(p.startswith(f"{path}:4: harvest.page_size:") for p in problems)
    assert any(p.startswith(f"{path}:5: harvest.delay:") for p in problems)
    assert any(p.startswith(f"{path}:6: harvest.colour: unknown setting") for p in problems)
    assert any(p.startswith(f"{path}:7: bogus: unknown setting") for p in problems)
    assert len(problems) == 5


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "archive.yml"
    path.write_text("name: ok\nharvest:\n  categories: [cs.DC\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(info.value).startswith(f"{path}:")
    assert "malformed YAML" in str(info.value)


def test_bad_config_fails_the_cli_with_exit_code_2(project):
    project.write_config("harvest:\n  categories: []\n")
    result = project.run("harvest", "--delay", "0")
    assert result.exit_code == 2
    assert "harvest.categories: must be a non-empty list" in result.output


def test_bad_config_fails_the_build_naming_the_file(project):
    project.write_config("pages:\n  per_page: -1\n")
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code != 0
    assert "archive.yml:2: pages.per_page" in result.output


def test_max_authors_must_be_a_whole_number_above_zero(project):
    project.write_config("name: X\npages:\n  max_authors: 0\n")
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code != 0
    assert "archive.yml:3: pages.max_authors: must be a whole number above 0" in result.output
