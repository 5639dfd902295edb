"""What the interface needs from the rest of missionboard, each in one place to rewire.

A second read-only connection serves searches and counts in worker threads (guarded by a lock), so
the main thread's connection stays free for the small reads and the user's own writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from missionboard.config import Config, Paths
from missionboard.query import prepare_match
from missionboard.store import Store, StoreError


@dataclass
class Session:
    """The paths, the config and the two connections the interface works with."""

    paths: Paths
    config: Config
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC).replace(microsecond=0))
    demo: bool = False

    def __post_init__(self) -> None:
        self.store = Store(self.paths.db)
        self._reader = Store(self.paths.db, check_same_thread=False)
        self._reader_lock = threading.Lock()
        try:  # sort:match then reads the scores in order (see Store.set_match_profile)
            prepare_match(self.store, self.config.profile_skills)
        except StoreError:
            pass  # a busy store: sort:match computes the shares itself meanwhile

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """The worker-thread connection, one user at a time."""
        with self._reader_lock:
            yield self._reader

    def close(self) -> None:
        self.store.close()
        with self._reader_lock:
            self._reader.close()


def run_fetch(paths: Paths, config: Config, progress: Callable[[str], None]) -> list[str]:
    """Fetch every enabled source into the store; one summary line per source.

    Runs in a worker thread. This is the one place that knows how a fetch is started, so a new
    fetch engine is wired in here. It takes the same lock as `missionboard fetch` (a cron fetch
    running meanwhile is reported, not doubled) and parses in this process: forking parsing workers
    from a process holding SQLite connections is not safe.
    """
    from missionboard.archive import Archive
    from missionboard.fetch import fetch_all
    from missionboard.lockfile import FetchLock, LockHeld
    from missionboard.sources import load_recipes
    from missionboard.sources.text import one_line as plain

    recipe_set = load_recipes(config.sources, config.feeds, paths.user_recipes_dir)
    recipes = [r for r in recipe_set.recipes.values() if r.enabled]
    lines = [f"warning: {e}" for e in recipe_set.errors]
    if not recipes:
        return [*lines, "no source is enabled; enable one in the config ([sources.NAME])"]
    settings = config.fetch
    archive = (
        Archive(paths.archive_dir, settings.archive_max_days, settings.archive_max_mb)
        if settings.archive
        else None
    )
    try:
        lock = FetchLock(paths.lock_file).acquire()
    except LockHeld as exc:
        return [*lines, str(exc)]
    progress(f"fetching {len(recipes)} sources")

    def step(done: int, total: int, report) -> None:
        progress(f"{done}/{total} sources done ({report.name}: {report.status})")

    try:
        with Store(paths.db) as store:
            reports = fetch_all(store, recipes, settings, archive=archive, progress=step)
    finally:
        lock.release()
    return [*lines, *(plain(report.line()) for report in reports)]


def source_health(store: Store, paths: Paths, config: Config) -> list[dict]:
    """Per source: enabled, last fetch, status, counts, failures, warnings."""
    from missionboard.sources import load_recipes

    try:
        from missionboard.health import health_warnings  # type: ignore[import-not-found]
    except ImportError:
        health_warnings = None
    recipe_set = load_recipes(config.sources, config.feeds, paths.user_recipes_dir)
    in_store = dict(
        store.execute("SELECT source, count(*) FROM missions GROUP BY source").fetchall()
    )
    names = sorted(set(recipe_set.recipes) | set(in_store))
    out = []
    for name in names:
        recipe = recipe_set.recipes.get(name)
        runs = store.last_runs(name, 10)
        last = runs[0] if runs else None
        warnings: list[str] = []
        if health_warnings is not None:
            try:
                warnings = list(health_warnings(store, name))
            except Exception as exc:  # noqa: BLE001 - health is advice, never a crash
                warnings = [f"health check failed: {exc}"]
        out.append(
            {
                "name": name,
                "enabled": bool(recipe and recipe.enabled),
                "known": recipe is not None,
                "last": last["finished_at"] or last["started_at"] if last else None,
                "status": last["status"] if last else "never fetched",
                "error": last["error"] if last else "",
                "new": last["new"] if last else 0,
                "updated": last["updated"] if last else 0,
                "missions": in_store.get(name, 0),
                "failures": sum(1 for r in runs if r["status"] != "ok"),
                "runs": len(runs),
                "warnings": warnings,
            }
        )
    return out
