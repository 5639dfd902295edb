"""The detail pane: everything known about the mission under the cursor, scraped text literal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from missionboard.model import Mission, UserState
from missionboard.tui.formatting import format_age, format_budget
from missionboard.tui.rows import one_line, safe_block

_REMOTE_STYLES = {"remote": "bold green", "hybrid": "yellow", "onsite": "red", "unknown": "dim"}


def _date(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "unknown"
    age = format_age(value, now)
    return f"{value:%Y-%m-%d %H:%M} UTC ({'just now' if age == 'now' else age + ' ago'})"


def mission_text(
    mission: Mission,
    state: UserState,
    mine: frozenset[str],
    now: datetime,
    also_on: Sequence[tuple[str, str]] = (),
) -> Group:
    """The detail of one mission, built from plain strings (never markup)."""
    text = Text(end="")
    text.append(one_line(mission.title) + "\n", "bold")
    marks = []
    if state.starred:
        marks.append("★ starred")
    if state.pipeline != "new":
        marks.append(f"status: {state.pipeline}")
    if state.hidden:
        marks.append("hidden")
    if state.snoozed_until and state.snoozed_until > now:
        marks.append(f"snoozed until {state.snoozed_until:%Y-%m-%d}")
    if marks:
        text.append("  ".join(marks) + "\n", "yellow")
    if state.note:
        text.append("Note: ", "bold")
        text.append(one_line(state.note) + "\n", "italic")
    fields = Table.grid(padding=(0, 1), expand=True)
    fields.add_column(style="dim", width=11, no_wrap=True)
    fields.add_column(ratio=1)

    def field(label: str, value: str | Text, style: str = "") -> None:
        # Wrapped values stay in their column instead of running under the labels.
        fields.add_row(label, value if isinstance(value, Text) else Text(value, style=style))

    field("Source", one_line(mission.source))
    field("Client", one_line(mission.client) or "not given")
    budget = mission.budget
    shown = format_budget(str(budget.kind), budget.min, budget.max, budget.currency)
    budget_text = Text(shown or "not given", style="bold" if shown else "dim")
    if budget.raw and one_line(budget.raw) != shown:
        budget_text.append(f'  "{one_line(budget.raw)}"', "dim")
    if mission.daily_rate and str(budget.kind) != "daily":
        budget_text.append(f"  ≈ {mission.daily_rate:.0f}/day", "cyan")
    field("Budget", budget_text)
    remote = Text(str(mission.remote))
    remote.stylize(_REMOTE_STYLES.get(str(mission.remote), ""))
    if mission.remote_region:
        remote.append(f" ({one_line(mission.remote_region)})")
    if mission.remote_evidence:
        remote.append(f"  evidence: {one_line(mission.remote_evidence)}", "dim")
    field("Remote", remote)
    skills = Text()
    for index, skill in enumerate(mission.skills):
        if index:
            skills.append(" ")
        skills.append(one_line(skill), "bold reverse cyan" if skill in mine else "cyan")
    field("Skills", skills if mission.skills else Text("none found", "dim"))
    field("Category", str(mission.category))
    field("Contract", str(mission.contract))
    competition = []
    if mission.offers is not None:
        competition.append(f"{mission.offers} offers")
    if mission.views is not None:
        competition.append(f"{mission.views} views")
    if str(mission.status) != "unknown":
        competition.append(str(mission.status).replace("_", " "))
    field("Competition", ", ".join(competition) or "not shown by the site")
    if also_on:
        field(
            "Also on", ", ".join(f"{one_line(source)} ({one_line(url)})" for source, url in also_on)
        )
    field("Posted", _date(mission.posted_at, now))
    field("First seen", _date(mission.first_seen, now))
    field("Link", "o opens it in the browser, c copies it", "dim")
    link = Text(one_line(mission.url), style="underline blue", overflow="fold")
    body = Text(safe_block(mission.description) or "(no description)")
    return Group(text, fields, link, Text(""), body)


class MissionDetail(VerticalScroll, can_focus=False):
    """A scrollable pane showing one mission."""

    def compose(self):
        yield Static(
            Text("Move to a mission to see it here.", style="dim"), id="detail-body", markup=False
        )

    def show(self, renderable: Group | Text) -> None:
        self.query_one("#detail-body", Static).update(renderable)
        self.scroll_home(animate=False)
