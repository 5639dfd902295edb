"""Duplicate groups in the store, on the real recordings of the demo: grouped, never deleted."""

from __future__ import annotations

import pytest

from missionboard.demo import build_demo_store
from missionboard.export import record
from missionboard.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("dedup") / "demo.db"
    build_demo_store(path)
    with Store(path) as store:
        yield store


def test_same_job_on_two_sites_is_one_group(store):
    # Qase posted on Hacker News one line naming two roles, listed separately on We Work Remotely.
    hn = store.execute(
        "SELECT uid FROM missions WHERE source = 'hackernews' AND client = 'Qase'"
    ).fetchone()["uid"]
    members = {row["uid"]: row["dup_kind"] for row in store.group_members(hn)}
    assert members == {
        "weworkremotely:qase-developer-advocate": "other_source",
        "weworkremotely:qase-technical-customer-support-specialist": "other_source",
    }
    # Nothing was deleted: every copy keeps its own row and uid.
    assert store.get("weworkremotely:qase-developer-advocate") is not None


def test_unrelated_missions_stay_apart(store):
    singles = store.execute(
        "SELECT count(*) FROM missions WHERE group_uid = uid AND dup_kind = ''"
    ).fetchone()[0]
    assert singles == store.count() - 5
    # A company's other jobs share boilerplate but are not duplicates.
    grouped = store.execute(
        "SELECT count(DISTINCT group_uid) FROM missions WHERE dup_kind != ''"
    ).fetchone()[0]
    assert grouped == 4


def test_user_state_follows_the_group(store):
    hn = store.execute(
        "SELECT uid FROM missions WHERE source = 'hackernews' AND client = 'Qase'"
    ).fetchone()["uid"]
    store.set_state("weworkremotely:qase-developer-advocate", starred=True, note="vu sur WWR")
    assert store.get_state(hn).starred is True
    assert (
        store.get_state("weworkremotely:qase-technical-customer-support-specialist").note
        == "vu sur WWR"
    )
    rows = {r["uid"]: record(r) for r in store.iter_rows("m.group_uid = ?", (hn,))}
    assert all(r["starred"] for r in rows.values()) and len(rows) == 3


def test_renormalise_rederives_from_raw_records_and_keeps_state(tmp_path):
    from missionboard.ingest import renormalise_store
    from missionboard.sources import load_recipes

    path = tmp_path / "demo.db"
    build_demo_store(path)
    with Store(path) as store:
        recipes = load_recipes().recipes
        store.set_state("codeur:481826", starred=True)
        before = {
            r["uid"]: (r["budget_kind"], r["skills"], r["last_seen"]) for r in store.iter_rows()
        }
        # Nothing changed in the normaliser: nothing to rewrite.
        assert renormalise_store(store, recipes) == (store.count(), 0)
        # Spoil the derived columns, as an older normaliser would have left them.
        store.execute(
            "UPDATE missions SET budget_kind = 'unknown', skills = '', content_hash = 'old'"
        )
        seen, changed = renormalise_store(store, recipes, batch=7)
        assert (seen, changed) == (store.count(), store.count())
        after = {
            r["uid"]: (r["budget_kind"], r["skills"], r["last_seen"]) for r in store.iter_rows()
        }
        assert after == before
        assert store.get_state("codeur:481826").starred


def test_renormalise_command(tmp_path):
    from click.testing import CliRunner

    from missionboard.cli import cli

    build_demo_store(tmp_path / "demo.db")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "demo.db"), "renormalise"])
    assert result.exit_code == 0
    assert result.stdout.endswith(" missions normalised again, 0 changed\n")
