"""Alerts: saved searches (``[[alerts]]`` in the config) run over the missions a fetch just added.

``fetch`` calls :func:`match_alerts` with the uids that were new in this run and prints
:func:`alert_lines` for each hit (cron mails that output); the notify command gets the same hits.
An alert uses the search language of the TUI, with the same hide rules, so what it announces is what
the search bar would show. A broken alert query is reported on its own line and never stops a fetch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from missionboard.model import BudgetKind, Mission
from missionboard.query import QueryError, compile_query, store_sources
from missionboard.sources.text import one_line
from missionboard.store import Store, row_to_mission


@dataclass(frozen=True, slots=True)
class AlertHit:
    """The new missions one alert matched, in the alert's sort order (newest first by default)."""

    name: str
    missions: list[Mission] = field(default_factory=list)
    notify: bool = True
    error: str = ""  # the alert's query could not be compiled: one line, why

    def pairs(self) -> list[tuple[str, str]]:
        """(title, url) of each mission, what a notify command receives."""
        return [(m.title, m.url) for m in self.missions]


def _alert_fields(alert: Any) -> tuple[str, str, bool]:
    if isinstance(alert, Mapping):
        return (
            str(alert.get("name", "")),
            str(alert.get("query", "")),
            bool(alert.get("notify", True)),
        )
    return str(alert.name), str(alert.query), bool(getattr(alert, "notify", True))


def match_alerts(
    store: Store,
    alerts: Iterable[Any],
    new_uids: Sequence[str],
    profile_skills: Sequence[str] = (),
    *,
    hide: Sequence[str] = (),
    views: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> list[AlertHit]:
    """For each alert (a ``{name, query, notify}`` table), the missions of ``new_uids`` it matches.

    Alerts that match nothing are left out; an alert whose query is invalid comes back with
    ``error`` set (and no missions) so the caller can say so without stopping.
    """
    if not new_uids:
        return []
    uids_json = json.dumps(list(new_uids))
    sources = store_sources(store)
    hits: list[AlertHit] = []
    for alert in alerts:
        name, text, notify = _alert_fields(alert)
        try:
            compiled = compile_query(
                text,
                now=now,
                profile_skills=profile_skills,
                hide=hide,
                views=views,
                sources=sources,
            )
        except QueryError as exc:
            hits.append(AlertHit(name, [], notify, f"alert {name!r}: bad query {text!r}: {exc}"))
            continue
        # The new uids go in as one JSON parameter: a first fetch may bring thousands of them.
        where = f"m.uid IN (SELECT value FROM json_each(?)) AND {compiled.where}"
        rows = store.iter_rows(where, [uids_json, *compiled.params], compiled.order_by)
        missions = [row_to_mission(row) for row in rows]
        if missions:
            hits.append(AlertHit(name, missions, notify))
    return hits


def _amount(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", "\u202f") if value >= 10000 else f"{value:g}"


def budget_text(mission: Mission) -> str:
    """A short budget for one line: "500-1000 EUR", "400 EUR/day", "quote", or ''."""
    budget = mission.budget
    if budget.kind == BudgetKind.QUOTE:
        return "quote"
    if budget.min is None and budget.max is None:
        return ""
    if budget.min is not None and budget.max is not None and budget.min != budget.max:
        amount = f"{_amount(budget.min)}-{_amount(budget.max)}"
    elif budget.min is None:
        amount = f"up to {_amount(budget.max)}"
    elif budget.max is None and budget.kind == BudgetKind.FIXED:
        amount = f"{_amount(budget.min)}+"
    else:
        amount = _amount(budget.min)
    per = {
        BudgetKind.DAILY: "/day",
        BudgetKind.HOURLY: "/hour",
        BudgetKind.MONTHLY: "/month",
        BudgetKind.YEARLY: "/year",
    }.get(budget.kind, "")
    return f"{amount} {budget.currency or ''}".strip() + per


def mission_line(mission: Mission) -> str:
    """One mission as fetch prints it: title, then what decides a click, then the link."""
    facts = [mission.source]
    if mission.remote.value != "unknown":
        facts.append(mission.remote.value)
    budget = budget_text(mission)
    if budget:
        facts.append(budget)
    if mission.skills:
        facts.append(", ".join(mission.skills[:4]))
    return f"  {one_line(mission.title)} · {one_line(' · '.join(facts))}  {one_line(mission.url)}"


def alert_lines(hits: Iterable[AlertHit]) -> list[str]:
    """The printed form of alert hits: a heading per alert, then one line per mission."""
    lines: list[str] = []
    for hit in hits:
        if hit.error:
            lines.append(f"missionboard: warning: {one_line(hit.error)}")
            continue
        count = len(hit.missions)
        lines.append(f"alert {one_line(hit.name)}: {count} new mission{'s' if count != 1 else ''}")
        lines += [mission_line(m) for m in hit.missions]
    return lines
