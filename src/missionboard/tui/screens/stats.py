"""The stats screen: pictures, not tables.

Missions per day per source (a strip of bars per source), the skills most in demand this month
(bars, mine highlighted), the spread of fixed budgets by category (a box plot on a log scale), and
the share of remote missions (one stacked bar per source).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from missionboard.model import iso
from missionboard.store import Store
from missionboard.tui.rows import one_line

BLOCKS = " ▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉█"
REMOTE_ORDER = [("remote", "green"), ("hybrid", "yellow"), ("onsite", "red"), ("unknown", "grey50")]
POSTED = "coalesce(posted_at, first_seen)"


def _title(text: str) -> Text:
    return Text(text + "\n", style="bold underline")


def per_day_picture(store: Store, now: datetime, days: int = 14, width: int = 80) -> Text:
    """One strip of bars per source, one bar per day, all on the same scale."""
    start = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = store.execute(
        f"SELECT source, substr({POSTED}, 1, 10) AS day, count(*) FROM missions "
        f"WHERE {POSTED} >= ? GROUP BY source, day",
        (iso(start),),
    ).fetchall()
    out = _title(f"Missions per day, last {days} days")
    if not rows:
        out.append("No mission posted in these days.\n", "dim")
        return out
    labels = [(start + timedelta(days=i)).strftime("%Y-%m-%d") for i in range(days)]
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for source, day, number in rows:
        counts[source][day] = number
    peak = max(n for per in counts.values() for n in per.values())
    name_width = min(14, max(len(s) for s in counts))
    for source in sorted(counts, key=lambda s: (-sum(counts[s].values()), s)):
        out.append(f"{one_line(source)[:name_width]:<{name_width}} ", "bold")
        for day in labels:
            number = counts[source].get(day, 0)
            if not number:
                out.append(" ·", "grey42")
                continue
            level = max(1, round(number / peak * 8))
            out.append(BLOCKS[level] * 2, "cyan")
        out.append(f"  {sum(counts[source].values())}\n", "dim")
    axis = " " * (name_width + 1) + labels[0][5:] + " " * max(1, days * 2 - 10) + labels[-1][5:]
    out.append(axis + f"   (tallest bar: {peak} a day)\n", "dim")
    return out


def skills_picture(
    store: Store, now: datetime, mine: frozenset[str], top: int = 12, width: int = 40
) -> Text:
    """The skills most asked for in the last 30 days, as bars; mine in another colour."""
    since = iso(now - timedelta(days=30))
    counter: Counter[str] = Counter()
    for (skills,) in store.execute(
        f"SELECT skills FROM missions WHERE {POSTED} >= ? AND skills != ''", (since,)
    ):
        counter.update(skills.split())
    out = _title("Skills most in demand, last 30 days")
    if not counter:
        out.append("No skill found in this month's missions.\n", "dim")
        return out
    # Ties broken by name, so the picture does not depend on the order rows come back in.
    best = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top]
    peak = best[0][1]
    name_width = min(18, max(len(s) for s, _ in best))
    for skill, number in best:
        style = "bold magenta" if skill in mine else "blue"
        out.append(
            f"{one_line(skill)[:name_width]:>{name_width}} ", "bold" if skill in mine else ""
        )
        out.append(_bar(number / peak * width), style)
        out.append(f" {number}\n", "dim")
    if mine:
        out.append("(your skills in magenta)\n", "dim")
    return out


def _bar(cells: float) -> str:
    whole = int(cells)
    rest = int((cells - whole) * 8)
    return "█" * whole + (EIGHTHS[rest] if rest else "")


def _quantile(values: list[float], q: float) -> float:
    position = (len(values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def budget_picture(store: Store, width: int = 50) -> Text:
    """Fixed budgets by category on a log scale: whiskers from p10 to p90, the box p25 to p75."""
    rows = store.execute(
        "SELECT category, coalesce(budget_max, budget_min) FROM missions "
        "WHERE budget_kind = 'fixed' AND coalesce(budget_max, budget_min) > 0"
    ).fetchall()
    out = _title("Fixed budgets by category (log scale)")
    if not rows:
        out.append("No fixed budget known yet.\n", "dim")
        return out
    by_category: dict[str, list[float]] = defaultdict(list)
    for category, value in rows:
        by_category[category].append(float(value))
    low = 10 ** math.floor(math.log10(min(v for _, v in rows)))
    high = 10 ** math.ceil(math.log10(max(v for _, v in rows) + 1))
    span = math.log10(high) - math.log10(low)

    def at(value: float) -> int:
        return min(
            width - 1, max(0, round((math.log10(value) - math.log10(low)) / span * (width - 1)))
        )

    for category in sorted(by_category, key=lambda c: (-len(by_category[c]), c)):
        values = sorted(by_category[category])
        p10, p25, p50, p75, p90 = (_quantile(values, q) for q in (0.1, 0.25, 0.5, 0.75, 0.9))
        line = [" "] * width
        for x in range(at(p10), at(p90) + 1):
            line[x] = "─"
        for x in range(at(p25), at(p75) + 1):
            line[x] = "━"
        line[at(p50)] = "┃"
        out.append(f"{category:>12} ", "bold")
        out.append("".join(line), "yellow")
        out.append(f"  median {p50:,.0f} ({len(values)})\n", "dim")
    ticks = [" "] * width
    labels = []
    value = low
    while value <= high:
        ticks[at(value)] = "┴"
        labels.append((at(value), f"{value:,.0f}"))
        value *= 10
    out.append(" " * 13 + "".join(ticks) + "\n", "dim")
    axis = [" "] * (width + 8)
    for x, label in labels:
        for i, ch in enumerate(label):
            if x + i < len(axis):
                axis[x + i] = ch
    out.append(" " * 13 + "".join(axis).rstrip() + "\n", "dim")
    return out


def remote_picture(store: Store, width: int = 50) -> Text:
    """The share of remote, hybrid, onsite and unknown missions: one stacked bar per source."""
    rows = store.execute(
        "SELECT source, remote, count(*) FROM missions GROUP BY source, remote"
    ).fetchall()
    out = _title("Where the work is done")
    if not rows:
        out.append("No mission yet.\n", "dim")
        return out
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for source, remote, number in rows:
        per[source][remote] += number
        per["all sources"][remote] += number
    order = ["all sources", *sorted(s for s in per if s != "all sources")]
    if len(order) == 2:
        order = ["all sources"]
    for source in order:
        counts = per[source]
        total = sum(counts.values())
        out.append(f"{one_line(source)[:12]:>12} ", "bold")
        used = 0
        for index, (kind, colour) in enumerate(REMOTE_ORDER):
            cells = round(counts[kind] / total * width) if index < 3 else width - used
            cells = max(0, min(cells, width - used))
            out.append("█" * cells, colour)
            used += cells
        share = counts["remote"] / total * 100
        out.append(f" {share:.0f}% remote\n", "dim")
    legend = Text(" " * 13)
    for kind, colour in REMOTE_ORDER:
        legend.append("█ ", colour)
        legend.append(f"{kind}  ")
    out.append_text(legend)
    out.append("\n")
    return out


class StatsScreen(ModalScreen[None]):
    """Four pictures of the store."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Back")]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        from missionboard.tui.rows import profile_slugs

        store = self.session.store
        now = self.session.now()
        mine = profile_slugs(self.session.config.profile_skills)
        with VerticalScroll(classes="dialog wide", id="stats"):
            yield Static(per_day_picture(store, now))
            yield Static(skills_picture(store, now, mine))
            yield Static(budget_picture(store))
            yield Static(remote_picture(store))
            yield Static(Text("esc back", style="dim"))
