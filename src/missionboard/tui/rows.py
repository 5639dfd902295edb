"""The data behind the mission list: the few columns a row shows, fetched by id, cached.

The list holds only an array of ids; a row's columns are read from SQLite the first time that row
scrolls into view (a window at a time), so a million missions cost a million integers, not a
million objects.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from missionboard.normalise.skills import fold, load_taxonomy
from missionboard.sources.text import one_line, safe_block
from missionboard.store import STATE_JOIN, Store

__all__ = ["one_line", "safe_block"]  # re-exported for the screens


def profile_slugs(profile_skills: Iterable[str]) -> frozenset[str]:
    """The freelancer's skills as taxonomy slugs ("ReactJS" -> "react")."""
    taxonomy = load_taxonomy()
    return frozenset(taxonomy.match_tag(p) or fold(p) for p in profile_skills if p.strip())


@dataclass(slots=True)
class ListRow:
    """What one line of the mission list shows."""

    id: int
    uid: str
    source: str
    title: str
    posted: datetime | None
    budget_kind: str
    budget_min: float | None
    budget_max: float | None
    currency: str | None
    daily_rate: float | None
    remote: str
    skills: tuple[str, ...]
    read: bool
    starred: bool
    hidden: bool
    pipeline: str
    note: bool
    snoozed: bool
    others: int = 0  # the other missions of its duplicate group (shown as "+N", not as rows)

    def match(self, mine: frozenset[str]) -> float:
        """Share of this mission's skills the freelancer has (0 to 1)."""
        if not self.skills or not mine:
            return 0.0
        return sum(1 for s in self.skills if s in mine) / len(self.skills)


_ROW_SQL = (
    "SELECT m.id, m.uid, m.source, m.title, coalesce(m.posted_at, m.first_seen) AS posted, "
    "m.budget_kind, m.budget_min, m.budget_max, m.currency, m.daily_rate, m.remote, m.skills, "
    "s.read, s.starred, s.hidden, s.pipeline, s.note, s.snoozed_until, "
    "(SELECT count(*) - 1 FROM missions AS g WHERE g.group_uid = m.group_uid) AS others "
    f"FROM missions AS m {STATE_JOIN} "
    "WHERE m.id IN ({marks})"
)


def _to_row(record, now: datetime) -> ListRow:
    snoozed = record["snoozed_until"]
    return ListRow(
        id=record["id"],
        uid=record["uid"],
        source=one_line(record["source"]),
        title=one_line(record["title"]),
        posted=datetime.fromisoformat(record["posted"]) if record["posted"] else None,
        budget_kind=record["budget_kind"],
        budget_min=record["budget_min"],
        budget_max=record["budget_max"],
        currency=record["currency"],
        daily_rate=record["daily_rate"],
        remote=record["remote"],
        skills=tuple(record["skills"].split()),
        read=bool(record["read"]),
        starred=bool(record["starred"]),
        hidden=bool(record["hidden"]),
        pipeline=record["pipeline"] or "new",
        note=bool(record["note"]),
        snoozed=bool(snoozed) and datetime.fromisoformat(snoozed) > now,
        others=max(0, record["others"] or 0),
    )


class RowCache:
    """Rows by mission id, read in batches on demand, the least recently used dropped first."""

    def __init__(self, store: Store, *, size: int = 4096, now=lambda: datetime.now(UTC)):
        self.store = store
        self.size = size
        self.now = now
        self._rows: OrderedDict[int, ListRow] = OrderedDict()

    def get(self, mission_id: int) -> ListRow | None:
        row = self._rows.get(mission_id)
        if row is not None:
            self._rows.move_to_end(mission_id)
        return row

    def load(self, ids: Sequence[int]) -> None:
        """Read the rows of ``ids`` that are not cached yet, in one query per 500."""
        missing = [i for i in ids if i not in self._rows]
        now = self.now()
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            sql = _ROW_SQL.format(marks=",".join("?" * len(chunk)))
            for record in self.store.execute(sql, chunk):
                self._rows[record["id"]] = _to_row(record, now)
        while len(self._rows) > self.size:
            self._rows.popitem(last=False)

    def invalidate(self, mission_id: int | None = None) -> None:
        """Forget one row (its state changed) or all of them."""
        if mission_id is None:
            self._rows.clear()
        else:
            self._rows.pop(mission_id, None)
