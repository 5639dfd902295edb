"""Being gentle with the sites: a global and a per-host cap, spacing per host, backoff, and reading
what servers say about when to come back (Retry-After, Cache-Control max-age, RSS ``<ttl>``).
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass
class _Host:
    slots: asyncio.Semaphore
    spacing: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    delay: float = 0.0


class HostLimiter:
    """At most ``total`` requests in flight, at most ``per_host`` per host, and the starts of two
    requests to one host at least ``delay`` seconds apart (longer if robots.txt asks for it).

    The host slot is taken before the global one, so a request waiting for its host's spacing does
    not hold a global slot that another site could use.
    """

    def __init__(self, total: int, per_host: int, delay: float):
        self._total = asyncio.Semaphore(max(1, total))
        self._per_host = max(1, per_host)
        self._delay = max(0.0, delay)
        self._hosts: dict[str, _Host] = {}

    def _host(self, host: str) -> _Host:
        if host not in self._hosts:
            self._hosts[host] = _Host(asyncio.Semaphore(self._per_host), delay=self._delay)
        return self._hosts[host]

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """A robots.txt Crawl-delay lengthens the spacing for its host (never shortens it)."""
        entry = self._host(host)
        entry.delay = max(entry.delay, min(seconds, 60.0))

    def defer(self, host: str, seconds: float) -> None:
        """No new request to ``host`` for ``seconds`` (a Retry-After from that host)."""
        entry = self._host(host)
        entry.next_start = max(entry.next_start, asyncio.get_running_loop().time() + seconds)

    @asynccontextmanager
    async def slot(self, host: str, *, spaced: bool = True) -> AsyncIterator[None]:
        """Hold a request slot for ``host``; ``spaced=False`` (robots.txt) skips the spacing."""
        entry = self._host(host)
        loop = asyncio.get_running_loop()
        async with entry.slots:
            if spaced:
                async with entry.spacing:
                    wait = entry.next_start - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    entry.next_start = loop.time() + entry.delay
            async with self._total:
                yield


def backoff_delay(attempt: int, base: float = 0.5, cap: float = 8.0) -> float:
    """Exponential backoff with full jitter, so retrying clients do not stampede in step."""
    return random.uniform(base / 2, min(cap, base * 2**attempt))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)


def parse_max_age(cache_control: str | None) -> int | None:
    """``Cache-Control: max-age`` in seconds; None when absent or when the site says no-cache."""
    if not cache_control or _NO_CACHE.search(cache_control):
        return None
    match = _MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else None


_TTL = re.compile(rb"<ttl>\s*(\d{1,6})\s*</ttl>", re.IGNORECASE)


def rss_ttl(body: bytes) -> int | None:
    """An RSS channel's ``<ttl>`` (minutes) in seconds; it sits near the top of the channel."""
    match = _TTL.search(body, 0, 65536)
    return int(match.group(1)) * 60 if match else None
