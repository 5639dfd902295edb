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
