"""One polite, bounded HTTP GET: conditional headers, robots.txt, host spacing, redirects only to
http(s), a deadline per attempt, the body capped after decompression, and retries with jittered
backoff on connection errors, 5xx and 429 (a 304 is an answer, never retried).
"""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

import httpx

from missionboard.model import utc_now
from missionboard.politeness import HostLimiter, backoff_delay, parse_max_age, parse_retry_after
from missionboard.robots import Robots, RobotsUnavailable

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A URL could not be fetched; the message says why in a few words."""


class RetryLater(FetchError):
    """The site asked (Retry-After) to wait longer than one run can: come back after ``when``."""

    def __init__(self, message: str, when: datetime):
        super().__init__(message)
        self.when = when


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(slots=True)
class Download:
    url: str  # the URL asked for (validators are kept under it)
    final_url: str  # after redirects
    status: int  # 200 or 304
    body: bytes
    etag: str | None
    last_modified: str | None
    max_age: int | None


class BodyTooLarge(FetchError):
    pass


class _BoundedDecoder:
    """Decodes gzip / deflate ourselves, a bounded amount at a time, so a gzip bomb is stopped at
    ``limit`` decompressed bytes instead of being inflated whole in memory."""

    def __init__(self, encoding: str, limit: int):
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")
        self._deflate = encoding == "deflate"
        self._limit = limit
        self.size = 0
        self._started = False

    def feed(self, data: bytes) -> bytes:
        if self._zlib is None:
            out = data
        else:
            if self._deflate and not self._started and data:
                # "deflate" is zlib-wrapped by the standard, raw by some servers.
                self._started = True
                if (data[0] & 0x0F) != 8:
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                out = self._zlib.decompress(data, self._limit - self.size + 1)
            except zlib.error as exc:
                raise FetchError(f"corrupt compressed body ({exc})") from None
        self.size += len(out)
        if self.size > self._limit:
            raise BodyTooLarge(
                f"response larger than {self._limit // 1024 // 1024 or 1} MB"
                " (after decompression), dropped"
            )
        return out


class Downloader:
    def __init__(
        self,
        client: httpx.AsyncClient,
        limiter: HostLimiter,
        robots: Robots | None,
        *,
        timeout: float,
        retries: int,
        max_bytes: int,
        max_wait: float,
    ):
        self.client = client
        self.limiter = limiter
        self.robots = robots
        self.timeout = timeout
        self.retries = max(0, retries)
        self.max_bytes = max_bytes
        self.max_wait = max_wait  # the longest Retry-After waited for within one run

    async def get(
        self, url: str, etag: str | None, last_modified: str | None, extra: dict[str, str]
    ) -> Download:
        """GET ``url``; a Download with status 200 or 304. Raises FetchError (or RetryLater)."""
        headers = dict(extra)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(self.retries + 1):
            try:
                return await self._attempt(url, headers)
            except _Retryable as exc:
                wait = exc.retry_after
                if wait is not None and wait > self.max_wait:
                    when = utc_now() + timedelta(seconds=wait)
                    raise RetryLater(
                        f"{exc}; the site asks to wait until {when:%Y-%m-%d %H:%M} UTC", when
                    ) from None
                if attempt == self.retries:
                    tries = f" after {attempt + 1} tries" if attempt else ""
                    raise FetchError(f"{exc}{tries}") from None
                if wait is not None:
                    self.limiter.defer(urlsplit(url).netloc, wait)
                await asyncio.sleep(wait if wait is not None else backoff_delay(attempt))
        raise AssertionError("unreachable")

    async def _attempt(self, url: str, headers: dict[str, str]) -> Download:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https"):
                raise FetchError(f"refused a redirect to a non-HTTP URL ({parts.scheme}:)")
            if self.robots is not None:
                try:
                    if not await self.robots.allowed(current):
                        raise FetchError(f"robots.txt of {parts.netloc} disallows {parts.path}")
                except RobotsUnavailable as exc:
                    raise FetchError(str(exc)) from None
            async with self.limiter.slot(parts.netloc):
                result = await self._request(url, current, headers)
            if isinstance(result, Download):
                return result
            current = result
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    async def _request(self, url: str, current: str, headers: dict[str, str]) -> Download | str:
        """One request: a Download, or the next URL of a redirect."""
        try:
            async with asyncio.timeout(self.timeout):
                async with self.client.stream("GET", current, headers=headers) as response:
                    status = response.status_code
                    if status in REDIRECTS and response.headers.get("location"):
                        return urljoin(current, response.headers["location"])
                    if status == 304:
                        return self._download(url, current, response, b"")
                    if status in (429, 503):
                        wait = parse_retry_after(response.headers.get("retry-after"))
                        raise _Retryable(f"HTTP {status} from {current}", wait)
                    if status >= 500:
                        raise _Retryable(f"HTTP {status} from {current}")
                    if status != 200:
                        raise FetchError(f"HTTP {status} from {current}")
                    decoder = _BoundedDecoder(
                        response.headers.get("content-encoding", ""), self.max_bytes
                    )
                    chunks = [decoder.feed(chunk) async for chunk in response.aiter_raw()]
                    chunks.append(decoder.feed(b""))
                    return self._download(url, current, response, b"".join(chunks))
        except TimeoutError:
            # Not retried: a slow site would only get slower, and cron should not wait for it.
            raise FetchError(f"timed out after {self.timeout:g} s") from None
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.timeout:g} s") from None
        except (httpx.ConnectError, httpx.ReadError, httpx.WriteError) as exc:
            raise _Retryable(f"cannot connect ({exc})" if str(exc) else "cannot connect") from None
        except httpx.RemoteProtocolError as exc:
            raise _Retryable(f"the server broke the connection ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from None

    @staticmethod
    def _download(url: str, final: str, response: httpx.Response, body: bytes) -> Download:
        return Download(
            url=url,
            final_url=final,
            status=response.status_code,
            body=body,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            max_age=parse_max_age(response.headers.get("cache-control")),
        )
