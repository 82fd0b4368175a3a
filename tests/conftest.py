"""Shared fixtures: a throw-away archive project, a local arXiv, the CLI, a build."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

REPO = Path(__file__).resolve().parent.parent

MINIMAL_CONFIG = """\
name: Test archive
description: A tiny archive for tests.
site_url: https://example.org/archive/
repo_url: https://github.com/example/archive
harvest:
  categories: [cs.DC]
  delay: 0
  retries: 0
"""


class Project:
    """A complete archive project in a temporary directory."""

    def __init__(self, root: Path, config: str = MINIMAL_CONFIG):
        self.root = root
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "overrides", root / "overrides")
        (root / "content").mkdir()
        shutil.copytree(REPO / "content" / "assets", root / "content" / "assets")
        os.symlink(REPO / "generator", root / "generator")  # mkdocs.yml names hooks by relative path
        self.write_config(config)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write_config(self, text: str) -> None:
        (self.root / "archive.yml").write_text(text, encoding="utf-8")

    def run(self, *args: str):
        """Run the CLI on this project; returns click's Result."""
        runner = CliRunner()
        return runner.invoke(cli, ["--config", str(self.root / "archive.yml"),
                                   "--content", str(self.content), *args], catch_exceptions=False)

    def build(self) -> Path:
        result = self.run("build", "-f", str(self.root / "mkdocs.yml"), "-d", str(self.site))
        assert result.exit_code == 0, result.output
        return self.site

    def paper_files(self) -> dict[str, bytes]:
        return {str(p.relative_to(self.content)): p.read_bytes()
                for p in sorted((self.content / "papers").rglob("*.md"))} if (self.content / "papers").exists() else {}

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Tests reach 127.0.0.1 only: a harvest that would ask the real arXiv fails at once."""
    import socket
    real = socket.socket.connect

    def connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            raise ConnectionRefusedError(f"tests use no network: {address}")
        return real(sock, address)
    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(autouse=True)
def not_in_github_actions(monkeypatch):
    """Tests see the terminal's output even when the suite runs in GitHub Actions (which sets
    GITHUB_ACTIONS=true): `check` prints annotations there. tests/curate/test_annotations.py sets it."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own sample archive, built once for the session."""
    from generator.mkdocs_hooks import build_site

    site = tmp_path_factory.mktemp("sample") / "site"
    build_site(REPO / "mkdocs.yml", site)
    return site


# --- the browser: Debian's chromium driven by Playwright ---------------------

CHROMIUM = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")  # elsewhere only to test the notice below
NO_CHROMIUM = (f"no Chromium at {CHROMIUM}: the browser tests are skipped (counted as deselected). "
               "To run them: apt-get install chromium (Debian, Ubuntu), as .ci/run does (.ci/install-chromium)")


def pytest_report_header(config):
    """Said once, at the top: without a browser, what is skipped and how to get it."""
    if not os.path.exists(CHROMIUM):
        return [f"note: {NO_CHROMIUM}"]


def pytest_collection_modifyitems(config, items):
    """Without a browser, its tests are left out, one count in the last line rather than a line each."""
    if os.path.exists(CHROMIUM):
        return
    needs = {id(item) for item in items if "browser" in getattr(item, "fixturenames", ())}
    if needs:
        config.hook.pytest_deselected(items=[item for item in items if id(item) in needs])
        items[:] = [item for item in items if id(item) not in needs]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium, or a skip that says what is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(NO_CHROMIUM)  # one line in the summary for them all: they skip here
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def settle(page) -> None:
    """Waits until no CSS transition runs: axe measures colours as they are drawn.

    Material fades the search panel in over 0.4 s; results can arrive sooner,
    and text caught half-faded fails the contrast rule (it did in CI).
    """
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


class SiteServer:
    """Serves a built site on 127.0.0.1 (quietly), as GitHub Pages would.

    ``handler``: a ``SimpleHTTPRequestHandler`` of the caller's (tests/deploy's serves 404 pages).
    """

    def __init__(self, root: Path, handler=None):
        import functools
        import threading
        from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(handler or Quiet, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_as_pages(site: Path, root: Path) -> tuple[SiteServer, str]:
    """Serves a copy of ``site`` under ``/archive/``, as GitHub Pages serves a project's site: (server, its URL)."""
    www = root / "www"
    shutil.rmtree(www / "archive", ignore_errors=True)
    shutil.copytree(site, www / "archive")
    server = SiteServer(www)
    return server, server.url + "archive/"


@pytest.fixture(scope="session")
def sample_server(sample_site):
    server = SiteServer(sample_site)
    yield server
    server.close()


def offline_context(browser, **options):
    """A browser context that reaches nothing off 127.0.0.1.

    This machine has no network; a reader's browser does. Material asks
    GitHub's API for the repository's stars: answer for GitHub, locally."""
    context = browser.new_context(**options)
    context.route(lambda url: not url.startswith("http://127.0.0.1"),
                  lambda route: route.fulfill(status=200, content_type="application/json", body="{}"))
    return context


@pytest.fixture
def page(browser):
    """A fresh browser page that records console errors and page errors."""
    context = offline_context(browser)
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()
