"""A polite HTTP client for the arXiv API.

One connection at a time, never more than one request per ``delay`` seconds,
a User-Agent that names the project, and retries with exponential backoff
(honouring ``Retry-After``) for what a busy arXiv answers: 429, 5xx,
timeouts, dropped connections and pages that are not a whole feed.
"""
from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

import requests

from generator import __version__
from generator.errors import HarvestError

T = TypeVar("T")
MAX_RETRY_AFTER = 600.0  # seconds: a longer Retry-After is arXiv being down


def user_agent(contact: str | None = None) -> str:
    who = f" (+{contact})" if contact else ""
    return f"arxiv-archive/{__version__}{who} python-requests/{requests.__version__}"


@dataclass
class Response:
    url: str
    status: int
    headers: dict
    body: bytes


class RetryableError(HarvestError):
    """A failure worth trying again; ``retry_after`` is the server's wish, if any."""

    def __init__(self, url: str, message: str, retry_after: float | None = None):
        super().__init__(url, message)
        self.retry_after = retry_after


def retry_after_seconds(value: str | None) -> float | None:
    """Parse Retry-After: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER)


class Client:
    def __init__(self, delay: float = 3.0, retries: int = 5, timeout: float = 60.0,
                 backoff: float = 5.0, contact: str | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.delay, self.retries, self.timeout, self.backoff = delay, retries, timeout, backoff
        self.sleep, self.clock = sleep, clock
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent(contact)
        self._last_request: float | None = None
        self.requests_made = 0

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            wait = self._last_request + self.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request = self.clock()

    def request(self, url: str) -> Response:
        """One polite GET. Network failures are retryable; HTTP statuses are the caller's."""
        self._wait_turn()
        self.requests_made += 1
        try:
            reply = self.session.get(url, timeout=self.timeout)
            body = reply.content
        except requests.Timeout:
            raise RetryableError(url, f"timed out after {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise RetryableError(url, f"connection failed: {type(error).__name__}") from None
        finally:
            self._last_request = self.clock()  # the delay counts from the end of a reply
        return Response(url, reply.status_code, dict(reply.headers), body)

    def fetch(self, url: str, parse: Callable[[Response], T]) -> T:
        """GET ``url`` and ``parse`` it, retrying what ``RetryableError`` marks as passing.

        ``parse`` turns a response into a result, raises RetryableError for a
        passing fault, or any other HarvestError to give up at once.
        """
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return parse(self.request(url))
            except RetryableError as error:
                if attempt == attempts:
                    raise HarvestError(url, error.message, attempt) from None
                pause = self.backoff * 2 ** (attempt - 1)
                if error.retry_after is not None:
                    pause = max(pause, error.retry_after)
                self.sleep(pause)
            except HarvestError as error:
                error.attempt = attempt
                raise
        raise AssertionError("unreachable")  # pragma: no cover


def check_status(response: Response) -> None:
    """Raise for the statuses that are not a page: 429 and 5xx pass, other errors stay."""
    status = response.status
    if status == 429 or status >= 500:
        raise RetryableError(response.url, f"HTTP {status}",
                             retry_after_seconds(response.headers.get("Retry-After")))
    if status != 200:
        raise HarvestError(response.url, f"HTTP {status}")
