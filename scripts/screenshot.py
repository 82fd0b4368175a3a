"""The README's picture: a page of the built site in Chromium, light scheme, 1366×900.

    .venv/bin/python -m generator build
    .venv/bin/python scripts/screenshot.py papers/2606/2606.01680/ docs/images/paper-page.png

Serves site/ on 127.0.0.1 (nothing off it is reached) and needs Debian's chromium. Where Pillow
is importable (it is no dependency of the project) the PNG is cut to 256 colours: half the bytes,
no difference to see on a page of text.
"""
from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

SITE = Path(__file__).resolve().parent.parent / "site"
CHROMIUM = "/usr/bin/chromium"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def shoot(path: str, out: Path) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{path}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme="light")
            # No network here: GitHub's API (the repository widget) is answered locally, and empty.
            context.route(lambda u: not u.startswith("http://127.0.0.1"),
                          lambda route: route.fulfill(status=200, content_type="application/json", body="{}"))
            page = context.new_page()
            page.goto(url, wait_until="networkidle")
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        httpd.shutdown()
    smaller(out)
    print(f"{out}: {out.stat().st_size / 1000:.0f} KB")


def smaller(out: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    image = Image.open(out).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, optimize=True)


if __name__ == "__main__":
    shoot(sys.argv[1], Path(sys.argv[2]))
