"""The site build: MkDocs (with the archive's hooks) in strict mode."""
from __future__ import annotations

import logging
from pathlib import Path

from generator.config import CONFIG_FILE, load_settings
from generator.errors import BuildError


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Build the site; returns the site directory. Raises BuildError naming the cause."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    config_file = Path(config_file)
    load_settings(config_file.parent / CONFIG_FILE)  # a ConfigError, with every line, before MkDocs starts
    overrides = {"site_dir": str(site_dir)} if site_dir else {}
    errors = _CollectErrors()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(errors)
    try:
        config = load_config(str(config_file), strict=strict, **overrides)
        build(config)
    except (Abort, MkDocsException) as error:
        raise BuildError(f"{config_file}: {error}", errors.messages) from None
    finally:
        logger.removeHandler(errors)
    return Path(config.site_dir)


class _CollectErrors(logging.Handler):
    """MkDocs logs each problem, then aborts with a generic message: keep the problems."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())
