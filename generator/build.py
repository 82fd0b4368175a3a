"""The site build: MkDocs (with the archive's hooks) in strict mode."""
from __future__ import annotations

import logging
from pathlib import Path

from generator.errors import BuildError


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Build the site; returns the site directory. Raises BuildError naming the cause."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    overrides = {"site_dir": str(site_dir)} if site_dir else {}
    warnings = _CountWarnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        config = load_config(str(config_file), strict=strict, **overrides)
        build(config)
    except MkDocsException as error:
        raise BuildError(f"{config_file}: {error}") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    return Path(config.site_dir)


class _CountWarnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1
