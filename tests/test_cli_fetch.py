"""The whole path through the command line: config, fetch from a local server, export, errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from missionboard.cli import cli
from missionboard.store import Store
from tests.configs import only_configured_sources
from tests.httpserver import Route


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


@pytest.fixture
def setup(tmp_path, server, fixtures):
    """A config pointing Codeur at the local server, which serves the one-item RSS excerpt."""
    server.routes["/projects.rss"] = Route.file(
        fixtures / "codeur/codeur_one_item.rss", etag='"v1"'
    )
    config = tmp_path / "config.toml"
    # host_delay: the listing test fetches two pages of one host; a second apart is too slow a test.
    config.write_text(
        only_configured_sources(
            f'[fetch]\nhost_delay = 0.05\n\n[sources.codeur]\nbase_url = "{server.url}"\n'
        ),
        encoding="utf-8",
    )
    db = tmp_path / "missions.db"
    return ["--config", str(config), "--db", str(db)], db, server


def jsonl(setup_args):
    result = run(*setup_args, "export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_fetch_then_fetch_again_adds_nothing_and_keeps_user_state(setup, fixtures):
    args, db, server = setup
    first = run(*args, "fetch")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "codeur: 1 new, 0 updated, 0 unchanged"
    with Store(db) as store:
        store.set_state("codeur:490541", starred=True, pipeline="interested", note="à rappeler")
    # Fetched a moment ago: skipped (Codeur's minimum interval), silently when not on a terminal.
    quiet = run(*args, "fetch")
    assert (quiet.exit_code, quiet.stdout) == (0, "")
    assert run(*args, "fetch", "-v").stdout.startswith("codeur: skipped (fetched ")
    assert len(server.hits("/projects.rss")) == 1
    # Forced, the fetch carries the ETag, gets a 304, and changes nothing.
    second = run(*args, "fetch", "--force", "-v")
    assert second.exit_code == 0
    assert "0 new" in second.stdout and "1 not modified" in second.stdout
    assert server.hits("/projects.rss")[-1].headers["if-none-match"] == '"v1"'
    assert "missionboard/" in server.hits("/projects.rss")[0].headers["user-agent"]
    # The full 35-item feed replaces the excerpt: 35 new, the starred one among them untouched.
    server.routes["/projects.rss"] = Route.file(fixtures / "codeur/projects_35.rss", etag='"v2"')
    third = run(*args, "fetch", "--force")
    assert third.stdout.strip() == "codeur: 35 new, 0 updated, 0 unchanged"
    fourth = run(*args, "fetch", "--source", "codeur", "--force", "-v")
    assert "0 new" in fourth.stdout
    records = jsonl(args)
    assert len(records) == 36
    kept = next(r for r in records if r["uid"] == "codeur:490541")
    assert (kept["starred"], kept["pipeline"], kept["note"]) == (True, "interested", "à rappeler")


def test_jsonl_export_has_the_promised_fields(setup):
    args, _, _ = setup
    assert run(*args, "fetch").exit_code == 0
    (record,) = jsonl(args)
    for key in (
        "uid",
        "source",
        "url",
        "title",
        "description",
        "client",
        "posted_at",
        "first_seen",
        "category",
        "skills",
        "remote",
        "remote_evidence",
        "budget_kind",
        "budget_min",
        "budget_max",
        "currency",
        "budget_raw",
        "contract",
        "status",
        "offers",
    ):
        assert key in record, key
    assert record["posted_at"] == "2026-09-30T09:39:08+00:00"
    assert (record["budget_kind"], record["budget_min"], record["budget_max"]) == (
        "fixed",
        500,
        1000,
    )
    assert record["category"] == "dev" and record["contract"] == "freelance"
    assert isinstance(record["skills"], list) and "php" in record["skills"]


def test_listing_endpoint_adds_status_offers_and_views(setup, fixtures):
    args, db, server = setup
    server.routes["/projects"] = Route.file(
        fixtures / "codeur/projects_listing_2026-04-17_aibuilderX.html",
        content_type="text/html; charset=utf-8",
    )
    server.routes["/projects.rss"] = Route.file(fixtures / "codeur/projects_35.rss")
    config = Path(args[1])
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("[sources.codeur]\n", '[sources.codeur]\nendpoints = ["rss", "listing"]\n'),
        encoding="utf-8",
    )
    result = run(*args, "fetch")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "codeur: 35 new, 35 updated, 0 unchanged"
    by_uid = {r["uid"]: r for r in jsonl(args)}
    first = by_uid["codeur:481826"]
    # Exact date from the feed, competition from the listing page.
    assert first["posted_at"] == "2026-04-17T09:51:00+00:00"
    assert (first["status"], first["offers"]) == ("open", 9)


def test_csv_export_neutralises_formulas(setup, server, tmp_path):
    args, db, _ = setup
    evil = tmp_path / "evil.rss"
    evil.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        '<item><title>=HYPERLINK("http://x")</title><link>https://www.codeur.com/projects/9-x</link>'
        "<guid>9</guid><description>&lt;p&gt;Budget : Moins de 500 € - Catégories : Web&lt;/p&gt;</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    server.routes["/projects.rss"] = Route.file(evil)
    assert run(*args, "fetch").exit_code == 0
    out = tmp_path / "out.csv"
    result = run(*args, "export", "--format", "csv", "-o", str(out), "--delimiter", ";", "--bom")
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeffuid;source;")
    (row,) = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert row["title"] == '\'=HYPERLINK("http://x")'
    assert row["uid"] == "codeur:9" and row["budget_max"] == "500"


def test_unreachable_source_fails_alone(tmp_path, server, fixtures):
    server.routes["/projects.rss"] = Route.file(fixtures / "codeur/codeur_one_item.rss")
    config = tmp_path / "config.toml"
    config.write_text(
        only_configured_sources(
            f'[sources.codeur]\nbase_url = "{server.url}"\n\n'
            '[[feeds]]\nurl = "http://127.0.0.1:9/nothing.rss"\nname = "deadfeed"\n'
        ),
        encoding="utf-8",
    )
    result = run("--config", str(config), "--db", str(tmp_path / "m.db"), "fetch")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert "codeur: 1 new, 0 updated, 0 unchanged" in lines
    dead = next(line for line in lines if line.startswith("deadfeed"))
    assert "cannot connect" in dead and "Traceback" not in result.output


def test_malformed_feed_is_one_line_and_loses_nothing(setup):
    args, db, server = setup
    assert run(*args, "fetch").exit_code == 0
    server.routes["/projects.rss"] = Route(
        body=b"<html><body>Maintenance en cours</body>\x00\xff", content_type="text/html"
    )
    result = run(*args, "fetch", "--force")
    assert result.exit_code == 1
    assert result.stdout.strip().startswith("codeur: error: rss: not a readable RSS/Atom feed")
    assert len(result.stdout.strip().splitlines()) == 1
    assert len(jsonl(args)) == 1


def test_server_error_is_reported(setup):
    args, _, server = setup
    server.routes["/projects.rss"] = Route(status=500, body=b"oops")
    result = run(*args, "fetch")
    assert result.exit_code == 1
    assert "HTTP 500" in result.stdout


def cli_subprocess(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "missionboard", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_missing_config_file_is_one_line(tmp_path):
    result = cli_subprocess(
        "--config", str(tmp_path / "nope.toml"), "--db", str(tmp_path / "m.db"), "fetch"
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"missionboard: config error: config file not found: {tmp_path / 'nope.toml'} (create one with `missionboard config init`)"
    ]


def test_malformed_config_names_the_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\ntimeout = 20\nconcurency = 4\n[profile\n", encoding="utf-8")
    result = cli_subprocess("--config", str(config), "--db", str(tmp_path / "m.db"), "fetch")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "not valid TOML" in result.stderr and "line 4" in result.stderr
    config.write_text("[fetch]\ntimeout = 20\nconcurency = 4\n", encoding="utf-8")
    result = cli_subprocess("--config", str(config), "config", "check")
    assert result.returncode == 2
    assert "line 3: unknown key 'fetch.concurrency'" not in result.stderr
    assert "line 3: unknown key 'fetch.concurency' (did you mean 'concurrency'?)" in result.stderr


def test_database_that_is_not_sqlite(tmp_path):
    db = tmp_path / "missions.db"
    db.write_text("this is my thesis, not a database\n" * 100, encoding="utf-8")
    before = db.read_bytes()
    result = cli_subprocess("--db", str(db), "export")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "is not a missionboard database" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_config_init_path_and_check(tmp_path, monkeypatch):
    no_file = run("config", "check")
    assert no_file.exit_code == 0 and "the defaults are in use" in no_file.stdout
    monkeypatch.setenv("MISSIONBOARD_CONFIG", str(tmp_path / "conf" / "config.toml"))
    monkeypatch.setenv("MISSIONBOARD_DB", str(tmp_path / "data" / "m.db"))
    result = run("config", "path")
    assert f"config:   {tmp_path / 'conf' / 'config.toml'}" in result.stdout
    assert f"database: {tmp_path / 'data' / 'm.db'}" in result.stdout
    assert run("config", "init").exit_code == 0
    assert (
        (tmp_path / "conf" / "config.toml")
        .read_text(encoding="utf-8")
        .startswith("# missionboard configuration")
    )
    assert run("config", "init").exit_code == 2  # never overwrites without --force
    check = run("config", "check")
    assert check.exit_code == 0 and "codeur" in check.stdout
    # The flag wins over the environment.
    other = tmp_path / "other.toml"
    other.write_text('[profile]\nskills = ["python"]\n', encoding="utf-8")
    assert f"config:   {other}" in run("--config", str(other), "config", "path").stdout


def test_unknown_source_name(setup):
    args, _, _ = setup
    result = run(*args, "fetch", "--source", "codeurr")
    assert result.exit_code == 2
    assert "no source called codeurr" in result.output
