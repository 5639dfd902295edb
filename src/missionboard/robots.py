"""robots.txt: fetched once per origin per day (cached in the store), then obeyed.

Following RFC 9309: a 4xx answer (no robots.txt) allows everything; a 5xx or an unreachable server
means "do not crawl" for this run (not cached, so the next run asks again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from missionboard.politeness import HostLimiter

ROBOTS_MAX_AGE = timedelta(hours=24)
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
ROBOTS_AGENT = "missionboard"

# Runs a function on the Store in the store's own thread: (fn, *args) -> awaitable result.
StoreCall = Callable[..., Awaitable[Any]]


class RobotsUnavailable(Exception):
    """robots.txt answered 5xx or could not be reached: the origin is not crawled this run."""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _parser(status: int, body: str) -> RobotFileParser:
    parser = RobotFileParser()
    if 200 <= status < 300:
        parser.parse(body.splitlines())
    else:
        parser.allow_all = True
    return parser


class Robots:
    """Answers "may missionboard fetch this URL?", fetching each origin's robots.txt at most once."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        limiter: HostLimiter,
        store_call: StoreCall,
        timeout: float,
    ):
        self._client = client
        self._limiter = limiter
        self._store_call = store_call
        self._timeout = timeout
        self._parsers: dict[str, RobotFileParser] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        """True if robots.txt lets us fetch ``url``. Raises RobotsUnavailable."""
        origin = origin_of(url)
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # one robots.txt request per origin, however many URLs wait on it
            if origin not in self._parsers:
                self._parsers[origin] = await self._load(origin)
        parser = self._parsers[origin]
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._limiter.set_crawl_delay(urlsplit(url).netloc, float(delay))
        return parser.can_fetch(ROBOTS_AGENT, url)

    async def _load(self, origin: str) -> RobotFileParser:
        from missionboard import fetch_state

        cached = await self._store_call(fetch_state.get_robots, origin, ROBOTS_MAX_AGE)
        if cached is not None:
            return _parser(*cached)
        status, body = await self._download(origin)
        await self._store_call(fetch_state.save_robots, origin, status, body)
        return _parser(status, body)

    async def _download(self, origin: str) -> tuple[int, str]:
        url = f"{origin}/robots.txt"
        try:
            # robots.txt is not spaced from the request it permits: it is tiny and made for robots.
            async with self._limiter.slot(urlsplit(url).netloc, spaced=False):
                async with asyncio.timeout(self._timeout):
                    async with self._client.stream("GET", url) as response:
                        chunks, size = [], 0
                        if response.status_code == 200:
                            async for chunk in response.aiter_bytes():
                                chunks.append(chunk)
                                size += len(chunk)
                                if size > ROBOTS_MAX_BYTES:
                                    break
                        status = response.status_code
        except httpx.ConnectError as exc:
            raise RobotsUnavailable(f"cannot connect to {origin} ({exc})") from None
        except (httpx.HTTPError, TimeoutError) as exc:
            reason = str(exc) or "timed out"
            raise RobotsUnavailable(f"robots.txt of {origin} unreachable ({reason})") from None
        if status >= 500 or status == 429:
            raise RobotsUnavailable(f"robots.txt of {origin} answered HTTP {status}")
        if 300 <= status < 400:
            status = 404  # a redirect chain too long or off-site: treated as no robots.txt
        body = b"".join(chunks)[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
        return status, body
