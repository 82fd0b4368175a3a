"""A static site generator for curated arXiv paper archives.

The pipeline reads in one direction, one module a stage:
``client`` (HTTP) → ``atom`` (parse a page) → ``harvest`` (page through the
API) → ``store`` (the archive of Markdown files) → ``pages`` (listing pages)
→ ``render`` (HTML for a paper) → ``mkdocs_hooks`` / ``build`` (the site).
What people curate is read beside it: ``topics`` and ``curation`` (checked by
``python -m generator check`` and by the build) → ``topic_pages``.
"""
__version__ = "0.1.0"
