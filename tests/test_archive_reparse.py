"""The raw archive: every body kept (compressed, rotated), and reparse re-deriving missions from it
offline, keeping the user's marks."""

from __future__ import annotations

import os
from datetime import timedelta

from click.testing import CliRunner

from missionboard.archive import Archive
from missionboard.cli import cli
from missionboard.model import utc_now
from missionboard.store import Store
from tests.configs import only_configured_sources
from tests.httpserver import Route


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_reparse_rebuilds_missions_from_the_archive_offline(tmp_path, server, fixtures):
    server.routes["/projects.rss"] = Route.file(fixtures / "codeur/projects_35.rss", etag='"a"')
    config = tmp_path / "config.toml"
    config.write_text(
        only_configured_sources(
            f'[fetch]\nhost_delay = 0\n[sources.codeur]\nbase_url = "{server.url}"\n'
        ),
        encoding="utf-8",
    )
    db = tmp_path / "data" / "m.db"
    args = ["--config", str(config), "--db", str(db)]
    assert run(*args, "fetch").exit_code == 0
    archive = Archive(db.parent / "archive")
    (entry,) = [e for e in archive.entries()]
    assert (entry.source, entry.endpoint, entry.page) == ("codeur", "rss", 1)
    assert entry.url == f"{server.url}/projects.rss"
    assert entry.body == (fixtures / "codeur/projects_35.rss").read_bytes()
    assert run(*args, "fetch", "--force").exit_code == 0  # a 304: nothing more archived
    assert len(archive.files()) == 1
    with Store(db) as store:
        uid = next(iter(store.iter_rows()))["uid"]
        store.set_state(uid, starred=True, note="gardée")
        # A parser bug wiped some fields: simulate it by damaging the stored missions.
        store.execute("UPDATE missions SET title = 'broken', content_hash = 'x'")
    server.stop()  # offline from here on
    result = run(*args, "reparse")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "codeur: 0 new, 35 updated, 0 unchanged from 1 archived bodies"
    with Store(db) as store:
        assert store.count() == 35
        assert not any(row["title"] == "broken" for row in store.iter_rows())
        assert store.get_state(uid).starred and store.get_state(uid).note == "gardée"


def test_reparse_with_an_empty_archive_says_so(tmp_path):
    result = run("--db", str(tmp_path / "m.db"), "reparse")
    assert result.exit_code == 1 and "nothing to reparse" in result.output


def test_rotation_drops_old_days_then_the_oldest_past_the_size_cap(tmp_path):
    archive = Archive(tmp_path / "archive", max_days=7, max_mb=1)
    now = utc_now()
    old = archive.save("s", "rss", "http://x/a", 1, now - timedelta(days=10), b"old")
    kept = [
        archive.save("s", "rss", "http://x/a", 1, now - timedelta(minutes=m), os.urandom(600_000))
        for m in (30, 20, 10)
    ]  # 3 x 600 KB of incompressible data, over the 1 MB cap
    removed = archive.rotate(now)
    assert not old.exists()
    assert removed == 3
    survivors = archive.files()
    assert survivors and survivors[-1] == kept[-1]  # the newest is kept
    assert sum(p.stat().st_size for p in survivors) <= 1024 * 1024
