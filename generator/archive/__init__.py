"""The archive: paper files, their models and front matter, the parse cache, what content/ may hold."""
