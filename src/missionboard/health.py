"""Source health: per-field coverage of each fetch, and warnings when a source goes quiet.

A site that changes its markup rarely fails loudly: the page still answers 200 and the parser
finds nothing, or finds items whose budget or date is suddenly empty. Each fetch records how many
items a source gave and the share of them with each field filled (``source_runs.coverage``);
``health_warnings`` compares the latest runs with the ones before and says what looks wrong.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from missionboard.model import RawMission
from missionboard.store import Store

# The fields whose coverage is measured: everything a parser can fill, not the bookkeeping.
COVERAGE_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(RawMission)
    if f.name not in {"source", "fetched_at", "extra"}
)
# Runs in a row with nothing before a source is reported as silent.
SILENT_RUNS = 3
# How many earlier runs a field's coverage is compared with.
HISTORY = 5
# A field that was filled in at least this share of items...
WAS_FILLED = 0.5
# ...and now is filled in less than this fraction of what it was, has collapsed.
COLLAPSE_RATIO = 0.4


def _filled(value: Any, name: str) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return False
    # Job boards write 0 for "no salary given" (RemoteOK): that is not a salary.
    return not (name.startswith("salary_") and value == 0)


def coverage(raws: Iterable[RawMission]) -> dict[str, float]:
    """The share of items with each field filled, rounded to 3 places; {} when there are none."""
    items = list(raws)
    if not items:
        return {}
    return {
        name: round(sum(_filled(getattr(raw, name), name) for raw in items) / len(items), 3)
        for name in COVERAGE_FIELDS
    }


def combine_coverage(parts: Iterable[tuple[int, dict[str, float]]]) -> dict[str, float]:
    """Coverage of several bodies (endpoints, pages) of one source, weighted by their item counts.

    A body parsed with no items still says "parsed, nothing found": its fields count as 0.0, so a
    source whose every page came back empty is told apart from one that was not modified (304).
    """
    parts = list(parts)
    total = sum(count for count, _ in parts)
    if not parts:
        return {}
    if total == 0:
        return dict.fromkeys(COVERAGE_FIELDS, 0.0)
    return {
        name: round(sum(count * cov.get(name, 0.0) for count, cov in parts) / total, 3)
        for name in COVERAGE_FIELDS
    }


def _parsed_something(run: Any) -> bool:
    """Whether a run read at least one body (a run that got only 304s tells nothing)."""
    return run["status"] != "ok" or run["items"] > 0 or bool(json.loads(run["coverage"] or "{}"))


def health_warnings(store: Store, source: str) -> list[str]:
    """What looks wrong with a source from its recent runs, one sentence each."""
    runs = [r for r in store.last_runs(source, limit=50) if _parsed_something(r)]
    warnings: list[str] = []
    recent = runs[:SILENT_RUNS]
    if len(recent) == SILENT_RUNS and all(r["items"] == 0 for r in recent):
        failing = sum(r["status"] != "ok" for r in recent)
        why = (
            "they all failed"
            if failing == SILENT_RUNS
            else "the site may have changed its pages or its API"
        )
        warnings.append(f"{source}: no missions in the last {SILENT_RUNS} fetches ({why})")
    if not runs or runs[0]["items"] == 0:
        return warnings
    latest = json.loads(runs[0]["coverage"] or "{}")
    earlier = [json.loads(r["coverage"] or "{}") for r in runs[1 : 1 + HISTORY] if r["items"] > 0]
    if not latest or not earlier:
        return warnings
    for name in COVERAGE_FIELDS:
        before = sum(c.get(name, 0.0) for c in earlier) / len(earlier)
        now = latest.get(name, 0.0)
        if before >= WAS_FILLED and now < before * COLLAPSE_RATIO:
            warnings.append(
                f"{source}: {name} filled in {now:.0%} of the last fetch's missions, "
                f"{before:.0%} before (did the site change its markup?)"
            )
    return warnings
