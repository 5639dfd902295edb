from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from missionboard.model import Budget, BudgetKind, Mission, Pipeline, RawMission
from missionboard.store import SCHEMA_VERSION, Store, StoreError

T0 = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)


def mission(uid="codeur:1", title="Développeur Python", **kw) -> tuple[Mission, RawMission]:
    source, native = uid.split(":")
    m = Mission(uid=uid, source=source, url=f"https://example.org/{native}", title=title, **kw)
    raw = RawMission(source=source, native_id=native, url=m.url, title=title)
    return m, raw


def test_new_store_is_wal_with_current_schema(tmp_path):
    store = Store(tmp_path / "m.db")
    assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()
    # Opening again migrates nothing and keeps the data.
    Store(tmp_path / "m.db").close()


def test_upsert_keeps_first_seen_moves_last_seen_and_reports_changes(tmp_path):
    store = Store(tmp_path / "m.db")
    first = store.upsert([mission()], T0)
    assert first.new == ["codeur:1"]
    again = store.upsert([mission()], T0 + timedelta(hours=1))
    assert (again.new, again.updated, again.unchanged) == ([], [], ["codeur:1"])
    changed = store.upsert(
        [mission(budget=Budget(BudgetKind.FIXED, None, 500, "EUR", "Moins de 500 €"))],
        T0 + timedelta(hours=2),
    )
    assert changed.updated == ["codeur:1"]
    m = store.get("codeur:1")
    assert m.first_seen == T0
    assert m.last_seen == T0 + timedelta(hours=2)
    assert m.budget.max == 500


def test_user_state_survives_upserts(tmp_path):
    store = Store(tmp_path / "m.db")
    store.upsert([mission()], T0)
    store.set_state("codeur:1", starred=True, pipeline="applied", note="relancer lundi")
    store.upsert([mission(title="Développeur Python senior")], T0 + timedelta(hours=1))
    state = store.get_state("codeur:1")
    assert (state.starred, state.pipeline, state.note) == (True, Pipeline.APPLIED, "relancer lundi")
    with pytest.raises(ValueError):
        store.set_state("codeur:1", pipeline="maybe")


def test_fts_folds_accents_and_follows_updates(tmp_path):
    store = Store(tmp_path / "m.db")
    store.upsert(
        [mission("codeur:1", "Développeur télésecrétariat"), mission("codeur:2", "Designer")], T0
    )

    def search(words):
        return [
            r[0]
            for r in store.execute(
                "SELECT m.uid FROM missions_fts JOIN missions m ON m.id = missions_fts.rowid WHERE missions_fts MATCH ?",
                (words,),
            )
        ]

    assert search("developpeur") == ["codeur:1"]
    assert search("telesecretariat") == ["codeur:1"]
    store.upsert([mission("codeur:2", "Développeuse React")], T0)
    assert sorted(search("developp*")) == ["codeur:1", "codeur:2"]
    assert search("designer") == []


def test_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"my precious notes, not SQLite at all\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a missionboard database"):
        Store(path)
    assert path.read_bytes() == before


def test_locked_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "m.db"
    Store(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        store = Store(path, timeout=0.1)
        store.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(StoreError, match="busy"):
            store.upsert([mission()], T0)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "m.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer missionboard"):
        Store(path)
