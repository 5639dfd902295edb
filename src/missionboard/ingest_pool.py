"""Where fetch runs the CPU work (archive, parse, normalise, store), away from the event loop.

Parsing a feed costs tens of milliseconds of pure Python, so 30 feeds answering at once would queue
for seconds behind one core. On systems with ``fork`` the work goes to a small pool of worker
processes, forked before the engine starts any thread or opens any database connection (SQLite
connections must never cross a fork). Each worker opens its own Store and writes its results in
short transactions (SQLite WAL serialises writers; readers such as the TUI are never blocked). A
worker stuck on a pathological body is abandoned after a timeout and killed at the end of the run.
Elsewhere, or with a single source, one thread with its own Store does the same work.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import re
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from missionboard.archive import Archive
from missionboard.ingest import IngestReport, ingest_body
from missionboard.politeness import rss_ttl
from missionboard.sources.parsers import ParseError
from missionboard.sources.recipe import Recipe
from missionboard.store import Store, StoreError

# XML bodies that declare entities are refused before any parser sees them: feeds never need them,
# and "billion laughs" bombs need them (expat stops them too, but only after seconds of work).
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


class UnsafeBody(Exception):
    pass


def check_body(kind: str, body: bytes) -> None:
    """Refuse bodies no parser should be given. Raises UnsafeBody."""
    if kind == "rss" and _ENTITY_DECL.search(body, 0, 65536):
        raise UnsafeBody("refused: the feed declares XML entities (a possible entity bomb)")


@dataclass(slots=True)
class IngestJob:
    source: str
    endpoint: str
    url: str
    page: int
    fetched_at: datetime
    body: bytes


@dataclass(slots=True)
class IngestOutcome:
    report: IngestReport | None = None  # None for a discover page (it holds no missions)
    follow_ups: list[str] = field(default_factory=list)
    ttl: int | None = None
    error: str | None = None


class IngestWorker:
    """Archives, parses and stores one body with a Store of its own (one per thread or process)."""

    def __init__(self, db_path: Path, recipes: dict[str, Recipe], archive: Archive | None):
        self.db_path = db_path
        self.recipes = recipes
        self.archive = archive
        self._local = threading.local()

    def store(self) -> Store:
        if getattr(self._local, "store", None) is None:
            self._local.store = Store(self.db_path)
        return self._local.store

    def close_store(self) -> None:
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None

    def run(self, job: IngestJob) -> IngestOutcome:
        recipe = self.recipes[job.source]
        endpoint = recipe.endpoints[job.endpoint]
        outcome = IngestOutcome(ttl=rss_ttl(job.body) if endpoint.kind == "rss" else None)
        try:
            if self.archive is not None:
                # Archived before parsing: a body today's parser rejects is what a fixed one needs.
                try:
                    self.archive.save(
                        job.source, job.endpoint, job.url, job.page, job.fetched_at, job.body
                    )
                except OSError as exc:
                    outcome.error = f"cannot write the archive ({exc.strerror or exc})"
                    return outcome
            check_body(endpoint.kind, job.body)
            if not (endpoint.discover is not None and job.page == 1):
                outcome.report = ingest_body(
                    self.store(), recipe, endpoint, job.body, job.fetched_at, job.url
                )
            outcome.follow_ups = recipe.follow_ups(endpoint, job.body, job.url, job.page)
        except (ParseError, UnsafeBody, StoreError) as exc:
            outcome.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a broken parser or hook fails its source only
            outcome.error = f"unexpected error while parsing: {exc!r}"
        return outcome


# The worker the pool's processes inherit through fork (recipes may hold closures, not picklable).
_worker: IngestWorker | None = None


def _run_job(job: IngestJob) -> IngestOutcome:
    assert _worker is not None
    return _worker.run(job)


def _close_job() -> None:
    if _worker is not None:
        _worker.close_store()


def _child_init(close_fds: tuple[int, ...]) -> None:
    # Ctrl-C is the parent's to handle; the lock file belongs to the parent alone.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fd in close_fds:
        try:
            os.close(fd)
        except OSError:
            pass


class IngestPool:
    def __init__(self, worker: IngestWorker, processes: int, close_in_child: tuple[int, ...] = ()):
        global _worker
        _worker = worker
        self._pool: Any = None
        self._thread: ThreadPoolExecutor | None = None
        self._abandoned = False
        if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
            self._pool = multiprocessing.get_context("fork").Pool(
                processes, initializer=_child_init, initargs=(close_in_child,)
            )
        else:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="missionboard-ingest")

    @property
    def processes(self) -> bool:
        return self._pool is not None

    async def run(self, job: IngestJob, timeout: float) -> IngestOutcome:
        loop = asyncio.get_running_loop()
        if self._pool is not None:
            future: asyncio.Future[IngestOutcome] = loop.create_future()

            def done(result: Any) -> None:
                if not future.done():
                    future.set_result(result)

            def failed(exc: BaseException) -> None:
                if not future.done():
                    future.set_exception(exc)

            self._pool.apply_async(
                _run_job,
                (job,),
                callback=lambda r: loop.call_soon_threadsafe(done, r),
                error_callback=lambda e: loop.call_soon_threadsafe(failed, e),
            )
        else:
            assert self._thread is not None
            future = loop.run_in_executor(self._thread, _run_job, job)
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            self._abandoned = True
            return IngestOutcome(error=f"parsing took longer than {timeout:g} s, abandoned")

    def close(self) -> None:
        """Wait for the workers to finish; kill them if one was abandoned mid-job."""
        if self._pool is not None:
            if self._abandoned:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
        if self._thread is not None:
            self._thread.submit(_close_job)
            self._thread.shutdown(wait=not self._abandoned, cancel_futures=True)
