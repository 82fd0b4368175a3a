"""The site: pages, templates, citations, feeds, BibTeX, related papers, from the archive and its curation."""
