"""The one place the TUI reaches the search language (``missionboard.query``)."""

from __future__ import annotations

import re

from missionboard.query import CompiledQuery, QueryError, compile_query, count, search_ids

SORTS = ("newest", "budget", "rate", "match")
SORT_LABELS = {"newest": "newest", "budget": "budget", "rate": "daily rate", "match": "match"}


_PARTIAL_WORD = re.compile(r"(^|\s)-?\w$")


def without_partial_word(text: str) -> str:
    """The search without a last word of a single letter still being typed ("python r")."""
    return _PARTIAL_WORD.sub(r"\1", text)


def combine(*queries: str) -> str:
    """Several searches that must all hold, each kept whole by parentheses."""
    parts = [q.strip() for q in queries if q and q.strip()]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return " ".join(f"({p})" for p in parts)


__all__ = [
    "SORTS",
    "SORT_LABELS",
    "CompiledQuery",
    "QueryError",
    "combine",
    "without_partial_word",
    "compile_query",
    "count",
    "search_ids",
]
