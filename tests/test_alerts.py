"""Alerts: saved queries run over the missions a fetch just added, on a real store."""

from __future__ import annotations

import pytest

from missionboard.alerts import AlertHit, alert_lines, match_alerts
from missionboard.config import parse_config
from missionboard.sources.text import one_line
from missionboard.store import Store
from tests.configs import only_configured_sources
from tests.query_store import build_query_store

CONFIG = """
[profile]
skills = ["wordpress", "php"]

[hide]
no_sales = "cat:marketing"

[views]
wp = "skill:wordpress OR wordpress"

[[alerts]]
name = "WordPress"
query = "view:wp"

[[alerts]]
name = "remote jobs, best paid first"
query = "remote:remote sort:rate"

[[alerts]]
name = "typo"
query = "remote:remot"

[[alerts]]
name = "nothing"
query = "oracle"
notify = false
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = build_query_store(tmp_path_factory.mktemp("alerts") / "missions.db")
    with Store(path) as store:
        yield store


@pytest.fixture(scope="module")
def config():
    return parse_config(CONFIG)


def run_alerts(store, config, new_uids):
    return match_alerts(
        store,
        config.alerts,
        new_uids,
        config.profile_skills,
        hide=list(config.hide.values()),
        views=config.views,
    )


def test_only_new_missions_that_match_are_announced(store, config):
    # As if the last fetch brought the Remotive jobs and three Codeur projects.
    new = [
        "remotive:2091081", "remotive:2090903", "remotive:2091075", "remotive:2091074",
        "remotive:2091072", "codeur:481820", "codeur:481816", "codeur:481823",
    ]  # fmt: skip
    hits = {hit.name: hit for hit in run_alerts(store, config, new)}
    wordpress = [m.uid for m in hits["WordPress"].missions]
    # Two Codeur WordPress projects and the Remotive designer tagged wordpress, newest first;
    # codeur:481777 matches too but was not new in this fetch.
    assert set(wordpress) == {"codeur:481820", "codeur:481816", "remotive:2091081"}
    assert wordpress[0] == "remotive:2091081"
    remote = hits["remote jobs, best paid first"].missions
    # Sorted by daily rate; the sales jobs are hidden by the [hide] rule.
    assert [m.uid for m in remote][:2] == ["remotive:2090903", "remotive:2091074"]
    assert "remotive:2091072" not in {m.uid for m in remote}
    assert "nothing" not in hits  # "oracle" matched no new mission
    assert hits["typo"].missions == []
    assert hits["typo"].error.startswith("alert 'typo': bad query 'remote:remot': position 8:")


def test_no_new_missions_means_no_alerts(store, config):
    assert run_alerts(store, config, []) == []
    # A uid that is not in the store matches nothing; only the broken alert says something.
    assert [hit.name for hit in run_alerts(store, config, ["codeur:does-not-exist"])] == ["typo"]


def test_a_first_fetch_with_every_mission_new(store, config):
    every = [r[0] for r in store.execute("SELECT uid FROM missions")]
    hits = {hit.name: hit for hit in run_alerts(store, config, every)}
    assert "codeur:481777" in {m.uid for m in hits["WordPress"].missions}
    assert [m.uid for m in hits["nothing"].missions] == ["codeur:481824"]  # the Oracle DBA
    assert hits["nothing"].notify is False


def test_printed_lines_are_plain_and_complete(store, config):
    hits = run_alerts(store, config, ["codeur:481816", "remotive:2090903"])
    lines = alert_lines(hits)
    assert "alert WordPress: 1 new mission" in lines
    assert any(
        line.startswith("  Recherche web designer wordpress SaaS · codeur · 200-500 EUR/day")
        and line.endswith(
            "https://www.codeur.com/projects/481816-recherche-web-designer-wordpress-saas"
        )
        for line in lines
    ), lines
    assert any(
        "Data Labeling Specialists · remotive · remote · 18-22 USD/hour" in line for line in lines
    )
    assert "missionboard: warning: alert 'typo': bad query" in "\n".join(lines)


def test_scraped_text_cannot_control_the_terminal():
    from missionboard.model import Mission

    evil = Mission(
        uid="x:1",
        source="x",
        url="https://example.org/\x1b]8;;http://evil\x07",
        title="Dev \x1b[31mPython\x1b[0m\r\nrm -rf \u202egnp.exe",
    )
    lines = alert_lines([AlertHit("Py\x1b[2J", [evil])])
    text = "\n".join(lines)
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text and "\x07" not in text
    assert len(lines) == 2
    assert one_line("a\tb\nc") == "a b c"


def test_fetch_prints_the_alerts_matching_its_new_missions(tmp_path, server, fixtures):
    """The whole path: fetch from a local server, then the [[alerts]] run over what was new."""
    from click.testing import CliRunner

    from missionboard.cli import cli
    from tests.httpserver import Route

    server.routes["/projects.rss"] = Route.file(fixtures / "codeur/codeur_one_item.rss")
    config = tmp_path / "config.toml"
    config.write_text(
        only_configured_sources(
            f'[sources.codeur]\nbase_url = "{server.url}"\n\n'
            '[[alerts]]\nname = "Prestashop"\nquery = "prestashop OR skill:prestashop"\n\n'
            '[[alerts]]\nname = "Design"\nquery = "cat:design"\n\n'
            '[[alerts]]\nname = "broken"\nquery = "budget>>1"\n'
        ),
        encoding="utf-8",
    )
    args = ["--config", str(config), "--db", str(tmp_path / "m.db")]
    result = CliRunner().invoke(cli, [*args, "fetch"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "alert Prestashop: 1 new" in result.stdout
    assert "Développement d'un module PHP pour Prestashop" in result.stdout
    assert "Design" not in result.stdout
    assert (
        "alert 'broken': bad query 'budget>>1': position 8: expected a number after budget>"
        in result.stderr
    )
    # Nothing new the second time: no alert.
    again = CliRunner().invoke(cli, [*args, "fetch", "--force"], catch_exceptions=False)
    assert "alert" not in again.stdout


def test_notify_command_runs_only_for_alerts_that_ask_for_it(tmp_path, server, fixtures):
    import shlex
    import sys

    from click.testing import CliRunner

    from missionboard.cli import cli
    from tests.httpserver import Route

    server.routes["/projects.rss"] = Route.file(fixtures / "codeur/projects_35.rss")
    log = tmp_path / "notified.txt"
    notifier = tmp_path / "notifier.py"
    notifier.write_text(
        f"import sys\nopen({str(log)!r}, 'a', encoding='utf-8').write(sys.argv[1] + '\\n')\n",
        encoding="utf-8",
    )
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(notifier))}"
    config = tmp_path / "config.toml"
    config.write_text(
        only_configured_sources(
            f"[fetch]\nnotify_command = {command!r}\n\n"
            f'[sources.codeur]\nbase_url = "{server.url}"\n\n'
            '[[alerts]]\nname = "Design"\nquery = "cat:design"\n\n'
            '[[alerts]]\nname = "Web"\nquery = "cat:dev"\nnotify = false\n'
        ),
        encoding="utf-8",
    )
    args = ["--config", str(config), "--db", str(tmp_path / "m.db")]
    result = CliRunner().invoke(cli, [*args, "fetch"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # Both alerts are printed; only the one with notify left on ran the command.
    assert "alert Design:" in result.stdout and "alert Web:" in result.stdout
    (notified,) = log.read_text(encoding="utf-8").splitlines()
    assert notified.startswith("missionboard: Design (") and notified.endswith(" new)")
