"""A stand-in for ``missionboard.query`` until the search language lands on main.

Same API (``QueryError``, ``CompiledQuery``, ``compile_query``, ``search_ids``, ``count``), a tiny
language: plain words (prefix-matched through FTS5), ``is:unread|starred|hidden``, ``source:NAME``,
``remote:CLASS``. :mod:`missionboard.tui.search` prefers the real module whenever it exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from missionboard.normalise.skills import fold, load_taxonomy
from missionboard.store import STATE_JOIN

_SORTS = {
    "newest": "coalesce(m.posted_at, m.first_seen) DESC, m.id DESC",
    "budget": "m.budget_max IS NULL, coalesce(m.budget_max, m.budget_min) DESC, m.id DESC",
    "rate": "m.daily_rate IS NULL, m.daily_rate DESC, m.id DESC",
}


class QueryError(ValueError):
    def __init__(self, message: str, position: int = 0, length: int = 1):
        super().__init__(message)
        self.position = position
        self.length = length


@dataclass(frozen=True)
class CompiledQuery:
    where: str
    params: list
    order_by: str
    include_hidden: bool


def _profile_slugs(profile_skills: Any) -> list[str]:
    taxonomy = load_taxonomy()
    return [taxonomy.match_tag(p) or fold(p) for p in profile_skills]


def compile_query(text, *, now=None, profile_skills=(), sort=None, hide=()) -> CompiledQuery:
    now = now or datetime.now(UTC)
    clauses: list[str] = []
    params: list[Any] = []
    words: list[str] = []
    include_hidden = False
    # AND is all this stand-in knows, so grouping parentheses change nothing (same offsets kept).
    text = text.replace("(", " ").replace(")", " ")
    for match in re.finditer(r"\S+", text):
        token = match.group()
        if ":" in token:
            key, _, value = token.partition(":")
            if key == "is" and value in {"unread", "starred", "hidden"}:
                if value == "unread":
                    clauses.append("coalesce(s.read, 0) = 0")
                elif value == "starred":
                    clauses.append("coalesce(s.starred, 0) = 1")
                else:
                    include_hidden = True
                    clauses.append("coalesce(s.hidden, 0) = 1")
                continue
            if key in {"source", "remote"} and value:
                clauses.append(f"m.{key} = ?")
                params.append(value)
                continue
            raise QueryError(
                f"unknown filter {key!r}", match.start(), len(key) + 1 if key else len(token)
            )
        if token.startswith('"'):
            raise QueryError("quoted phrases are not supported yet", match.start(), 1)
        cleaned = re.sub(r"\W+", "", fold(token))
        if cleaned:
            words.append(cleaned)
    if words:
        clauses.append("m.id IN (SELECT rowid FROM missions_fts WHERE missions_fts MATCH ?)")
        params.append(" ".join(f'"{w}"*' for w in words))
    if not include_hidden:
        clauses.append("coalesce(s.hidden, 0) = 0")
        clauses.append("(s.snoozed_until IS NULL OR s.snoozed_until <= ?)")
        params.append(now.astimezone(UTC).replace(microsecond=0).isoformat())
    sort = sort or "newest"
    if sort == "match":
        slugs = _profile_slugs(profile_skills) or [""]
        score = " + ".join("(instr(' ' || m.skills || ' ', ?) > 0)" for _ in slugs)
        params += [f" {s} " for s in slugs]
        order_by = f"({score}) DESC, {_SORTS['newest']}"
    else:
        order_by = _SORTS.get(sort, _SORTS["newest"])
    return CompiledQuery(" AND ".join(clauses) or "1", params, order_by, include_hidden)


def search_ids(store, query, *, limit=None, **compile_kwargs) -> list[int]:
    compiled = compile_query(query, **compile_kwargs)
    sql = (
        f"SELECT m.id FROM missions AS m {STATE_JOIN} "
        f"WHERE {compiled.where} ORDER BY {compiled.order_by}"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in store.execute(sql, compiled.params)]


def count(store, query, **compile_kwargs) -> int:
    compiled = compile_query(query, **compile_kwargs)
    where = compiled.where
    params = compiled.params
    sql = f"SELECT count(*) FROM missions AS m {STATE_JOIN} WHERE {where}"
    return store.execute(sql, params).fetchone()[0]
