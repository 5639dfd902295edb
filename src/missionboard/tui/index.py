"""Fast searches for the list: the sort order kept in memory, matches found unsorted, results cached.

SQLite sorting every match on every keystroke is what costs the most at 100k missions. The order of
the whole store for a sort does not depend on the search, so it is read once (per sort, per reload)
into an array; a search then asks SQLite only *which* missions match (no ORDER BY) and puts them in
that order in Python. Results are cached per (search, sort), so backspacing is instant; any change
of the user's marks or of the store clears the cache.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from missionboard.store import STATE_JOIN, Store
from missionboard.tui import search

_FROM = f"FROM missions AS m {STATE_JOIN}"


class SearchIndex:
    """Display order per sort, and a small cache of search results. Thread-safe."""

    def __init__(self, cache_size: int = 64) -> None:
        self._lock = threading.Lock()
        self._rank: dict[str, array] = {}
        self._order: dict[str, array] = {}
        self._cache: OrderedDict[tuple, list[int]] = OrderedDict()
        self._cache_size = cache_size
        self._groups: dict[int, tuple[str, bool]] | None = None

    def clear(self, *, orders: bool = False) -> None:
        """Forget cached results (the user's marks changed) and, with ``orders``, the sort orders."""
        with self._lock:
            self._cache.clear()
            if orders:
                self._rank.clear()
                self._order.clear()
                self._groups = None

    def has_order(self, sort: str) -> bool:
        return sort in self._rank

    def _ensure_rank(self, store: Store, sort: str, kwargs: dict[str, Any]) -> array:
        rank = self._rank.get(sort)
        if rank is not None:
            return rank
        compiled = search.compile_query("", sort=sort, **kwargs)
        _, order_params = split_params(compiled)
        ordered = _ids(store, f"SELECT m.id {_FROM} ORDER BY {compiled.order_by}", order_params)
        rank = array("l", [-1]) * (max(ordered, default=0) + 1)
        for position, mission_id in enumerate(ordered):
            rank[mission_id] = position
        with self._lock:
            self._rank[sort] = rank
            self._order[sort] = array("l", ordered)
        return rank

    def search(self, store: Store, query: str, sort: str, kwargs: dict[str, Any]) -> list[int]:
        """Mission ids matching ``query``, in the order of ``sort``."""
        key = (" ".join(query.split()), sort)  # "python " is "python"
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        compiled = search.compile_query(query, sort=sort, **kwargs)
        rank = self._ensure_rank(store, sort, kwargs)
        where_params, _ = split_params(compiled)
        found = _ids(store, f"SELECT m.id {_FROM} WHERE {compiled.where}", where_params)
        found = self._in_order(found, sort, rank)
        with self._lock:
            self._cache[key] = found
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return found

    def cached(self, query: str, sort: str) -> list[int] | None:
        with self._lock:
            return self._cache.get((" ".join(query.split()), sort))

    def search_top(
        self, store: Store, query: str, sort: str, kwargs: dict[str, Any], window: int = 3000
    ) -> list[int] | None:
        """The matches among the first ``window`` missions of the order: a first screenful, fast.

        None when the order is not known yet. On a large store this answers a keystroke long
        before the full search has read every match.
        """
        order = self._order.get(sort)
        if order is None:
            return None
        compiled = search.compile_query(query, sort=sort, **kwargs)
        where_params, _ = split_params(compiled)
        top = order[:window].tolist()
        found = _ids(
            store,
            f"SELECT m.id {_FROM} WHERE m.id IN (SELECT value FROM json_each(?)) "
            f"AND ({compiled.where})",
            [json.dumps(top), *where_params],
        )
        return self._in_order(found, sort, self._rank[sort])

    def collapse(self, store: Store, ids: list[int]) -> list[int]:
        """``ids`` with one mission per duplicate group, in their order.

        DESIGN: duplicates are grouped, not deleted, and one row shows "also on X". That row is
        the group's first mission (the one the freelancer met first) when it matches, else the
        first of the copies that match, so a search only a copy matches (``source:`` the copy's
        site) still shows it.
        """
        groups = self._groups
        if groups is None:
            # Only missions in a group of two or more, read once per reload of the store:
            # id -> (group, whether it is the group's first mission).
            groups = {
                mission_id: (group, uid == group)
                for mission_id, group, uid in _rows(
                    store,
                    "SELECT id, group_uid, uid FROM missions WHERE group_uid IN "
                    "(SELECT group_uid FROM missions WHERE group_uid != uid)",
                )
            }
            with self._lock:
                self._groups = groups
        if not groups:
            return ids
        grouped = [groups[i] for i in ids if i in groups]
        if not grouped:
            return ids
        with_first = {group for group, first in grouped if first}
        seen: set[str] = set()
        out = []
        for mission_id in ids:
            entry = groups.get(mission_id)
            if entry is not None:
                group, first = entry
                if group in seen or (group in with_first and not first):
                    continue
                seen.add(group)
            out.append(mission_id)
        return out

    def _in_order(self, found: list[int], sort: str, rank: array) -> list[int]:
        size = len(rank)
        # Missions newer than the order (written since it was read) come first, newest first.
        newer = sorted((i for i in found if i >= size), reverse=True)
        known = [i for i in found if i < size] if newer else found
        order = self._order[sort]
        if len(known) * 8 > len(order):
            # Most of the store matches: walking the order once beats sorting.
            wanted = set(known)
            return newer + [i for i in order if i in wanted]
        known.sort(key=rank.__getitem__)
        return newer + known


def split_params(compiled: search.CompiledQuery) -> tuple[list, list]:
    """The parameters of ``where`` and those of ``order_by`` (they follow in SQL order)."""
    count = _placeholders(compiled.where)
    return list(compiled.params[:count]), list(compiled.params[count:])


def _placeholders(sql: str) -> int:
    """How many ``?`` an SQL fragment holds outside its string literals."""
    count = 0
    quoted = False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        elif ch == "?" and not quoted:
            count += 1
    return count


@contextmanager
def _plain_cursor(store: Store) -> Iterator[sqlite3.Cursor]:
    """A cursor giving plain tuples (the store's sqlite3.Row factory costs a third of the time on
    100k rows), with SQLite's errors worded for the user."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    try:
        yield cursor
    except sqlite3.OperationalError as exc:
        raise store._explain(exc) from None
    finally:
        cursor.close()


def _ids(store: Store, sql: str, params: list) -> list[int]:
    with _plain_cursor(store) as cursor:
        return [row[0] for row in cursor.execute(sql, params)]


def _rows(store: Store, sql: str) -> list[tuple]:
    with _plain_cursor(store) as cursor:
        return cursor.execute(sql).fetchall()
