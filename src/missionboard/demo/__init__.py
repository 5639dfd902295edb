"""The demo store: real recordings bundled with missionboard, ingested through the real recipes.

`missionboard demo` opens the interface on it, for a first look without a network.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from missionboard.ingest import ingest_body
from missionboard.sources.recipe import load_recipes
from missionboard.store import Store


@dataclass(frozen=True, slots=True)
class DemoReport:
    missions: int
    warnings: list[str]


def build_demo_store(path: str | Path) -> DemoReport:
    """Create (or refresh) a store at ``path`` from the bundled recordings."""
    folder = resources.files("missionboard.demo")
    manifest = tomllib.loads(folder.joinpath("manifest.toml").read_text("utf-8"))
    recipes = load_recipes().recipes
    warnings: list[str] = []
    with Store(path) as store:
        for entry in manifest["recordings"]:
            recipe = recipes[entry["source"]]
            endpoint = recipe.endpoints[entry["endpoint"]]
            body = folder.joinpath("recordings", entry["file"]).read_bytes()
            fetched_at = datetime.fromisoformat(entry["fetched_at"])
            report = ingest_body(store, recipe, endpoint, body, fetched_at, recipe.url(endpoint))
            warnings += [f"{entry['file']}: {w}" for w in report.warnings]
        return DemoReport(store.count(), warnings)
