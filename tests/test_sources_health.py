"""Source health: coverage recorded at each fetch, warnings when a source goes quiet or a field
collapses, and `missionboard sources`."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from missionboard.cli import cli
from missionboard.health import COVERAGE_FIELDS, combine_coverage, coverage, health_warnings
from missionboard.sources import load_recipes
from missionboard.store import Store
from tests.configs import only_configured_sources
from tests.httpserver import Route

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 8, 4, tzinfo=UTC)
EMPTY_FEED = (
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Codeur</title>'
    b"<link>https://www.codeur.com</link><description>x</description></channel></rss>"
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_coverage_is_the_share_of_items_with_each_field():
    recipe = load_recipes().recipes["remoteok"]
    body = (FIXTURES / "remoteok/api_2026-07_ikevinxie_trimmed.json").read_bytes()
    raws = recipe.parse(recipe.endpoints["api"], body, NOW)
    shares = coverage(raws)
    assert set(shares) == set(COVERAGE_FIELDS)
    assert shares["tags"] == shares["posted_at"] == shares["client"] == 1.0
    # RemoteOK says 0 for "no salary": not a salary.
    assert shares["salary_min"] == 0.0 and shares["budget_text"] == 0.0
    assert coverage([]) == {}
    # Two bodies of one source are weighted by their item counts.
    combined = combine_coverage([(3, {"tags": 1.0}), (1, {"tags": 0.0})])
    assert combined["tags"] == 0.75
    assert combine_coverage([(0, {})])["title"] == 0.0 and combine_coverage([]) == {}


def record(store: Store, items: int, status: str = "ok", **fields: float) -> None:
    shares = dict.fromkeys(COVERAGE_FIELDS, 0.0) if items or fields else {}
    shares.update({"title": 1.0, "url": 1.0} if items else {}, **fields)
    store.record_run(
        "codeur", NOW, status, "" if status == "ok" else "HTTP 500", items, None, shares
    )


def test_three_empty_runs_in_a_row_warn(tmp_path):
    with Store(tmp_path / "m.db") as store:
        record(store, 35, budget_text=1.0)
        record(store, 0, title=0.0)
        record(store, 0, title=0.0)
        assert health_warnings(store, "codeur") == []
        # A run that only got "304 Not Modified" read nothing: it neither counts nor breaks the row.
        record(store, 0)
        assert health_warnings(store, "codeur") == []
        record(store, 0, title=0.0)
        assert health_warnings(store, "codeur") == [
            "codeur: no missions in the last 3 fetches (the site may have changed its pages or its API)"
        ]
        record(store, 12, budget_text=1.0)
        assert health_warnings(store, "codeur") == []


def test_a_collapsing_field_warns_and_a_dip_does_not(tmp_path):
    with Store(tmp_path / "m.db") as store:
        for _ in range(3):
            record(store, 35, budget_text=1.0, posted_at=1.0, tags=0.2)
        record(store, 35, budget_text=0.8, posted_at=1.0, tags=0.0)
        assert health_warnings(store, "codeur") == []
        record(store, 35, budget_text=0.0, posted_at=1.0, tags=0.0)
        (warning,) = health_warnings(store, "codeur")
        assert warning.startswith("codeur: budget_text filled in 0% of the last fetch's missions")
        assert "95% before" in warning


def test_fetch_records_coverage_and_warns_when_the_markup_changes(tmp_path, server):
    config = tmp_path / "config.toml"
    config.write_text(
        only_configured_sources(f'[sources.codeur]\nbase_url = "{server.url}"\n'), encoding="utf-8"
    )
    args = ["--config", str(config), "--db", str(tmp_path / "m.db")]
    feed = (FIXTURES / "codeur/projects_35.rss").read_bytes()
    server.routes["/projects.rss"] = Route(body=feed)
    for _ in range(2):
        result = run(*args, "fetch", "--force")
        assert result.exit_code == 0 and result.stderr == ""
    # The site renames "Budget" in its feed: the parser still finds the projects, not the budgets.
    server.routes["/projects.rss"] = Route(body=re.sub(rb"Budget :", b"Tarif :", feed))
    result = run(*args, "fetch", "--force", "-v")
    assert result.exit_code == 0
    assert result.stdout.strip() == "codeur: 0 new, 35 updated, 0 unchanged"
    assert (
        "missionboard: warning: codeur: budget_text filled in 0% of the last fetch's missions, "
        "100% before (did the site change its markup?)"
    ) in result.stderr
    with Store(tmp_path / "m.db") as store:
        latest, previous = store.last_runs("codeur", 2)
        assert json.loads(previous["coverage"])["budget_text"] == 1.0
        assert json.loads(latest["coverage"])["budget_text"] == 0.0
        assert json.loads(latest["coverage"])["posted_at"] == 1.0
    # Then the feed comes back empty three times: the source is reported silent.
    server.routes["/projects.rss"] = Route(body=EMPTY_FEED)
    for _ in range(3):
        result = run(*args, "fetch", "--force")
    assert "codeur: no missions in the last 3 fetches" in result.stderr


def test_sources_command_shows_status_items_and_failures(tmp_path, server):
    config = tmp_path / "config.toml"
    config.write_text(
        only_configured_sources(
            f'[sources.codeur]\nbase_url = "{server.url}"\n\n'
            f'[[feeds]]\nurl = "{server.url}/feed.rss"\nname = "myfeed"\n'
        ),
        encoding="utf-8",
    )
    args = ["--config", str(config), "--db", str(tmp_path / "m.db")]
    server.routes["/projects.rss"] = Route.file(FIXTURES / "codeur/projects_35.rss")
    server.routes["/feed.rss"] = Route(status=500, body=b"down")
    assert run(*args, "fetch").exit_code == 1
    assert run(*args, "fetch", "-s", "myfeed", "--force").exit_code == 1
    result = run(*args, "sources")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "SOURCE",
        "ON",
        "ENDPOINTS",
        "LAST",
        "FETCH",
        "STATUS",
        "STORED",
        "FAILS",
    ]
    rows = {
        line.split()[0]: line.split()
        for line in lines[1:]
        if not line.startswith(("warning", "myfeed:"))
    }
    codeur = rows["codeur"]
    assert codeur[1:4] == ["yes", "rss", "(+2"] and codeur[-3:] == ["ok", "35", "0"]
    assert rows["myfeed"][-3:] == ["error", "0", "2"]
    assert rows["remoteok"][1] == "no" and rows["remoteok"][-3:] == ["-", "0", "0"]
    # (a 5xx is retried twice by the fetch engine before it counts as a failure)
    assert f"myfeed: last error: feed: HTTP 500 from {server.url}/feed.rss after 3 tries" in lines
    machine = [json.loads(line) for line in run(*args, "sources", "--json").stdout.splitlines()]
    by_name = {row["name"]: row for row in machine}
    assert by_name["codeur"]["items_in_store"] == 35 and by_name["codeur"]["endpoints"] == ["rss"]
    assert by_name["myfeed"]["consecutive_failures"] == 2
    assert "terms" in by_name["weworkremotely"]["terms"]
