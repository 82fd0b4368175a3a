"""A local stand-in for the arXiv API on 127.0.0.1, for the real HTTP path.

``ArxivServer(pages)`` serves ``pages`` (a list of Entry) for any
``search_query``, sliced by ``start``/``max_results`` like arXiv. A test can
queue scripted replies (status, headers, body) that are served first, to
inject faults, and reads ``requests`` to see what was asked.
"""
from __future__ import annotations

import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from arxiv_feed import feed


class ArxivServer:
    def __init__(self, entries=None):
        self.entries = list(entries or [])
        self.by_category: dict[str, list] | None = None
        self.scripted: list[tuple[int, dict, bytes]] = []
        self.requests: list[dict] = []  # parsed query, headers, time
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).items()}
                server.requests.append({"path": self.path, "query": query,
                                        "headers": dict(self.headers), "time": time.monotonic()})
                status, headers, body = server.reply(query)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/api/query"

    def entries_for(self, query: dict) -> list:
        if self.by_category is None:
            return self.entries
        category = query.get("search_query", "").removeprefix("cat:")
        return self.by_category.get(category, [])

    def reply(self, query: dict):
        if self.scripted:
            return self.scripted.pop(0)
        entries = self.entries_for(query)
        start, size = int(query.get("start", 0)), int(query.get("max_results", 10))
        body = feed(entries[start:start + size], total=len(entries), start=start,
                    query=query.get("search_query", ""))
        return 200, {"Content-Type": "application/atom+xml; charset=utf-8"}, body

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
