"""Fetch: every enabled source at once, politely, incrementally, and safe to run from cron.

Shape of a run: the event loop (main thread) does all the HTTP through httpx with a global cap, a
per-host cap and spacing, robots.txt and conditional GET (download.py). SQLite is never touched by
the event loop: the engine's bookkeeping (validators, run history, robots cache) goes through one
Store living in its own thread, and bodies are archived, parsed and stored by an IngestPool
(ingest_pool.py: worker processes, or one thread) with a Store of their own. Every connection stays
in the thread that opened it (``check_same_thread`` is kept on, so a mistake raises instead of
corrupting), and every write is a short transaction: a fetch killed at any moment loses at most the
body being written, which the next run downloads again since its validators are saved only after it
was stored.

One source failing, hanging or raising never stops the others: each source is its own task, each
request has a deadline, and every exception ends as an error line for its source.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from missionboard import USER_AGENT, fetch_state
from missionboard.archive import Archive
from missionboard.config import FetchSettings
from missionboard.download import Downloader, FetchError, RetryLater
from missionboard.health import combine_coverage
from missionboard.ingest_pool import IngestJob, IngestPool, IngestWorker
from missionboard.model import utc_now
from missionboard.politeness import HostLimiter
from missionboard.robots import Robots
from missionboard.sources.recipe import Endpoint, Recipe
from missionboard.store import Store, UpsertResult

# More worker processes than this brings nothing for a handful of feeds and costs memory.
MAX_PROCESSES = 4

T = TypeVar("T")


@dataclass(slots=True)
class SourceReport:
    name: str
    status: str = "ok"  # ok, error, skipped
    items: int = 0
    result: UpsertResult = field(default_factory=UpsertResult)
    not_modified: int = 0
    bodies: int = 0  # response bodies parsed
    skipped: str = ""  # why the source was not fetched
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duration_ms: int = 0
    # (items, field coverage) of each body parsed, for the source's health (missionboard.health).
    coverages: list[tuple[int, dict[str, float]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def line(self) -> str:
        """One line for the end-of-fetch summary."""
        if self.status == "skipped":
            return f"{self.name}: skipped ({self.skipped})"
        counts = (
            f"{len(self.result.new)} new, {len(self.result.updated)} updated, "
            f"{len(self.result.unchanged)} unchanged"
        )
        if self.not_modified:
            counts += f", {self.not_modified} not modified"
        if self.errors:
            return f"{self.name}: error: {'; '.join(self.errors)} ({counts})"
        warning = f" (warning: {'; '.join(self.warnings)})" if self.warnings else ""
        return f"{self.name}: {counts}{warning}"

    def to_json(self) -> dict[str, Any]:
        """The machine-readable form printed by ``fetch --json``."""
        return {
            "name": self.name,
            "status": self.status,
            "new": len(self.result.new),
            "updated": len(self.result.updated),
            "unchanged": len(self.result.unchanged),
            "not_modified": self.not_modified,
            "skipped": self.skipped or None,
            "error": "; ".join(self.errors) or None,
            "warnings": self.warnings,
            "duration_ms": self.duration_ms,
        }


Progress = Callable[[int, int, SourceReport], None]


class StoreThread:
    """The engine's own Store, opened and used in one dedicated thread."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="missionboard-store")
        self._store: Store | None = None

    async def open(self) -> None:
        def opener() -> None:
            self._store = Store(self.db_path)

        await asyncio.get_running_loop().run_in_executor(self._executor, opener)

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(store, *args, **kwargs)`` in the store's thread."""

        def job() -> T:
            assert self._store is not None
            return fn(self._store, *args, **kwargs)

        return await asyncio.get_running_loop().run_in_executor(self._executor, job)

    def close(self) -> None:
        def closer() -> None:
            if self._store is not None:
                self._store.close()

        self._executor.submit(closer).result()
        self._executor.shutdown()


def first_url(recipe: Recipe, endpoint: Endpoint) -> str:
    """An endpoint's own URL with its query parameters."""
    url = recipe.url(endpoint)
    if endpoint.params:
        url = str(httpx.URL(url).copy_merge_params(endpoint.params))
    return url


def _human(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def skip_reason(store: Store, recipe: Recipe, force: bool) -> str:
    """Why this source should not be fetched now ('' to fetch it).

    A site's Retry-After is obeyed even with ``force``; the source's minimum interval, raised to the
    feed's ``<ttl>`` or the ``Cache-Control: max-age`` it sent, is waited out unless ``force``.
    """
    now = utc_now()
    states = [
        fetch_state.get_url_state(store, first_url(recipe, e)) for e in recipe.active_endpoints()
    ]
    waits = [s.retry_after for s in states if s.retry_after and s.retry_after > now]
    if waits:
        return f"the site asked to wait until {max(waits):%Y-%m-%d %H:%M} UTC"
    if force:
        return ""
    last = fetch_state.last_run_started(store, recipe.name)
    if last is None:
        return ""
    floor = max((s.freshness for s in states), default=0)
    interval = max(recipe.min_interval, floor)
    elapsed = (now - last).total_seconds()
    if elapsed >= interval:
        return ""
    why = " (the site's cache time)" if floor > recipe.min_interval else ""
    return f"fetched {_human(elapsed)} ago, next in {_human(interval - elapsed)}{why}; --force to fetch now"


class _Run:
    def __init__(
        self,
        db: StoreThread,
        downloader: Downloader,
        pool: IngestPool,
        *,
        force: bool,
        parse_timeout: float,
        progress: Progress | None,
        total: int,
    ):
        self.db = db
        self.downloader = downloader
        self.pool = pool
        self.force = force
        self.parse_timeout = parse_timeout
        self.progress = progress
        self.total = total
        self.done = 0

    async def source(self, recipe: Recipe) -> SourceReport:
        report = SourceReport(recipe.name)
        started, clock = utc_now(), time.perf_counter()
        try:
            report.skipped = await self.db.call(skip_reason, recipe, self.force)
            if report.skipped:
                report.status = "skipped"
            else:
                await asyncio.gather(
                    *(self.endpoint(recipe, e, report) for e in recipe.active_endpoints())
                )
                report.status = "ok" if report.ok else "error"
                await self.db.call(
                    Store.record_run,
                    recipe.name,
                    started,
                    report.status,
                    "; ".join(report.errors),
                    report.items,
                    report.result,
                    coverage=combine_coverage(report.coverages),
                )
        except Exception as exc:  # noqa: BLE001 - one broken source must never stop the others
            report.status = "error"
            report.errors.append(f"unexpected error: {exc!r}")
        report.duration_ms = round((time.perf_counter() - clock) * 1000)
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, report)
        return report

    async def endpoint(self, recipe: Recipe, endpoint: Endpoint, report: SourceReport) -> None:
        queue = [(first_url(recipe, endpoint), 1)]
        while queue:
            url, page = queue.pop(0)
            try:
                state = await self.db.call(fetch_state.get_url_state, url)
                got = await self.downloader.get(
                    url, state.etag, state.last_modified, endpoint.headers
                )
                if got.status == 304:
                    # A 304 is success: its validators replace the old ones; nothing is parsed.
                    report.not_modified += 1
                    await self.db.call(
                        fetch_state.save_response_meta,
                        url,
                        got.etag,
                        got.last_modified,
                        max_age=got.max_age,
                        body_seen=False,
                    )
                    continue
                # Parsed against the URL it came from (after redirects), so relative links resolve.
                job = IngestJob(
                    recipe.name, endpoint.name, got.final_url, page, utc_now(), got.body
                )
                outcome = await self.pool.run(job, self.parse_timeout)
                if outcome.error:
                    report.errors.append(f"{endpoint.name}: {outcome.error}")
                    continue
                if outcome.report is not None:
                    report.bodies += 1
                    report.items += outcome.report.items
                    report.result.merge(outcome.report.result)
                    report.warnings += outcome.report.warnings
                    report.coverages.append((outcome.report.items, outcome.report.coverage))
                # Saved only once the body is stored: a body lost to a crash is fetched again.
                await self.db.call(
                    fetch_state.save_response_meta,
                    url,
                    got.etag,
                    got.last_modified,
                    max_age=got.max_age,
                    ttl=outcome.ttl,
                    body_seen=True,
                )
                queue += [(u, page + 1) for u in outcome.follow_ups]
            except RetryLater as exc:
                await self.db.call(fetch_state.save_retry_after, url, exc.when)
                report.errors.append(f"{endpoint.name}: {exc}")
            except FetchError as exc:
                report.errors.append(f"{endpoint.name}: {exc}")


def _processes(count: int) -> int:
    return min(os.cpu_count() or 1, MAX_PROCESSES, count)


def fetch_all(
    db: Path | Store,
    recipes: list[Recipe],
    settings: FetchSettings,
    *,
    force: bool = False,
    archive: Archive | None = None,
    progress: Progress | None = None,
    close_in_workers: tuple[int, ...] = (),
    processes: int | None = None,
) -> list[SourceReport]:
    """Fetch every given recipe concurrently; one report per recipe, in the order given.

    ``db`` is the database file. Given a path, call this before the process opens any connection
    to it: the parsing workers are forked first, and SQLite connections must not cross a fork. Given
    an open Store (tests, library use), its file is used and the parsing stays in one thread of this
    process. ``close_in_workers`` names file descriptors (the fetch lock) the workers drop.
    Raises StoreError if the database cannot be opened at all.
    """
    if isinstance(db, Store):
        db_path, processes = db.path, 1
    else:
        db_path = Path(db)
    worker = IngestWorker(db_path, {r.name: r for r in recipes}, archive)
    count = _processes(len(recipes)) if processes is None else processes
    pool = IngestPool(worker, count, close_in_workers)
    try:
        return asyncio.run(_fetch_all(db_path, recipes, settings, pool, force, progress))
    finally:
        pool.close()
        if archive is not None:
            try:
                archive.rotate()
            except OSError:
                pass  # a full or read-only disk must not turn a good fetch into a failure


async def _fetch_all(
    db_path: Path,
    recipes: list[Recipe],
    settings: FetchSettings,
    pool: IngestPool,
    force: bool,
    progress: Progress | None,
) -> list[SourceReport]:
    db = StoreThread(db_path)
    try:
        await db.open()
        headers = {
            "User-Agent": settings.user_agent or USER_AGENT,
            "Accept-Encoding": "gzip, deflate",
        }
        timeout = httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout))
        async with httpx.AsyncClient(
            timeout=timeout, headers=headers, follow_redirects=False
        ) as client:
            limiter = HostLimiter(settings.concurrency, settings.per_host, settings.host_delay)
            robots = (
                Robots(client, limiter, db.call, settings.timeout)
                if settings.respect_robots
                else None
            )
            downloader = Downloader(
                client,
                limiter,
                robots,
                timeout=settings.timeout,
                retries=settings.retries,
                max_bytes=settings.max_bytes,
                max_wait=min(30.0, settings.timeout),
            )
            run = _Run(
                db,
                downloader,
                pool,
                force=force,
                parse_timeout=max(30.0, settings.timeout),
                progress=progress,
                total=len(recipes),
            )
            return list(await asyncio.gather(*(run.source(r) for r in recipes)))
    finally:
        db.close()
