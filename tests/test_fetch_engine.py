"""The fetch engine against a local server that misbehaves on purpose: every fault is one error line
for its own source, and the well-behaved sources are stored in the same run."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from missionboard.cli import cli
from missionboard.lockfile import FetchLock
from missionboard.store import Store
from tests.configs import only_configured_sources
from tests.httpserver import (
    Route,
    gzip_bomb,
    reset_connection,
    sequence,
    streamed,
    truncated,
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def rss(*titles: str, extra: str = "") -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>https://example.org/m/{i}</link><guid>m{i}</guid>"
        f"<description>Mission {t}</description></item>"
        for i, t in enumerate(titles, 1)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"{extra}{items}</channel></rss>"
    ).encode()


FEED = rss("Développeur Python", "Assistante administrative à distance")
ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY a%d "%s">' % (i, (b"&a%d;" % (i - 1)) * 10) for i in range(1, 10)
    ).replace(b"&a0;", b"&a;")
    + b']><rss version="2.0"><channel><title>t</title><item><title>&a9;</title>'
    b"<link>https://example.org/x</link><guid>x</guid></item></channel></rss>"
)


def write_config(tmp_path, server, feeds: list[str], fetch: str = "") -> list[str]:
    """A config with one [[feeds]] entry per route name, all on the local server."""
    text = (
        "[fetch]\ntimeout = 1.5\nretries = 2\nhost_delay = 0\nper_host = 16\nconcurrency = 16\n"
        f"max_bytes = 1048576\n{fetch}\n[sources.codeur]\nenabled = false\n"
    )
    for name in feeds:
        text += (
            f'\n[[feeds]]\nname = "{name}"\nurl = "{server.url}/{name}.rss"\nmin_interval = 600\n'
        )
    config = tmp_path / "config.toml"
    config.write_text(only_configured_sources(text), encoding="utf-8")
    return ["--config", str(config), "--db", str(tmp_path / "m.db")]


def lines_by_source(output: str) -> dict[str, str]:
    return {line.split(":", 1)[0]: line for line in output.strip().splitlines()}


def test_every_fault_fails_alone_and_the_good_feeds_are_stored(tmp_path, server):
    routes = {
        "good": Route(FEED),
        "slow": Route(FEED, delay=4),
        "ratelimited": sequence((429, {"Retry-After": "1"}, b""), (200, {}, FEED)),
        "flaky": sequence((500, {}, b"oops"), (200, {}, FEED)),
        "reset": reset_connection,
        "truncated": truncated(FEED),
        "huge": streamed(50 * 1024 * 1024),
        "gzipbomb": Route(gzip_bomb(64 * 1024 * 1024), headers={"Content-Encoding": "gzip"}),
        "entitybomb": Route(ENTITY_BOMB),
        "badutf8": Route(rss("Caf\xe9 cr\xe8me").replace(b"\xc3\xa9", b"\xe9")),
        "tofile": Route(status=302, headers={"Location": "file:///etc/passwd"}),
        "moved": Route(status=301, headers={"Location": "/good.rss"}),
        "broken": Route(b"<html>Maintenance</html>\x00\xff", content_type="text/html"),
    }
    for name, route in routes.items():
        server.routes[f"/{name}.rss"] = route
    args = write_config(tmp_path, server, list(routes))
    result = run(*args, "fetch", "--verbose")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = lines_by_source(result.stdout)
    assert set(lines) == set(routes)
    assert lines["good"] == "good: 2 new, 0 updated, 0 unchanged"
    assert lines["ratelimited"] == "ratelimited: 2 new, 0 updated, 0 unchanged"
    assert lines["flaky"] == "flaky: 2 new, 0 updated, 0 unchanged"
    assert len(server.hits("/ratelimited.rss")) == 2 and len(server.hits("/flaky.rss")) == 2
    assert "timed out after 1.5 s" in lines["slow"]
    assert re.search(r"cannot connect|broke the connection", lines["reset"])
    assert len(server.hits("/reset.rss")) == 3  # retried twice, with backoff
    assert "broke the connection" in lines["truncated"]
    assert "larger than 1 MB" in lines["huge"] and "larger than 1 MB" in lines["gzipbomb"]
    assert "entity bomb" in lines["entitybomb"]
    assert "refused a redirect to a non-HTTP URL (file:)" in lines["tofile"]
    assert "not a readable RSS/Atom feed" in lines["broken"]
    assert (
        lines["moved"] == "moved: 2 new, 0 updated, 0 unchanged"
    )  # http(s) redirects are followed
    # A stray Latin-1 byte in a UTF-8 feed: that byte is read as windows-1252, the rest as UTF-8
    # (feedparser alone would read it all as windows-1252: "crÃ¨me"), and the warning says so.
    assert lines["badutf8"].startswith("badutf8: 1 new, 0 updated, 0 unchanged (warning: ")
    assert (
        "2 bytes of the feed were not UTF-8 (read as windows-1252)" in lines["badutf8"]
    )  # title, description
    with Store(tmp_path / "m.db") as store:
        assert store.count() == 9
        assert store.get("badutf8:m1").title == "Café crème"
    # A 304 never comes from a failed fetch: failed URLs kept no validators, nothing was lost.
    for name in ("truncated", "huge", "gzipbomb"):
        assert "if-none-match" not in server.hits(f"/{name}.rss")[-1].headers


def test_conditional_get_saves_validators_on_200_and_304_and_never_parses_a_304(tmp_path, server):
    etags = iter(['"v2"', '"v3"'])

    def conditional(request):
        if request.headers.get("If-None-Match") in ('"v1"', '"v2"'):
            # A 304 may carry a new validator: it must replace the old one.
            return 304, {"ETag": next(etags)}, b""
        return 200, {"ETag": '"v1"', "Content-Type": "application/xml"}, FEED

    server.routes["/feed.rss"] = conditional
    args = write_config(tmp_path, server, ["feed"])
    assert run(*args, "fetch").stdout.strip() == "feed: 2 new, 0 updated, 0 unchanged"
    second = run(*args, "fetch", "--force", "--json")
    (report,) = json.loads(second.stdout)
    assert report["not_modified"] == 1 and report["status"] == "ok" and report["new"] == 0
    run(*args, "fetch", "--force")
    sent = [hit.headers.get("if-none-match") for hit in server.hits("/feed.rss")]
    assert sent == [None, '"v1"', '"v2"']
    assert len(server.hits("/feed.rss")) == 3  # a 304 is success: never retried


def test_json_report_lists_every_source(tmp_path, server):
    server.routes["/good.rss"] = Route(FEED)
    server.routes["/bad.rss"] = Route(status=404, body=b"gone")
    args = write_config(tmp_path, server, ["good", "bad"])
    result = run(*args, "fetch", "--json")
    assert result.exit_code == 1
    reports = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(reports["good"]) == {
        "name", "status", "new", "updated", "unchanged", "not_modified", "skipped", "error",
        "warnings", "duration_ms",
    }  # fmt: skip
    assert (reports["good"]["status"], reports["good"]["new"], reports["good"]["error"]) == (
        "ok",
        2,
        None,
    )
    assert reports["bad"]["status"] == "error" and "HTTP 404" in reports["bad"]["error"]
    assert len(server.hits("/bad.rss")) == 1  # a 4xx is not retried
    again = {r["name"]: r for r in json.loads(run(*args, "fetch", "--json").stdout)}
    assert again["good"]["status"] == "skipped" and "next in" in again["good"]["skipped"]


def test_rss_ttl_and_max_age_raise_the_interval_and_retry_after_is_obeyed(tmp_path, server):
    server.routes["/ttl.rss"] = Route(rss("A", extra="<ttl>90</ttl>"))
    server.routes["/cached.rss"] = Route(FEED, headers={"Cache-Control": "public, max-age=7200"})
    server.routes["/plain.rss"] = Route(FEED)
    server.routes["/busy.rss"] = Route(status=503, headers={"Retry-After": "3600"})
    args = write_config(tmp_path, server, ["ttl", "cached", "plain", "busy"])
    first = lines_by_source(run(*args, "fetch", "-v").stdout)
    assert "the site asks to wait until" in first["busy"]
    assert len(server.hits("/busy.rss")) == 1  # an hour is not waited for within a run
    # min_interval is 0 for these feeds; the site's own cache time is the floor.
    config = args[1]
    with open(config, encoding="utf-8") as f:
        text = f.read().replace("min_interval = 600", "min_interval = 0")
    with open(config, "w", encoding="utf-8") as f:
        f.write(text)
    second = lines_by_source(run(*args, "fetch", "-v").stdout)
    assert second["ttl"].startswith("ttl: skipped") and "cache time" in second["ttl"]
    assert second["cached"].startswith("cached: skipped")
    assert second["plain"] == "plain: 0 new, 0 updated, 2 unchanged"
    assert second["busy"].startswith("busy: skipped (the site asked to wait until")
    forced = lines_by_source(run(*args, "fetch", "-v", "--force").stdout)
    assert "unchanged" in forced["ttl"] and "unchanged" in forced["cached"]
    assert forced["busy"].startswith("busy: skipped")  # --force never overrides the site
    assert len(server.hits("/busy.rss")) == 1


def test_robots_txt_is_obeyed_cached_and_the_user_agent_is_ours(tmp_path, server):
    server.routes["/robots.txt"] = Route(
        b"User-agent: missionboard\nDisallow: /private\n", content_type="text/plain"
    )
    server.routes["/private.rss"] = Route(FEED)
    server.routes["/public.rss"] = Route(FEED)
    args = write_config(tmp_path, server, ["private", "public"])
    lines = lines_by_source(run(*args, "fetch", "-v").stdout)
    assert "robots.txt" in lines["private"] and "disallows /private.rss" in lines["private"]
    assert lines["public"] == "public: 2 new, 0 updated, 0 unchanged"
    assert server.hits("/private.rss") == []
    agent = server.hits("/public.rss")[0].headers["user-agent"]
    assert agent.startswith("missionboard/") and "github.com/missionboard" in agent
    run(*args, "fetch", "--force")
    assert len(server.hits("/robots.txt")) == 1  # cached in the store across runs


def test_another_fetch_running_exits_3_and_the_database_stays_usable(tmp_path, server):
    server.routes["/good.rss"] = Route(FEED)
    args = write_config(tmp_path, server, ["good"])
    db = tmp_path / "m.db"
    with FetchLock(db.with_name(db.name + ".fetch.lock")):
        result = run(*args, "fetch")
        assert result.exit_code == 3
        assert "another missionboard fetch or reparse is running" in result.output
        assert server.hits("/good.rss") == []
        # The lock is fetch's alone: the store (and so the TUI) is not blocked by it.
        with Store(db) as store:
            store.set_state("good:m1", starred=True)
    assert run(*args, "fetch").exit_code == 0


@pytest.mark.parametrize("flag", ["--quiet", None])
def test_quiet_output_names_only_news_and_errors(tmp_path, server, flag):
    server.routes["/fresh.rss"] = Route(FEED)
    server.routes["/same.rss"] = Route(FEED, etag='"x"')
    args = write_config(tmp_path, server, ["fresh", "same"])
    run(*args, "fetch", "--source", "same")
    result = run(*args, "fetch", "--force", *([flag] if flag else []))
    assert result.stdout.strip().splitlines() == ["fresh: 2 new, 0 updated, 0 unchanged"]
