"""The missionboard Textual application."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import App
from textual.binding import Binding

from missionboard.tui.keys import QUIT_KEY, keymap_from_config
from missionboard.tui.screens.main import MainScreen
from missionboard.tui.services import Session

# How often the list checks for missions written by another process (a cron fetch).
POLL_SECONDS = 3.0


class MissionboardApp(App):
    """Triage freelance missions: a list, a detail pane, searches and views."""

    CSS_PATH = "app.tcss"
    TITLE = "missionboard"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding(QUIT_KEY[1], "quit", QUIT_KEY[3], id=QUIT_KEY[0], priority=True),
    ]

    def __init__(
        self,
        session: Session,
        *,
        poll_seconds: float | None = POLL_SECONDS,
        opener: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.poll_seconds = poll_seconds
        self.opener = opener
        tui = session.config.tui
        self.keymap_in_use, self.keymap_warnings = keymap_from_config(dict(tui.get("keys", {})))
        self.main = MainScreen(
            session,
            first_view=str(tui.get("default_view", "")),
            sort=str(tui.get("default_sort", "newest")),
        )

    def on_mount(self) -> None:
        if self.keymap_in_use:
            self.set_keymap(self.keymap_in_use)
        self.push_screen(self.main)
        for warning in [*self.keymap_warnings, *self.config_warnings()]:
            self.notify(warning, severity="warning", markup=False, timeout=8)
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.main.check_for_new)

    def config_warnings(self) -> list[str]:
        """The [tui] settings that name no view or no sort (the defaults are used instead)."""
        from missionboard.tui.search import SORTS

        tui = self.session.config.tui
        warnings = []
        views = [view.name for view in self.main.views]
        if tui.get("default_view") and tui["default_view"] not in views:
            warnings.append(
                f"config [tui] default_view: no view called {tui['default_view']!r}; "
                f"known: {', '.join(views)}"
            )
        if tui.get("default_sort") and tui["default_sort"] not in SORTS:
            warnings.append(
                f"config [tui] default_sort: {tui['default_sort']!r} is not one of {', '.join(SORTS)}"
            )
        return warnings

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        if self.opener is not None:
            self.opener(url)
        else:
            super().open_url(url, new_tab=new_tab)

    def on_unmount(self) -> None:
        self.session.close()


def make_app(
    paths, config, *, now: Callable[[], datetime] | None = None, demo: bool = False, **kwargs
) -> MissionboardApp:
    """The application on the store named by ``paths``, with ``config``.

    The demo's clock stands at the moment its recordings were made, so ages read as they did then.
    """
    session = Session(paths, config, demo=demo)
    if now is not None:
        session.now = now
    elif demo:
        latest = session.store.execute("SELECT max(first_seen) FROM missions").fetchone()[0]
        if latest:
            recorded = datetime.fromisoformat(latest)
            session.now = lambda: recorded
    return MissionboardApp(session, **kwargs)
