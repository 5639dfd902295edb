"""Fetch benchmark: 30 feeds on local servers, each answering after 300 ms.

Prints the wall time of a cold fetch (empty store), of a second fetch where every feed answers 304,
and of a sequential baseline (one feed after the other, as the first fetch.py did) over the same
feeds in the same run, with how many bodies each round parsed. Targets: cold under 1.5 s, all-304
under 0.8 s with no parsing, cold at least 6 times faster than the sequential baseline.

Each feed is a site of its own (127.0.0.1 ... 127.0.0.30) listing its own missions, since 30 feeds
are 30 sites in real life; the defaults apply except ``concurrency = 30`` (one request per site at
once).

    python bench/fetch.py
"""

from __future__ import annotations

import multiprocessing
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from missionboard.config import FetchSettings  # noqa: E402
from missionboard.fetch import fetch_all  # noqa: E402
from missionboard.ingest import ingest_body  # noqa: E402
from missionboard.model import utc_now  # noqa: E402
from missionboard.sources.recipe import Recipe, feed_recipe  # noqa: E402
from missionboard.store import Store  # noqa: E402
from tests.httpserver import LocalServer, Route  # noqa: E402

FEEDS = 30
DELAY = 0.3
BODY = (ROOT / "tests/fixtures/codeur/projects_35.rss").read_bytes()

# Parse calls counted in shared memory: parsing happens in forked worker processes.
PARSES = multiprocessing.Value("i", 0)
_parse = Recipe.parse


def counting_parse(self, *args, **kwargs):
    with PARSES.get_lock():
        PARSES.value += 1
    return _parse(self, *args, **kwargs)


Recipe.parse = counting_parse  # type: ignore[method-assign]


def parses() -> int:
    with PARSES.get_lock():
        value, PARSES.value = PARSES.value, 0
    return value


def sequential(recipes: list[Recipe], db: Path) -> float:
    started = time.perf_counter()
    with Store(db) as store, httpx.Client(timeout=20) as client:
        for recipe in recipes:
            endpoint = recipe.endpoints["feed"]
            response = client.get(recipe.url(endpoint))
            ingest_body(store, recipe, endpoint, response.content, utc_now(), str(response.url))
    return time.perf_counter() - started


def site_body(site: int) -> bytes:
    """The recorded Codeur feed, its item titles made this site's own.

    Thirty copies of one feed would be thirty copies of each mission, and duplicate detection would
    compare each with all the others; thirty sites list different missions. Every title word is
    prefixed with the site's code (a prefix: duplicate detection compares word stems), so no two
    sites share a title, while descriptions (what skills, budget and
    remote detection read) stay the real ones.
    """

    def retitle(match: re.Match[str]) -> str:
        code = chr(ord("a") + site // 26) + chr(ord("a") + site % 26)
        words = re.sub(r"(\w+)", rf"{code}\g<1>", match.group(2))
        return match.group(1) + words + match.group(3)

    text = BODY.decode("utf-8")
    return re.sub(r"(<item>\s*<title>)(.*?)(</title>)", retitle, text, flags=re.S).encode("utf-8")


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    servers = [LocalServer(host=f"127.0.0.{n + 1}").start() for n in range(FEEDS)]
    for n, server in enumerate(servers):
        server.routes["/feed.rss"] = Route(site_body(n), etag='"v1"', delay=DELAY)
    recipes = [
        feed_recipe({"url": f"{s.url}/feed.rss", "name": f"site{n:02d}"}, n)
        for n, s in enumerate(servers)
    ]
    settings = FetchSettings(concurrency=FEEDS)
    work = Path(tempfile.mkdtemp(prefix="mb-bench-"))
    try:
        cpu_self, cpu_children = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        cold = fetch_all(work / "engine.db", recipes, settings)
        cold_time = time.perf_counter() - started
        cpu_self = _cpu(resource.RUSAGE_SELF) - cpu_self
        cpu_children = _cpu(resource.RUSAGE_CHILDREN) - cpu_children
        cold_parses = parses()
        started = time.perf_counter()
        warm = fetch_all(work / "engine.db", recipes, settings, force=True)
        warm_time = time.perf_counter() - started
        warm_parses = parses()
        base_time = sequential(recipes, work / "sequential.db")
        parses()
    finally:
        for server in servers:
            server.stop()
    assert all(r.ok for r in cold + warm), [r.line() for r in cold + warm if not r.ok]
    new = sum(len(r.result.new) for r in cold)
    not_modified = sum(r.not_modified for r in warm)
    print(f"feeds: {FEEDS} sites, each answering after {DELAY * 1000:.0f} ms; "
          f"concurrency {settings.concurrency}, per_host {settings.per_host}, "
          f"host_delay {settings.host_delay:g} s, robots.txt on")  # fmt: skip
    print(f"cold fetch:          {cold_time:6.2f} s  ({new} new missions, {cold_parses} bodies parsed)"
          f"  target < 1.5 s: {'ok' if cold_time < 1.5 else 'MISSED'}")  # fmt: skip
    print(f"all-304 fetch:       {warm_time:6.2f} s  ({not_modified} not modified, {warm_parses} bodies parsed)"
          f"  target < 0.8 s and 0 parsed: {'ok' if warm_time < 0.8 and warm_parses == 0 else 'MISSED'}")  # fmt: skip
    ratio = base_time / cold_time
    print(f"sequential baseline: {base_time:6.2f} s")
    print(
        f"cold fetch CPU:      {cpu_children:6.2f} s in {min(os.cpu_count() or 1, 4)} worker processes (parsing), "
        f"{cpu_self:6.2f} s in this process (event loop, store thread and the 30 test servers); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"cold vs sequential:  {ratio:6.1f}x faster  target >= 6x: {'ok' if ratio >= 6 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
