"""A store of real missions for the query, export and alert tests.

The bundled Codeur recordings (35 French missions) plus five recorded Remotive jobs
(English, employment and freelance, remote, salaries), both through the shipped recipes, so every
field of the search language has real values to find and to miss.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from missionboard.ingest import ingest_body
from missionboard.sources.recipe import load_recipes
from missionboard.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 8, 3, 12, 0, tzinfo=UTC)
CODEUR_FETCHED = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)
REMOTIVE_FETCHED = datetime(2026, 8, 3, 9, 0, tzinfo=UTC)


def build_query_store(path: Path) -> Path:
    """Codeur (the bundled RSS and listing recordings) and Remotive missions in a new store."""
    recipes = load_recipes().recipes
    demo = resources.files("missionboard.demo").joinpath("recordings")
    bodies = [
        ("codeur", "rss", demo.joinpath("codeur_rss.xml").read_bytes(), CODEUR_FETCHED),
        ("codeur", "listing", demo.joinpath("codeur_listing.html").read_bytes(), CODEUR_FETCHED),
        (
            "remotive",
            "api",
            (FIXTURES / "remotive/api_remote-jobs_2026-08-03_lcarlini_5jobs.json").read_bytes(),
            REMOTIVE_FETCHED,
        ),
    ]
    with Store(path) as store:
        for source, endpoint_name, body, fetched in bodies:
            recipe = recipes[source]
            endpoint = recipe.endpoints[endpoint_name]
            report = ingest_body(store, recipe, endpoint, body, fetched, recipe.url(endpoint))
            assert not report.warnings, report.warnings
    return path
