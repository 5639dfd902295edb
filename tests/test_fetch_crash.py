"""A fetch killed with SIGKILL in the middle of its writes leaves the database intact, and loses
neither missions nor the user's marks; the next fetch completes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from missionboard.store import Store
from tests.configs import only_configured_sources
from tests.httpserver import Route


def big_feed(count: int, tag: str, feed: int) -> bytes:
    items = "".join(
        f"<item><title>Mission {feed}-{i:04d} {tag}</title>"
        f"<link>https://example.org/{feed}/m/{i}</link><guid>m{i}</guid>"
        f"<description>Développement Python, mission {feed}-{i} ({tag})</description></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def serve(server, tag: str) -> None:
    for n in range(FEEDS):
        server.routes[f"/f{n}.rss"] = Route(big_feed(ITEMS, tag, n))


FEEDS, ITEMS = 3, 120


def test_sigkill_mid_write_keeps_the_database_and_user_state(tmp_path, server):
    serve(server, "v1")
    config = tmp_path / "config.toml"
    config.write_text(
        only_configured_sources(
            "[fetch]\nhost_delay = 0\n[sources.codeur]\nenabled = false\n"
            + "".join(
                f'[[feeds]]\nname = "f{n}"\nurl = "{server.url}/f{n}.rss"\n' for n in range(FEEDS)
            )
        ),
        encoding="utf-8",
    )
    db = tmp_path / "m.db"
    argv = [sys.executable, "-m", "missionboard", "--config", str(config), "--db", str(db)]
    assert subprocess.run([*argv, "fetch"], capture_output=True, timeout=60).returncode == 0
    with Store(db) as store:
        before = store.count()
        store.set_state("f0:m1", starred=True, note="rappeler lundi", pipeline="applied")
    # The feed changes: the next fetch rewrites every mission; kill it while it writes.
    serve(server, "v2")
    wal = db.with_name(db.name + "-wal")
    for delay in (0.0, 0.05, 0.15):
        start_size = wal.stat().st_size if wal.exists() else 0
        proc = subprocess.Popen([*argv, "fetch", "--force"], start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            if wal.exists() and wal.stat().st_size != start_size:
                break  # writing has begun
            time.sleep(0.002)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # the fetch and its workers, like a killed cron job
        proc.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM missions").fetchone()[0] == before
        conn.close()
        with Store(db) as store:
            state = store.get_state("f0:m1")
            assert (state.starred, state.note, str(state.pipeline)) == (
                True,
                "rappeler lundi",
                "applied",
            )
    done = subprocess.run([*argv, "fetch", "--force"], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with Store(db) as store:
        assert store.count() == before
        assert "v2" in store.get(f"f{FEEDS - 1}:m{ITEMS - 1}").title
        assert store.get_state("f0:m1").note == "rappeler lundi"
