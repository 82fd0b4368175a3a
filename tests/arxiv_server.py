"""A local stand-in for arXiv on 127.0.0.1, for the real HTTP path.

``ArxivServer(entries)`` serves ``entries`` (a list of Entry) for any
``search_query`` (or ``by_category``), sliced by ``start``/``max_results``
like arXiv's query API at ``url``, and ``oai_records`` as arXiv's OAI-PMH at
``oai_url``. A test queues scripted replies in ``scripted``, served first,
one per request, to inject faults: a ``(status, headers, body)`` tuple,
``None`` (serve normally), ``Stall(seconds)`` (answer late), ``DROP`` (close
the connection without an answer) or ``Truncated(size)`` (promise the whole
page, send ``size`` bytes, hang up), or a callable (run it, e.g. to kill the
client, then serve normally). ``requests`` records what was asked,
with the times each request arrived and was answered and the client's port.
"""
from __future__ import annotations

import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from arxiv_feed import feed
from oai_feed import list_records


@dataclass
class Stall:
    seconds: float


@dataclass
class Truncated:
    size: int


DROP = "drop"


class ArxivServer:
    def __init__(self, entries=None, oai_records=None, oai_page_size: int = 2):
        self.entries = list(entries or [])
        self.by_category: dict[str, list] | None = None
        self.oai_records = list(oai_records or [])
        self.oai_page_size = oai_page_size
        self.scripted: list = []
        self.requests: list[dict] = []  # path, parsed query, headers, time, end
        self.active = self.most_active = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as arXiv: one connection reused

            def do_GET(self):
                with server.lock:
                    server.active += 1
                    server.most_active = max(server.most_active, server.active)
                split = urllib.parse.urlsplit(self.path)
                query = {k: v[0] for k, v in urllib.parse.parse_qs(split.query).items()}
                record = {"path": split.path, "query": query, "headers": dict(self.headers),
                          "port": self.client_address[1], "time": time.monotonic(), "end": None}
                server.requests.append(record)
                try:
                    self.answer(server.next_reply(split.path, query))
                finally:
                    record["end"] = time.monotonic()
                    with server.lock:
                        server.active -= 1

            def answer(self, reply):
                if callable(reply):
                    reply = reply()
                if isinstance(reply, Stall):
                    time.sleep(reply.seconds)
                    self.close_connection = True
                    return  # the client has given up by now; say nothing
                if reply == DROP:
                    self.close_connection = True
                    return
                size = None
                if isinstance(reply, Truncated):
                    size, reply = reply.size, None
                status, headers, body = reply or server.normal_reply(self.path)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body if size is None else body[:size])
                if size is not None:
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.base}/api/query"

    @property
    def oai_url(self) -> str:
        return f"{self.base}/oai"

    def entries_for(self, query: dict) -> list:
        if self.by_category is None:
            return self.entries
        category = query.get("search_query", "").removeprefix("cat:")
        return self.by_category.get(category, [])

    def next_reply(self, path: str, query: dict):
        with self.lock:
            if self.scripted:
                return self.scripted.pop(0)
        return None

    def normal_reply(self, raw_path: str):
        split = urllib.parse.urlsplit(raw_path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(split.query).items()}
        if split.path == "/oai":
            return list_records(self.oai_records, query, self.oai_page_size)
        entries = self.entries_for(query)
        start, size = int(query.get("start", 0)), int(query.get("max_results", 10))
        body = feed(entries[start:start + size], total=len(entries), start=start,
                    query=query.get("search_query", ""))
        return 200, {"Content-Type": "application/atom+xml; charset=utf-8"}, body

    def query_requests(self) -> list[dict]:
        return [r for r in self.requests if r["path"] == "/api/query"]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
