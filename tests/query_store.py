"""A store of real missions for the query, export and alert tests.

The bundled Codeur recordings (35 French missions, through the real recipe) plus five Remotive jobs
(English, employment and freelance, remote, salaries) through a Remotive recipe, so every field of
the search language has real values to find and to miss.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

from missionboard.demo import build_demo_store
from missionboard.ingest import ingest_body
from missionboard.sources.recipe import recipe_from_dict
from missionboard.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 8, 3, 12, 0, tzinfo=UTC)
CODEUR_FETCHED = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)

REMOTIVE_RECIPE = """
name = "remotive"
base_url = "https://remotive.com"
language = "en"
remote_prior = "remote"

[category_map]
"Design" = "design"
"Sales" = "marketing"
"Data and Analytics" = "data"

[endpoints.api]
kind = "json"
path = "/api/remote-jobs"
items = "jobs"

[endpoints.api.fields]
native_id = "id"
url = "url"
title = "title"
client = "company_name"
description = { path = "description", type = "html" }
posted_at = { path = "publication_date", type = "date" }
categories = { path = "category", all = true }
tags = { path = "tags", type = "list" }
contract_field = "job_type"
location = "candidate_required_location"
budget_text = "salary"
"""


def build_query_store(path: Path) -> Path:
    """Codeur (demo recordings) and Remotive missions in a new store at ``path``."""
    build_demo_store(path)
    recipe = recipe_from_dict(tomllib.loads(REMOTIVE_RECIPE), "remotive-test")
    body = (FIXTURES / "remotive/api_remote-jobs_2026-08-03_lcarlini_5jobs.json").read_bytes()
    fetched = datetime(2026, 8, 3, 9, 0, tzinfo=UTC)
    with Store(path) as store:
        endpoint = recipe.endpoints["api"]
        report = ingest_body(store, recipe, endpoint, body, fetched, recipe.url(endpoint))
        assert not report.warnings, report.warnings
    return path
