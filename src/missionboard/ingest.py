"""Ingest: parse one response body, normalise, merge with what the store knows, upsert.

The same path serves fetch (bodies from the network), reparse (bodies from the raw archive), the demo
(bundled recordings) and the tests, so none of them needs a network to exercise the real parsers.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime

from missionboard.health import COVERAGE_FIELDS, coverage
from missionboard.model import RawMission
from missionboard.normalise import normalise
from missionboard.sources.recipe import Endpoint, Recipe
from missionboard.store import Store, UpsertResult


@dataclass(slots=True)
class IngestReport:
    items: int = 0
    result: UpsertResult = field(default_factory=UpsertResult)
    warnings: list[str] = field(default_factory=list)
    # Share of the parsed items with each RawMission field filled (see missionboard.health).
    coverage: dict[str, float] = field(default_factory=dict)


def merge_raw(old: RawMission | None, new: RawMission) -> RawMission:
    """Combine what two endpoints (or two fetches) said about one mission.

    A field the new response leaves empty keeps its old value (the RSS feed has no offers, the
    listing page has no exact date). The first known posting date is kept, since a relative age
    ("Il y a 2 heures") re-read at every fetch would drift, unless an exact date replaces an
    approximate one; the longer description is kept, since one endpoint may only carry an excerpt.
    """
    if old is None:
        return new
    merged = dataclasses.replace(
        new, tags=list(new.tags), categories=list(new.categories), extra=dict(new.extra)
    )
    for f in dataclasses.fields(RawMission):
        value = getattr(new, f.name)
        if value in (None, "", [], {}):
            setattr(merged, f.name, getattr(old, f.name))
    exact_replaces_approx = old.extra.get("posted_at_approx") and not new.extra.get(
        "posted_at_approx"
    )
    if old.posted_at is not None and not (exact_replaces_approx and new.posted_at is not None):
        merged.posted_at = old.posted_at
    if len(old.description) > len(new.description):
        merged.description = old.description
    merged.extra = {**old.extra, **new.extra}
    date_from = old if merged.posted_at is old.posted_at else new
    merged.extra.pop("posted_at_approx", None)
    if date_from.extra.get("posted_at_approx"):
        merged.extra["posted_at_approx"] = True
    return merged


def ingest_raw(
    store: Store, recipe: Recipe, raws: list[RawMission], seen_at: datetime
) -> UpsertResult:
    """Normalise and upsert raw records, merged with the stored raw record of the same uid."""
    items = []
    for raw in raws:
        merged = merge_raw(store.get_raw(raw.uid), raw)
        items.append((normalise(merged, recipe.defaults), merged))
    return store.upsert(items, seen_at)


def ingest_body(
    store: Store,
    recipe: Recipe,
    endpoint: Endpoint,
    body: bytes,
    fetched_at: datetime,
    url: str = "",
) -> IngestReport:
    """Parse a response body with the recipe and store its missions. Raises ParseError if unreadable."""
    report = IngestReport()
    raws = recipe.parse(endpoint, body, fetched_at, url, report.warnings)
    report.items = len(raws)
    report.coverage = coverage(raws) if raws else dict.fromkeys(COVERAGE_FIELDS, 0.0)
    report.result = ingest_raw(store, recipe, raws, fetched_at)
    return report


def renormalise_store(
    store: Store, recipes: dict[str, Recipe], batch: int = 500
) -> tuple[int, int]:
    """Re-run the normaliser over every stored raw record, offline; return (seen, changed).

    Missions of a source that no longer has a recipe keep neutral defaults. Works in short
    batches so a TUI or a fetch can use the store meanwhile.
    """
    seen = changed = 0
    last_id = 0
    while True:
        rows = store.execute(
            "SELECT id, source, raw FROM missions WHERE id > ? ORDER BY id LIMIT ?",
            (last_id, batch),
        ).fetchall()
        if not rows:
            return seen, changed
        last_id = rows[-1]["id"]
        items = []
        for row in rows:
            data = json.loads(row["raw"])
            if not data:
                continue
            raw = RawMission.from_json(data)
            recipe = recipes.get(row["source"])
            items.append((normalise(raw, recipe.defaults if recipe else None), raw))
        seen += len(items)
        changed += len(store.update_normalised(items))
