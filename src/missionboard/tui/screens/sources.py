"""The sources screen: each source's health at a glance (last fetch, status, counts, failures)."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from missionboard.tui.formatting import format_age
from missionboard.tui.rows import one_line
from missionboard.tui.services import source_health


def health_table(health: list[dict], now: datetime) -> Table:
    table = Table(expand=True, show_edge=False, header_style="bold", pad_edge=False)
    table.add_column("source", no_wrap=True)
    table.add_column("on", no_wrap=True)
    table.add_column("last fetch", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("new", justify="right")
    table.add_column("missions", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("notes", ratio=1)
    for source in health:
        last = source["last"]
        when = f"{format_age(datetime.fromisoformat(last), now)} ago" if last else "never"
        status = source["status"]
        style = {"ok": "green", "error": "bold red"}.get(status, "dim")
        notes = Text()
        if source["error"]:
            notes.append(one_line(source["error"]), "red")
        for warning in source["warnings"]:
            notes.append(("  " if notes else "") + one_line(warning), "yellow")
        if not source["known"]:
            notes.append(("  " if notes else "") + "no recipe any more", "dim")
        failed = f"{source['failures']}/{source['runs']}" if source["runs"] else ""
        table.add_row(
            Text(one_line(source["name"]), "bold" if source["enabled"] else "dim"),
            "yes" if source["enabled"] else "no",
            when,
            Text(status, style),
            str(source["new"]) if source["runs"] else "",
            f"{source['missions']:,}",
            Text(failed, "red" if source["failures"] else ""),
            notes,
        )
    return table


class SourcesScreen(ModalScreen[None]):
    """Health of every source; F fetches from here too."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Back"),
        Binding("F", "fetch", "Fetch now", id="fetch"),
        Binding("R", "reload", "Refresh", id="refresh"),
    ]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Static(Text("Sources", style="bold underline"))
            yield Static(id="health")
            yield Static(
                Text(
                    "F fetches every enabled source in the background · "
                    "enable a source in the config: [sources.NAME] enabled = true · esc back",
                    style="dim",
                )
            )

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        health = source_health(self.session.store, self.session.paths, self.session.config)
        body = self.query_one("#health", Static)
        if not health:
            body.update(Text("No source is configured.", style="dim"))
        else:
            body.update(health_table(health, self.session.now()))

    def action_fetch(self) -> None:
        self.dismiss(None)
        self.app.main.action_fetch()
