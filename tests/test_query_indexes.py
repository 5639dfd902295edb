"""The shortcuts that keep searches fast on a large store give the same answers as the slow way.

On the demo store (125 real missions from 12 sources):

- ``skill:`` terms also filter through the full-text index's ``skills`` column (a superset; the
  exact test stays in SQL): every skill stored, and prefixes, against a plain-Python reading.
- ``sort:match`` reads the match scores the store keeps for the profile (``match_scores``):
  the same order as computing every mission's share, and the scores follow missions as they are
  stored, updated and renormalised, and the profile as it changes.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from missionboard.demo import build_demo_store
from missionboard.query import compile_query, match_slugs, prepare_match, search_ids
from missionboard.store import Store

NOW = datetime(2026, 8, 3, 12, 0, tzinfo=UTC)
PROFILE = ["WordPress", "PHP", "react", "graphisme", "Python"]


@pytest.fixture
def store(tmp_path):
    build_demo_store(tmp_path / "demo.db")
    with Store(tmp_path / "demo.db") as store:
        yield store


def skills_by_uid(store) -> dict[str, list[str]]:
    return {r[0]: r[1].split() for r in store.execute("SELECT uid, skills FROM missions")}


def uids(store, query, **kw):
    by_id = dict(store.execute("SELECT id, uid FROM missions").fetchall())
    return [by_id[i] for i in search_ids(store, query, now=NOW, **kw)]


def test_every_stored_skill_is_found_through_the_index(store):
    skills = skills_by_uid(store)
    stored = sorted({s for values in skills.values() for s in values})
    assert len(stored) > 60 and any("-" in s for s in stored)  # hyphenated slugs too
    for slug in stored:
        expected = {uid for uid, values in skills.items() if slug in values}
        assert set(uids(store, f"skill:{slug}")) == expected, slug
    for prefix in ("re", "java", "web", "data-"):
        expected = {u for u, values in skills.items() if any(s.startswith(prefix) for s in values)}
        assert expected, prefix
        assert set(uids(store, f"skill:{prefix}*")) == expected, prefix


def test_skill_terms_are_merged_into_the_text_match(store):
    compiled = compile_query("developer skill:python,react-native -senior", now=NOW)
    assert compiled.fts == (
        '("developer"* AND {skills} : ("python" OR "react native")) NOT ("senior"*)',
    )
    # A one-letter prefix would merge every word starting so: no index filter, the SQL test only.
    assert compile_query("skill:c*", now=NOW).fts == ()
    skills = skills_by_uid(store)
    text = {
        r[0]: f"{r[1]} {r[2]}".lower()
        for r in store.execute("SELECT uid, title, description FROM missions")
    }
    found = set(uids(store, "developer skill:python,react-native -senior"))
    assert found, "the demo has Python developer missions"
    for uid in found:
        assert {"python", "react-native"} & set(skills[uid]) and "developer" in text[uid]
        assert "senior" not in text[uid]


@pytest.mark.parametrize(
    "query",
    [
        "skill:python",
        "skill:wordpress,php sort:budget",
        "développeur skill:wordpress",
        "skill:react* -senior",
        "(skill:python OR skill:php) remote:remote",
        "-(skill:python skill:django)",
        "budget>=100 skill:javascript,react,wordpress sort:budget",
    ],
)
def test_both_plans_give_the_first_of_the_full_order(store, monkeypatch, query):
    """Walking an index (skill MATCH dropped) and driving by the MATCH agree with the full list."""
    from missionboard import query as module

    full = uids(store, query)
    assert full, query
    for walk in (True, False):
        monkeypatch.setattr(module, "_walk_in_order", lambda *a, walk=walk: walk)
        for limit in (1, 4, len(full) + 2):
            assert uids(store, query, limit=limit) == full[:limit], (walk, limit)


def match_order_without_scores(store, query):
    kept = store.match_profile()
    store.set_match_profile([])
    try:
        return uids(store, query, sort="match", profile_skills=PROFILE)
    finally:
        store.set_match_profile(kept)


@pytest.mark.parametrize("query", ["", "remote:remote", "développeur", "-cat:dev", "rate>=100"])
def test_match_scores_give_the_order_of_the_shares(store, query):
    assert prepare_match(store, PROFILE) is True
    assert prepare_match(store, PROFILE) is False  # the same profile: nothing to do
    assert store.match_profile() == match_slugs(PROFILE)
    full = match_order_without_scores(store, query)
    assert len(full) > 3
    skills = skills_by_uid(store)
    wanted = set(match_slugs(PROFILE))

    def share(uid):
        return sum(s in wanted for s in skills[uid]) / len(skills[uid]) if skills[uid] else 0

    assert [share(u) for u in full] == sorted((share(u) for u in full), reverse=True)
    for limit in (1, 7, 40, len(full) + 3):
        assert uids(store, query, sort="match", profile_skills=PROFILE, limit=limit) == full[:limit]


def stored_scores(store):
    return store.execute("SELECT id, share, posted FROM match_scores ORDER BY id").fetchall()


def recomputed_scores(store):
    kept = store.match_profile()
    store.set_match_profile([])
    assert store.execute("SELECT count(*) FROM match_scores").fetchone()[0] == 0
    store.set_match_profile(kept)
    return stored_scores(store)


def test_scores_follow_missions_and_the_profile(store):
    prepare_match(store, PROFILE)
    before = stored_scores(store)
    assert 10 < len(before) < 125  # missions sharing no skill have no score
    # An updated mission (new skills, new date), and a new one, are scored by the triggers.
    uid = store.execute("SELECT uid FROM missions WHERE skills != '' LIMIT 1").fetchone()[0]
    mission, raw = store.get(uid), store.get_raw(uid)
    store.upsert([(dataclasses.replace(mission, skills=["python"], posted_at=NOW), raw)])
    copy = dataclasses.replace(
        mission, uid=uid + "-copy", url=mission.url + "#copy", skills=["php", "docker"]
    )
    store.upsert([(copy, raw)])
    after = stored_scores(store)
    assert after == recomputed_scores(store)
    by_uid = {
        r[0]: r[1]
        for r in store.execute(
            "SELECT m.uid, ms.share FROM match_scores ms JOIN missions m ON m.id = ms.id"
        )
    }
    assert by_uid[uid] == 1.0 and by_uid[uid + "-copy"] == 0.5
    # A mission whose skills no longer touch the profile loses its score.
    store.update_normalised([(dataclasses.replace(mission, skills=["docker"]), raw)])
    assert uid not in {
        r[0]
        for r in store.execute("SELECT m.uid FROM match_scores ms JOIN missions m ON m.id = ms.id")
    }
    assert stored_scores(store) == recomputed_scores(store)
    # Another profile: recomputed once; no profile: no scores, and sort:match still answers.
    assert prepare_match(store, ["docker"]) is True
    docker = {u for u, values in skills_by_uid(store).items() if "docker" in values}
    scored = {
        r[0]
        for r in store.execute("SELECT m.uid FROM match_scores ms JOIN missions m ON m.id = ms.id")
    }
    assert scored == docker and uid in docker
    assert prepare_match(store, []) is True
    assert stored_scores(store) == []
    profile = {"profile_skills": PROFILE}
    full = uids(store, "", sort="match", **profile)
    assert uids(store, "", sort="match", limit=5, **profile) == full[:5]


def test_a_busy_store_leaves_the_scores_stale_and_sort_match_still_right(store, tmp_path):
    import sqlite3

    from missionboard.store import StoreError

    prepare_match(store, ["docker"])
    other = sqlite3.connect(tmp_path / "demo.db")
    other.execute("BEGIN IMMEDIATE")  # another process writing
    store.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StoreError, match="busy"):
            prepare_match(store, PROFILE)
    finally:
        other.rollback()
        other.close()
    assert store.match_profile() == ["docker"]  # untouched, so sort:match computes the shares
    stale = uids(store, "", sort="match", profile_skills=PROFILE, limit=30)
    prepare_match(store, PROFILE)
    assert uids(store, "", sort="match", profile_skills=PROFILE, limit=30) == stale
