"""Every built-in source fetched for real through `missionboard fetch`, from a local HTTP server
standing in at the recipe's base_url; feeds, user recipes, pagination and recipe errors too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from missionboard.cli import cli
from missionboard.config import FetchSettings
from missionboard.fetch import fetch_all
from missionboard.sources import load_recipes
from missionboard.store import Store
from tests.configs import only_configured_sources
from tests.httpserver import Route

FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json; charset=utf-8"
XML = "application/rss+xml; charset=utf-8"

# source -> (routes: server path -> (fixture, content type), missions expected)
SOURCES = {
    "codeur": ({"/projects.rss": ("codeur/projects_35.rss", XML)}, 35),
    "remoteok": ({"/api": ("remoteok/api_2026-04-17_aibuilderX_trimmed5.json", JSON)}, 4),
    "remotive": (
        {"/api/remote-jobs": ("remotive/api_remote-jobs_2026-08-03_lcarlini_5jobs.json", JSON)},
        5,
    ),
    "jobicy": (
        {"/api/v2/remote-jobs": ("jobicy/api_v2_remote-jobs_2026-08-03_lcarlini_5jobs.json", JSON)},
        5,
    ),
    "himalayas": ({"/jobs/api": ("himalayas/jobs_api_2026-07_ikevinxie_trimmed.json", JSON)}, 4),
    "workingnomads": (
        {"/api/exposed_jobs/": ("workingnomads/exposed_jobs_2026-07_ikevinxie_trimmed.json", JSON)},
        4,
    ),
    "arbeitnow": (
        {"/api/job-board-api": ("arbeitnow/job-board-api_2026-08-03_lcarlini_5jobs.json", JSON)},
        5,
    ),
    "hackernews": (
        {
            "/api/v1/search_by_date": (
                "hackernews/algolia_search_whoishiring_stories_2026-05_nacefmoula.json",
                JSON,
            ),
            "/api/v1/search": (
                "hackernews/algolia_whoishiring_2026-07_ikevinxie_trimmed.json",
                JSON,
            ),
        },
        6,
    ),
    "reddit_forhire": (
        {
            "/r/forhire/new.json": (
                "reddit_forhire/forhire_new_json_2026-04-17_aibuilderX.json",
                JSON,
            )
        },
        4,
    ),
    "weworkremotely": (
        {"/remote-jobs.rss": ("weworkremotely/remote-jobs_rss_2026-07_ikevinxie_4items.xml", XML)},
        4,
    ),
    "freework": ({"/job_postings": ("freework/job_postings_documented_fields.json", JSON)}, 3),
}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def serve(server, routes: dict[str, tuple[str, str]]) -> None:
    for path, (fixture, content_type) in routes.items():
        server.routes[path] = Route.file(FIXTURES / fixture, content_type=content_type)


def write_config(tmp_path: Path, text: str, *, isolate: bool = True) -> list[str]:
    """A config file; with ``isolate``, built-in sources it does not configure are off."""
    config = tmp_path / "config.toml"
    config.write_text(only_configured_sources(text) if isolate else text, encoding="utf-8")
    return ["--config", str(config), "--db", str(tmp_path / "missions.db")]


def export(args: list[str]) -> list[dict]:
    result = run(*args, "export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_builtin_source_fetches_from_its_base_url(tmp_path, server, name):
    routes, expected = SOURCES[name]
    serve(server, routes)
    args = write_config(tmp_path, f'[sources.{name}]\nbase_url = "{server.url}"\n')
    result = run(*args, "fetch", "--source", name)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{name}: {expected} new, 0 updated, 0 unchanged"
    records = export(args)
    assert len(records) == expected
    for record in records:
        assert record["uid"].startswith(f"{name}:") and record["title"]
        assert record["url"].startswith("https://")  # the site's own link, not the test server
        assert record["posted_at"], record["uid"]
    # Nothing left the machine: every request reached the local server.
    # (and robots.txt, which the fetch engine asks each site for first)
    assert {r.path.split("?")[0] for r in server.requests} == set(routes) | {"/robots.txt"}
    with Store(tmp_path / "missions.db") as store:
        (run_row,) = store.last_runs(name)
        coverage = json.loads(run_row["coverage"])
        assert run_row["items"] == expected
        assert coverage["title"] == coverage["url"] == coverage["posted_at"] == 1.0


def test_hackernews_reads_the_comments_of_the_newest_thread(tmp_path, server):
    serve(server, SOURCES["hackernews"][0])
    args = write_config(tmp_path, f'[sources.hackernews]\nbase_url = "{server.url}"\n')
    assert run(*args, "fetch", "-s", "hackernews").exit_code == 0
    (comments,) = server.hits("/api/v1/search?tags=comment,story_47975571&hitsPerPage=1000")
    assert comments.method == "GET"
    remote = {r["uid"]: r["remote"] for r in export(args)}
    assert remote["hackernews:48860201"] == "remote" and remote["hackernews:48868436"] == "onsite"


def test_malformed_feed_through_fetch_warns_and_keeps_what_it_can(tmp_path, server):
    server.routes["/remote-jobs.rss"] = Route.file(
        FIXTURES / "weworkremotely/wwr_devops_rss_2026-07-16_trimmed_malformed.rss"
    )
    args = write_config(tmp_path, f'[sources.weworkremotely]\nbase_url = "{server.url}"\n')
    result = run(*args, "fetch", "--source", "weworkremotely")
    assert result.exit_code == 0 and "Traceback" not in result.output
    line = result.stdout.strip()
    assert line.startswith(
        "weworkremotely: 3 new, 0 updated, 0 unchanged (warning: feed is malformed"
    )
    assert "2 item(s) without an id, a title or a link were skipped" in line
    assert len(export(args)) == 3


def test_two_line_feed_and_repeated_source_option(tmp_path, server):
    serve(server, SOURCES["remoteok"][0])
    server.routes["/devops.rss"] = Route.file(
        FIXTURES / "weworkremotely/remote-jobs_rss_2026-07_ikevinxie_4items.xml"
    )
    args = write_config(
        tmp_path,
        f"[sources.codeur]\nenabled = false\n\n"
        f'[sources.remoteok]\nenabled = false\nbase_url = "{server.url}"\n\n'
        f'[[feeds]]\nurl = "{server.url}/devops.rss"\n\n'
        f'[[feeds]]\nurl = "{server.url}/devops.rss"\nname = "wwr-copy"\ncontract = "freelance"\n',
    )
    # Plain `fetch`: the enabled sources, here the two feeds (Codeur switched off).
    result = run(*args, "fetch")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and "wwr-copy: 4 new, 0 updated, 0 unchanged" in lines
    # `--source` takes a recipe name or a feed name, and may be repeated.
    # (--force: fetched a moment ago; -v: every line, unchanged ones too, when not on a terminal)
    again = run(*args, "fetch", "--source", "remoteok", "--source", "wwr-copy", "--force", "-v")
    assert again.stdout.strip().splitlines() == [
        "remoteok: 4 new, 0 updated, 0 unchanged",
        "wwr-copy: 0 new, 0 updated, 4 unchanged",
    ]
    records = export(args)
    copies = [r for r in records if r["source"] == "wwr-copy"]
    assert len(copies) == 4 and all(r["contract"] == "freelance" for r in copies)
    assert {r["title"] for r in copies} >= {"Mathmo: Maths Coach"}
    assert all(r["posted_at"] for r in copies)


def test_feed_read_with_a_recipe_mapping(tmp_path, server):
    server.routes["/ab/feed/topics/rss"] = Route.file(
        FIXTURES / "upwork/topics_rss_android_2018-03-07_wbrawner.xml"
    )
    args = write_config(
        tmp_path,
        "[sources.codeur]\nenabled = false\n\n"
        f'[[feeds]]\nurl = "{server.url}/ab/feed/topics/rss?topic=2695084&securityToken=REDACTED"\n'
        'recipe = "upwork"\nname = "android"\n',
    )
    result = run(*args, "fetch")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "upwork: 30 new, 0 updated, 0 unchanged"
    records = {r["uid"]: r for r in export(args)}
    ionic = records["upwork:%7E010075b4f6aa3d8406"]
    # A misspelled recipe is one warning, and the other sources still run.
    (tmp_path / "config.toml").write_text(
        (tmp_path / "config.toml").read_text("utf-8").replace('"upwork"', '"upwrok"'), "utf-8"
    )
    typo = run(*args, "fetch")
    assert "no recipe is called 'upwrok' (did you mean 'upwork'?)" in typo.stderr
    assert ionic["budget_raw"] == "Budget: $300" and ionic["contract"] == "freelance"
    assert ionic["category"] == "dev"


def test_readme_recipe_example_works_as_a_user_recipe(tmp_path, server):
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    example = re.search(r"<!-- recipe-example -->\n```toml\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "mymarket.toml").write_text(example, encoding="utf-8")
    serve(server, SOURCES["arbeitnow"][0])
    args = write_config(tmp_path, f'[sources.mymarket]\nbase_url = "{server.url}"\n')
    result = run(*args, "fetch", "--source", "mymarket")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "mymarket: 5 new, 0 updated, 0 unchanged"
    records = export(args)
    assert all(r["source"] == "mymarket" and r["posted_at"] for r in records)
    assert {r["category"] for r in records} >= {"data"}


def test_broken_user_recipe_is_named_and_the_others_still_run(tmp_path, server):
    recipes = tmp_path / "sources"
    recipes.mkdir()
    (recipes / "broken.toml").write_text(
        'base_url = "https://x.example"\n[endpoints.api]\nkind = "json"\npath = "/"\n'
        'items = "data"\npagination = 2\n[endpoints.api.fields]\ntitle = "t"\nurl = "u"\n',
        encoding="utf-8",
    )
    # A user recipe with a built-in's name replaces it: here Remote OK read at another path.
    builtin = (Path(__file__).parents[1] / "sources" / "remoteok.toml").read_text("utf-8")
    (recipes / "remoteok.toml").write_text(
        builtin.replace('path = "/api"', 'path = "/mirror/api"').replace(
            "enabled = false", "enabled = true"
        ),
        encoding="utf-8",
    )
    server.routes["/mirror/api"] = Route.file(
        FIXTURES / "remoteok/api_2026-07_ikevinxie_trimmed.json", content_type=JSON
    )
    server.routes["/projects.rss"] = Route.file(FIXTURES / "codeur/codeur_one_item.rss")
    args = write_config(
        tmp_path,
        f'[sources.codeur]\nbase_url = "{server.url}"\n[sources.remoteok]\nbase_url = "{server.url}"\n',
    )
    result = run(*args, "fetch")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        "codeur: 1 new, 0 updated, 0 unchanged",
        "remoteok: 4 new, 0 updated, 0 unchanged",
    ]
    assert (
        f"missionboard: warning: {recipes / 'broken.toml'}: endpoints.api: unknown key(s) pagination"
        in result.stderr
    )


def recipe_at(server_url: str, name: str):
    recipe = load_recipes({name: {"base_url": server_url}}).recipes[name]
    return recipe, next(iter(recipe.endpoints.values()))


def test_absolute_next_page_link_is_rebased_on_the_base_url(tmp_path, server):
    # The listing page's <link rel="next"> says https://www.codeur.com/projects?page=2.
    server.routes["/projects"] = Route.file(
        FIXTURES / "codeur/projects_listing_2026-04-17_aibuilderX.html", content_type="text/html"
    )
    recipe = load_recipes({"codeur": {"base_url": server.url}}).recipes["codeur"]
    recipe.endpoints["rss"].enabled = False
    recipe.endpoints["listing"].enabled = True
    recipe.endpoints["listing"].max_pages = 2
    with Store(tmp_path / "m.db") as store:
        (report,) = fetch_all(store, [recipe], FetchSettings())
    assert report.ok and len(report.result.new) == 35
    assert [r.path for r in server.requests if r.path != "/robots.txt"] == [
        "/projects",
        "/projects?page=2",
    ]


def test_reddit_cursor_and_himalayas_counter_pagination(tmp_path, server):
    serve(server, SOURCES["reddit_forhire"][0])
    reddit, endpoint = recipe_at(server.url, "reddit_forhire")
    endpoint.max_pages = 2

    def himalayas_pages(request):
        offset = re.search(r"offset=(\d+)", request.path).group(1)
        body = (FIXTURES / "himalayas/jobs_api_2026-07_ikevinxie_trimmed.json").read_bytes()
        if offset == "40":  # the end of the list: an empty page stops the paging
            body = b'{"jobs": [], "totalCount": 4, "offset": 40, "limit": 20}'
        return 200, {"Content-Type": JSON}, body

    server.routes["/jobs/api"] = himalayas_pages
    himalayas, endpoint = recipe_at(server.url, "himalayas")
    endpoint.max_pages = 10
    with Store(tmp_path / "m.db") as store:
        reports = fetch_all(store, [reddit, himalayas], FetchSettings())
    assert all(r.ok for r in reports), [r.line() for r in reports]
    # The two sources are fetched concurrently: each one's pages in order, interleaved.
    paths = [r.path for r in server.requests if r.path != "/robots.txt"]
    assert [p for p in paths if p.startswith("/r/")] == [
        "/r/forhire/new.json?limit=100",
        "/r/forhire/new.json?limit=100&after=t3_1so3ch8",
    ]
    assert [p for p in paths if p.startswith("/jobs/")] == [
        "/jobs/api?limit=20&offset=0",
        "/jobs/api?limit=20&offset=20",
        "/jobs/api?limit=20&offset=40",
    ]


def test_disabled_sources_stay_quiet_unless_asked(tmp_path):
    args = write_config(tmp_path, "", isolate=False)
    listing = run(*args, "sources")
    assert listing.exit_code == 0
    rows = {line.split()[0]: line.split()[1] for line in listing.stdout.splitlines()[1:]}
    assert rows["codeur"] == rows["remoteok"] == rows["hackernews"] == "yes"
    assert rows["weworkremotely"] == rows["freework"] == "no"
    assert set(rows) >= set(SOURCES) | {"upwork"}
