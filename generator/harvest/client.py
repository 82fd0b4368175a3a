"""A polite HTTP client for arXiv (the query API and OAI-PMH).

One connection at a time, never more than one request per ``delay`` seconds
(counted from the end of the previous reply), a User-Agent that names the
project, and retries with exponential backoff (honouring ``Retry-After``)
for what a busy arXiv answers: 408, 429, 5xx, timeouts, dropped connections
and pages that are not a whole feed.
"""
from __future__ import annotations

import datetime
import email.utils
import time
from dataclasses import dataclass
from typing import Callable, Mapping, TypeVar

import requests

from generator import __version__
from generator.errors import HarvestError

T = TypeVar("T")
# A longer Retry-After is arXiv being down: waiting longer than this in an
# unattended run helps no one, and retrying sooner would be impolite, so the
# run gives up and the next scheduled one tries again.
MAX_RETRY_AFTER = 600.0
RETRYABLE_STATUS = {408, 429}  # and every 5xx
# The most a reply may hold once decompressed. An arXiv API page of 2,000
# entries, or an OAI-PMH page, is a few MB; a gzip bomb of 2 MB is 2 GB.
MAX_RESPONSE_BYTES = 100 * 1024 * 1024
_CHUNK = 64 * 1024
# requests errors that no retry can mend: the URL itself is wrong.
_FATAL = (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
          requests.exceptions.MissingSchema, requests.exceptions.InvalidHeader)


def user_agent(contact: str | None = None) -> str:
    who = f" (+{contact})" if contact else ""
    return f"arxiv-archive/{__version__}{who} python-requests/{requests.__version__}"


@dataclass
class Response:
    url: str
    status: int
    headers: Mapping[str, str]  # case-insensitive, as requests gives them
    body: bytes


class RetryableError(HarvestError):
    """A failure worth trying again; ``retry_after`` is the server's wish, if any."""

    def __init__(self, url: str, message: str, retry_after: float | None = None):
        super().__init__(url, message)
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Parse Retry-After: delta-seconds or an HTTP date (a date past is 0 s)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT, even when they do not say so
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(when.timestamp() - now(), 0.0)


class Client:
    """``fetch(url, parse)``: a GET, politely spaced, retried while the fault is passing.

    ``sleep`` and ``clock`` are injectable so that tests can record the pauses
    asked for instead of waiting for them.
    """

    def __init__(self, delay: float = 3.0, retries: int = 5, timeout: float = 60.0,
                 backoff: float = 5.0, contact: str | None = None,
                 sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] = time.monotonic, max_bytes: int = MAX_RESPONSE_BYTES):
        self.delay, self.retries, self.timeout, self.backoff = delay, retries, timeout, backoff
        self.max_bytes = max_bytes
        self.sleep = sleep or time.sleep
        self.clock = clock
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent(contact)
        self._last_request: float | None = None
        self.requests_made = 0

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            wait = self._last_request + self.delay - self.clock()
            if wait > 0:
                self.sleep(wait)

    def request(self, url: str) -> Response:
        """One polite GET. Network failures are retryable; HTTP statuses are the caller's."""
        self._wait_turn()
        self.requests_made += 1
        try:
            reply = self.session.get(url, timeout=self.timeout, stream=True)
            with reply:
                body = self._body(url, reply)  # a connection dropped mid-body fails here, not later
        except _FATAL as error:
            raise HarvestError(url, f"bad URL: {error}") from None
        except requests.Timeout:
            raise RetryableError(url, f"timed out after {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise RetryableError(url, f"connection failed: {type(error).__name__}") from None
        finally:
            self._last_request = self.clock()  # the delay counts from the end of a reply
        return Response(url, reply.status_code, reply.headers, body)

    def _body(self, url: str, reply: requests.Response) -> bytes:
        """The reply's body, decompressed, read no further than ``max_bytes``: asking again
        gets the same size, so a larger one is a HarvestError naming the URL, not retried."""
        chunks, size = [], 0
        for chunk in reply.iter_content(_CHUNK):  # decoded as it arrives (gzip, deflate)
            size += len(chunk)
            if size > self.max_bytes:
                raise HarvestError(url, f"the reply is larger than {self.max_bytes:,} bytes "
                                        "(decompressed); refused, not read further")
            chunks.append(chunk)
        return b"".join(chunks)

    def pause_before_retry(self, attempt: int, error: RetryableError) -> float:
        """Exponential backoff from ``backoff`` seconds, or longer if the server asks."""
        pause = self.backoff * 2 ** (attempt - 1)
        if error.retry_after is not None:
            pause = max(pause, error.retry_after)
        return pause

    def fetch(self, url: str, parse: Callable[[Response], T]) -> T:
        """GET ``url`` and ``parse`` it, retrying what ``RetryableError`` marks as passing.

        ``parse`` turns a response into a result, raises RetryableError for a
        passing fault, or any other HarvestError to give up at once. Nothing
        of a response reaches the caller unless ``parse`` accepted all of it.
        """
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return parse(self.request(url))
            except RetryableError as error:
                if error.retry_after is not None and error.retry_after > MAX_RETRY_AFTER:
                    raise HarvestError(url, f"{error.message}; the server asks to wait "
                                            f"{error.retry_after:.0f} s (more than {MAX_RETRY_AFTER:.0f} s): "
                                            "giving up until the next run", attempt) from None
                if attempt == attempts:
                    raise HarvestError(url, f"{error.message}; gave up after {attempts} "
                                            f"{'try' if attempts == 1 else 'tries'}") from None
                self.sleep(self.pause_before_retry(attempt, error))
            except HarvestError as error:
                error.attempt = attempt
                raise
        raise AssertionError("unreachable")  # pragma: no cover


def check_status(response: Response) -> None:
    """Raise for the statuses that are not a page: 408, 429 and 5xx pass, other errors stay."""
    status = response.status
    if status in RETRYABLE_STATUS or status >= 500:
        raise RetryableError(response.url, f"HTTP {status}",
                             retry_after_seconds(response.headers.get("Retry-After")))
    if status != 200:
        raise HarvestError(response.url, f"HTTP {status}")
