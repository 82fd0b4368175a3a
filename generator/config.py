"""The archive's one config file (``archive.yml``): a declared, validated schema.

Every problem in the file is collected and reported at once, each as
``path:line: key: message``, the way MkDocs reports its own config.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.errors import ConfigError

CONFIG_FILE = "archive.yml"
ARXIV_API = "https://export.arxiv.org/api/query"
ARXIV_OAI = "https://oaipmh.arxiv.org/oai"
_CATEGORY = re.compile(r"^[a-z-]+(\.[A-Za-z-]+)?$")
# A GitHub repository's name (letters, digits, '.', '-', '_'), not '.' or '..' and not starting with '.'.
_REPOSITORY = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")
PAGES_LIMIT_MB = 1000  # GitHub Pages publishes a site of at most 1 GB


@dataclass
class Settings:
    """What a maintainer sets; every field has a default but the archive's name."""

    name: str = "arXiv archive"
    description: str = ""
    site_url: str | None = None
    repo_url: str | None = None
    branch: str = "main"
    categories: list[str] = field(default_factory=lambda: ["cs.DC"])
    api_url: str = ARXIV_API
    page_size: int = 200
    delay: float = 3.0
    timeout: float = 60.0
    retries: int = 5
    backoff: float = 5.0
    overlap_days: float = 14.0
    oai_url: str = ARXIV_OAI
    max_results: int | None = None
    contact: str | None = None
    home_latest: int = 30
    per_page: int = 100
    max_authors: int = 30
    volumes: list[str] = field(default_factory=list)  # deploy.volumes: repositories for the oldest months
    limit_mb: float = PAGES_LIMIT_MB  # deploy.limit_mb: the most one site's Pages artifact may hold
    path: Path | None = None

    @property
    def edit_uri(self) -> str | None:
        return f"edit/{self.branch}/content/" if self.repo_url else None


# The values archive.yml ships with: an archive that keeps them links a repository and a site that do not exist.
PLACEHOLDER_HOSTS = {"site_url": "example.github.io", "repo_url": "github.com/example/"}


def placeholder_warnings(settings: Settings) -> list[str]:
    """What the build warns of: a site_url or repo_url still the shipped placeholder.

    With the placeholder repo_url every page links "edit this page" to a
    repository that does not exist, and Material's repository widget asks
    GitHub's API for it (a console error on every page); with none, the site
    has neither. A warning, not an error: the sample archive builds as shipped.
    """
    lines = settings.path.read_text(encoding="utf-8").splitlines() if settings.path else []
    found = []
    for key, marker in PLACEHOLDER_HOSTS.items():
        value = getattr(settings, key)
        if value and marker in value.split("://", 1)[-1].lower():
            line = next((n for n, text in enumerate(lines, 1) if text.startswith(f"{key}:")), None)
            where = f"{settings.path or CONFIG_FILE}" + (f":{line}" if line else "")
            found.append(f"{where}: {key}: {value} is the placeholder archive.yml ships with; "
                         f"set it to your own{' repository' if key == 'repo_url' else ' site'}, "
                         f"or remove it{' (no edit links, no repository widget)' if key == 'repo_url' else ''}")
    return found


# key in the file → (Settings field, accepted types, check or None, what it must be)
def _positive(v):
    return v > 0


def _non_negative(v):
    return v >= 0


def _url(v):
    return isinstance(v, str) and v.startswith(("http://", "https://"))


def _volumes(v):
    names = [n for n in v if isinstance(n, str) and _REPOSITORY.match(n) and not n.lower().endswith(".git")]
    return len(names) == len(v) and len({n.lower() for n in names}) == len(names)


def _categories(v):
    return bool(v) and all(isinstance(c, str) and _CATEGORY.match(c) for c in v)


SCHEMA = {
    "name": ("name", (str,), None, "a string"),
    "description": ("description", (str,), None, "a string"),
    "site_url": ("site_url", (str, type(None)), lambda v: v is None or _url(v), "an http(s) URL"),
    "repo_url": ("repo_url", (str, type(None)), lambda v: v is None or _url(v), "an http(s) URL"),
    "branch": ("branch", (str,), None, "a branch name"),
    "harvest.categories": ("categories", (list,), _categories, "a non-empty list of arXiv categories such as cs.DC"),
    "harvest.api_url": ("api_url", (str,), _url, "an http(s) URL"),
    "harvest.page_size": ("page_size", (int,), lambda v: 0 < v <= 2000, "a whole number from 1 to 2000"),
    "harvest.delay": ("delay", (int, float), _non_negative, "a number of seconds, 0 or more"),
    "harvest.timeout": ("timeout", (int, float), _positive, "a number of seconds above 0"),
    "harvest.retries": ("retries", (int,), _non_negative, "a whole number, 0 or more"),
    "harvest.backoff": ("backoff", (int, float), _non_negative, "a number of seconds, 0 or more"),
    "harvest.overlap_days": ("overlap_days", (int, float), _non_negative, "a number of days, 0 or more"),
    "harvest.oai_url": ("oai_url", (str,), _url, "an http(s) URL"),
    "harvest.max_results": ("max_results", (int, type(None)), lambda v: v is None or v > 0, "a whole number above 0, or null"),
    "harvest.contact": ("contact", (str, type(None)), None, "an e-mail address or URL for the User-Agent"),
    "pages.home_latest": ("home_latest", (int,), _positive, "a whole number above 0"),
    "pages.per_page": ("per_page", (int,), _positive, "a whole number above 0"),
    "pages.max_authors": ("max_authors", (int,), _positive, "a whole number above 0"),
    "deploy.volumes": ("volumes", (list,), _volumes,
                       "a list of repository names of the site's owner, each once (letters, digits, . - _)"),
    "deploy.limit_mb": ("limit_mb", (int, float), lambda v: 0 < v <= PAGES_LIMIT_MB,
                        f"a number of megabytes above 0, at most {PAGES_LIMIT_MB} (GitHub Pages' 1 GB)"),
}
SECTIONS = {"harvest", "pages", "deploy"}


def load_settings(path: Path | str = CONFIG_FILE) -> Settings:
    """Read and validate the config file; a missing file gives the defaults."""
    path = Path(path)
    if not path.exists():
        return Settings(path=None)
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise ConfigError([f"{path}:{line}: malformed YAML: {error.problem}"]) from None
    settings, problems = Settings(path=path), []
    if root is None:
        return settings
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError([f"{path}:1: the config must be a mapping of keys to values"])
    for dotted, key_node, value_node in _flatten(root, problems, path):
        _apply(settings, dotted, key_node, value_node, problems, path)
    if problems:
        raise ConfigError(problems)
    return settings


def _flatten(root, problems, path):
    for key_node, value_node in root.value:
        key = key_node.value
        if key in SECTIONS:
            if not isinstance(value_node, yaml.MappingNode):
                problems.append(f"{path}:{key_node.start_mark.line + 1}: {key}: must be a mapping")
                continue
            for sub_key, sub_value in value_node.value:
                yield f"{key}.{sub_key.value}", sub_key, sub_value
        else:
            yield key, key_node, value_node


def _apply(settings, dotted, key_node, value_node, problems, path):
    line = key_node.start_mark.line + 1
    if dotted not in SCHEMA:
        known = ", ".join(sorted(SCHEMA))
        problems.append(f"{path}:{line}: {dotted}: unknown setting (known: {known})")
        return
    attr, types, check, must_be = SCHEMA[dotted]
    value = yaml.safe_load(yaml.serialize(value_node))
    if isinstance(value, bool) or not isinstance(value, types) or (check and not check(value)):
        problems.append(f"{path}:{line}: {dotted}: must be {must_be}, got {value!r}")
        return
    setattr(settings, attr, list(value) if isinstance(value, list) else value)
