"""The list's fast search path gives exactly what the search language's own SQL gives."""

from __future__ import annotations

import pytest

from missionboard.model import Mission
from missionboard.store import Store
from missionboard.tui import search
from missionboard.tui.index import SearchIndex, split_params
from tests.tui_helpers import NOW, RECORDED_AT, build_store

KWARGS = {"now": NOW, "profile_skills": ("python", "wordpress"), "hide": ()}


def _store(folder):
    build_store(folder / "m.db")
    store = Store(folder / "m.db")
    store.set_state("codeur:481826", hidden=True)
    return store


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    store = _store(tmp_path_factory.mktemp("index"))
    yield store
    store.close()


@pytest.fixture
def store(tmp_path):
    store = _store(tmp_path)
    yield store
    store.close()


@pytest.mark.parametrize("sort", search.SORTS)
@pytest.mark.parametrize("query", ["", "site", "python", "site web", "is:hidden", "is:unread"])
def test_same_ids_in_the_same_order_as_search_ids(shared_store, query, sort):
    store = shared_store
    expected = search.search_ids(store, query, sort=sort, **KWARGS)
    index = SearchIndex()
    assert index.search(store, query, sort, KWARGS) == expected
    # Twice: the second answer comes from the cache and is the same.
    assert index.search(store, query, sort, KWARGS) == expected


def test_missions_written_after_the_order_was_read_come_first(store):
    index = SearchIndex()
    before = index.search(store, "", "newest", KWARGS)
    store.upsert(
        [(Mission(uid="late:1", source="late", url="https://x.test", title="Late"), None)],
        RECORDED_AT,
    )
    index.clear()
    after = index.search(store, "", "newest", KWARGS)
    late = store.execute("SELECT id FROM missions WHERE uid = 'late:1'").fetchone()[0]
    assert after == [late, *before]


def test_parameters_are_split_between_where_and_order_by():
    compiled = search.compile_query("python", sort="match", **KWARGS)
    where, order = split_params(compiled)
    assert where + order == list(compiled.params)
    assert len(where) == compiled.where.count("?")


def test_the_top_window_gives_the_first_matches_in_order(shared_store):
    store = shared_store
    index = SearchIndex()
    assert index.search_top(store, "site", "newest", KWARGS) is None  # no order read yet
    full = index.search(store, "site", "newest", KWARGS)
    assert index.search_top(store, "site", "newest", KWARGS, window=10_000) == full
    everything = index.search(store, "", "newest", KWARGS)
    top = index.search_top(store, "site", "newest", KWARGS, window=10)
    assert top == [i for i in full if i in set(everything[:10])]


@pytest.mark.parametrize("sort", search.SORTS)
def test_the_demo_duplicates_are_one_row_each(tmp_path, sort):
    """The demo's 125 real missions hold 4 groups of 2 or 3 (5 copies): the list shows 120 rows,
    the group's first mission standing for it, and a search only a copy matches shows the copy."""
    from missionboard.demo import build_demo_store

    build_demo_store(tmp_path / "demo.db")
    with Store(tmp_path / "demo.db") as store:
        index = SearchIndex()
        groups = dict(store.execute("SELECT id, coalesce(group_uid, uid) FROM missions").fetchall())
        firsts = {r[0] for r in store.execute("SELECT id FROM missions WHERE group_uid = uid")}
        everything = index.search(store, "", sort, KWARGS)
        rows = index.collapse(store, everything)
        assert len(everything) == 125 and len(rows) == 120 == store.count_groups()
        assert len({groups[i] for i in rows}) == 120 and set(rows) <= firsts
        assert rows == [i for i in everything if i in set(rows)]  # the order is kept
        assert search.count(store, "", groups=True, **KWARGS) == 120
        copies = store.execute(
            "SELECT id, source FROM missions WHERE group_uid != uid AND dup_kind = 'other_source'"
        ).fetchall()
        assert copies, "the demo has a mission on two sites"
        for mission_id, source in copies:
            # Every result is from that source, so the copy (or another copy on that site)
            # stands for the group even though the group's first mission is elsewhere.
            found = index.collapse(store, index.search(store, f"source:{source}", sort, KWARGS))
            assert groups[mission_id] in {groups[i] for i in found}, source
