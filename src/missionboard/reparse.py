"""Reparse: re-derive every mission from the raw archive, offline, after a parser fix.

Bodies are ingested oldest first through the very path a fetch uses (``ingest_body``), each with the
time it was fetched, so relative dates resolve as they did then and newer bodies win merges as they
did then. User state is never touched (the store's upsert does not know it).
"""

from __future__ import annotations

import time

from missionboard.archive import Archive
from missionboard.fetch import SourceReport
from missionboard.ingest import ingest_body
from missionboard.ingest_pool import UnsafeBody, check_body
from missionboard.sources.parsers import ParseError
from missionboard.sources.recipe import Recipe
from missionboard.store import Store


def reparse_archive(
    store: Store, archive: Archive, recipes: dict[str, Recipe], only: set[str] | None = None
) -> tuple[list[SourceReport], list[str]]:
    """One report per source found in the archive, and warnings about files that were passed over."""
    reports: dict[str, SourceReport] = {}
    warnings: list[str] = []
    unknown: dict[str, int] = {}
    clock: dict[str, float] = {}
    for entry in archive.entries(only):
        if isinstance(entry, ValueError):
            warnings.append(str(entry))
            continue
        recipe = recipes.get(entry.source)
        endpoint = recipe.endpoints.get(entry.endpoint) if recipe else None
        if recipe is None or endpoint is None:
            key = f"{entry.source}.{entry.endpoint}"
            unknown[key] = unknown.get(key, 0) + 1
            continue
        report = reports.setdefault(entry.source, SourceReport(entry.source))
        started = time.perf_counter()
        if endpoint.discover is not None and entry.page == 1:
            continue  # an index page: it only names the pages that hold missions
        try:
            check_body(endpoint.kind, entry.body)
            ingested = ingest_body(store, recipe, endpoint, entry.body, entry.fetched_at, entry.url)
        except (ParseError, UnsafeBody) as exc:
            report.errors.append(f"{entry.path.name}: {exc}")
            continue
        finally:
            clock[entry.source] = clock.get(entry.source, 0.0) + time.perf_counter() - started
        report.bodies += 1
        report.items += ingested.items
        report.result.merge(ingested.result)
    for key, count in sorted(unknown.items()):
        warnings.append(
            f"{count} archived bodies of {key}, which no recipe defines now, left alone"
        )
    for report in reports.values():
        # Each mission is counted once, by its last outcome, not once per body that held it.
        result = report.result
        new = set(result.new)
        updated = set(result.updated) - new
        unchanged = set(result.unchanged) - new - updated
        result.new, result.updated, result.unchanged = (
            sorted(new),
            sorted(updated),
            sorted(unchanged),
        )
        report.status = "error" if report.errors else "ok"
        report.duration_ms = round(clock.get(report.name, 0.0) * 1000)
    return list(reports.values()), warnings
