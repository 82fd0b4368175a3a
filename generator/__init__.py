"""A static site generator for curated arXiv paper archives.

Data flows one way: harvest → archive → curate → site → search → deploy,
one package a stage:

- ``archive``: the papers' Markdown files, their model and front matter, the
  parse cache, what ``content/`` may hold, the papers' text (TeX) and vectors.
  Every stage reads it; it imports no stage.
- ``harvest``: arXiv's API and OAI-PMH clients, reading their responses, the
  run with its state and report, and landing a harvest on the branch.
- ``curate``: topics and their selection, curation blocks, introductions, the
  gold set, and what curators and reviewers are shown (report, diff, evaluation).
- ``site``: pages, templates, citations, feeds, BibTeX, related papers.
- ``search``: the pages' index copies, the facet file, the search page, Pagefind.
- ``deploy``: a site past GitHub Pages' limit split into volumes, sites of the
  same owner that take its oldest months of paper pages.

A stage imports the archive and the stages before it, never one after it
(``tests/test_layout.py`` holds that). At the top: what all stages share
(``config``, ``errors``, ``fileio``, ``logsafe``, ``progress``, ``memory``) and
the composition roots, ``cli`` (``python -m generator``) and ``mkdocs_hooks``
(the only module that knows MkDocs).
"""
__version__ = "0.1.0"
