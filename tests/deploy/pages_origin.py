"""Several GitHub Pages sites on one origin, served on 127.0.0.1 as Pages serves them.

``www/<name>/`` is the site published at ``/<name>/``: a directory's
index.html is its page, a directory without a slash is redirected to one,
and an address the site lacks gets the site's own ``404.html``, with status
404 (Pages does this for a project site's 404.html; a directory without
index.html is not listed).
"""
from __future__ import annotations

import shutil
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from conftest import SiteServer


class PagesHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def list_directory(self, path):
        self.send_error(404)

    def send_error(self, code, message=None, explain=None):
        site = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        page = Path(self.directory) / site / "404.html"
        if code != 404 or not site or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class PagesOrigin(SiteServer):
    """``sites``: name → a directory, each copied to www/<name>/ and served at /<name>/ of one origin."""

    def __init__(self, root: Path, sites: dict[str, Path]):
        www = root / "www"
        shutil.rmtree(www, ignore_errors=True)
        for name, tree in sites.items():
            shutil.copytree(tree, www / name)
        super().__init__(www, PagesHandler)
