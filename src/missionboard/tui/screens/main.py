"""The main screen: saved views, the search bar, the mission list and the detail pane."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from missionboard.model import Pipeline
from missionboard.store import Store, StoreError
from missionboard.tui import search
from missionboard.tui.index import SearchIndex
from missionboard.tui.keys import main_bindings
from missionboard.tui.rows import RowCache, one_line, profile_slugs
from missionboard.tui.screens.modals import NoteScreen, pipeline_screen, snooze_screen, snooze_until
from missionboard.tui.widgets.detail import MissionDetail, mission_text
from missionboard.tui.widgets.key_bar import KeyBar
from missionboard.tui.widgets.mission_list import MissionList, header_text

# Below this width the detail pane replaces the list instead of sitting beside it.
NARROW = 110
# Above this many missions a search shows its first page before the whole list is read.
FIRST_PAGE_FROM = 20_000


@dataclass(frozen=True)
class View:
    name: str
    query: str


class MainScreen(Screen):
    """Triage: views, search, list, detail."""

    BINDINGS = [
        *main_bindings(),
        *[Binding(str(n), f"pick_view({n - 1})", f"View {n}", show=False) for n in range(1, 10)],
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, session, *, first_view: str = "", sort: str = "newest") -> None:
        super().__init__()
        self.session = session
        config = session.config
        self.views = [View("All", "")]
        self.views += [View(name, query) for name, query in config.views.items()]
        self.views.append(View("Starred", "is:starred"))
        names = [v.name for v in self.views]
        self.view_index = names.index(first_view) if first_view in names else 0
        self.sort = sort if sort in search.SORTS else "newest"
        self.profile = profile_slugs(config.profile_skills)
        self.rows = RowCache(session.store, now=session.now)
        self.index = SearchIndex()
        self.unread: dict[str, int] = {}
        self.total = 0
        self.shown_max_id = 0
        self.new_waiting = 0
        self.generation = 0
        self.include_hidden = False
        self.fetching = False
        self.shown_count = 0
        self.shown_complete = True

    # --- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield Static(id="views", markup=False)
        yield Input(
            placeholder="search: python remote:remote budget>=500 age<7d -stage   (? for help)",
            id="search",
        )
        yield Static(id="search-error", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="listpane"):
                yield Static(id="list-header", markup=False)
                yield MissionList(
                    self.rows, now=self.session.now, profile=self.profile, id="missions"
                )
            yield MissionDetail(id="detail")
        yield Static(id="status", markup=False)
        yield KeyBar(self.app.keymap_in_use, id="keys")

    @property
    def mission_list(self) -> MissionList:
        return self.query_one(MissionList)

    @property
    def search_input(self) -> Input:
        return self.query_one("#search", Input)

    def on_mount(self) -> None:
        self.search_input.cursor_blink = not self.app.is_headless
        self.shown_max_id = self.max_id()
        self.total = self.session.store.count_groups()
        self.mission_list.focus()
        self.update_layout(self.app.size.width)
        self.run_search()
        self.count_unread()

    def on_resize(self, event: Resize) -> None:
        self.update_layout(event.size.width)

    def update_layout(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")
        list_width = self.mission_list.scrollable_content_region.width or width
        self.query_one("#list-header", Static).update(header_text(list_width, bool(self.profile)))
        self.update_topbar()

    # --- searching -------------------------------------------------------------------------------

    @property
    def view(self) -> View:
        return self.views[self.view_index]

    def compile_kwargs(self) -> dict:
        return {
            "now": self.session.now(),
            "profile_skills": tuple(self.session.config.profile_skills),
            "hide": tuple(self.session.config.hide.values()),
        }

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.run_search()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        if search.without_partial_word(self.search_input.value) != self.search_input.value:
            self.run_search(complete=True)
        self.mission_list.focus()

    def run_search(self, *, complete: bool = False) -> None:
        """Check the search as typed (errors under the bar), then run it in a worker.

        While typing, a last word of one letter waits for the second one (or a space, or enter):
        one letter matches nearly every mission and is the slowest search there is.
        """
        text = self.search_input.value
        if not complete:
            text = search.without_partial_word(text)
        error = self.query_one("#search-error", Static)
        try:
            search.compile_query(text, **self.compile_kwargs())
            compiled = search.compile_query(
                search.combine(self.view.query, text), sort=self.sort, **self.compile_kwargs()
            )
        except search.QueryError as exc:
            error.update(self.error_text(text, exc))
            error.add_class("shown")
            return
        error.update("")
        error.remove_class("shown")
        self.include_hidden = compiled.include_hidden
        self.generation += 1
        self.search_worker(search.combine(self.view.query, text), self.sort, self.generation)

    @staticmethod
    def error_text(text: str, exc: search.QueryError) -> Text:
        """The message, then the search with the offending token marked."""
        out = Text("✗ ", style="bold red")
        out.append(str(exc).splitlines()[0] if str(exc) else "invalid search", "red")
        position = getattr(exc, "position", None)
        if position is not None and text:
            length = max(1, getattr(exc, "length", 1) or 1)
            out.append("   ")
            out.append(text[:position])
            out.append(text[position : position + length] or " ", "bold reverse red")
            out.append(text[position + length :])
        return out

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search_worker(self, query: str, sort: str, generation: int) -> None:
        worker = get_current_worker()
        kwargs = {"sort": sort, **self.compile_kwargs()}
        try:
            with self.session.reader() as reader:
                big = self.total >= FIRST_PAGE_FROM
                if big and self.index.cached(query, sort) is None:
                    # A first screenful now, the full list (and its count) next.
                    first = self.index.search_top(reader, query, sort, self.compile_kwargs())
                    if first is None:  # the order of the whole store is not read yet
                        first = search.search_ids(reader, query, limit=200, **kwargs)
                    first = self.index.collapse(reader, first)
                    if worker.is_cancelled:
                        return
                    if first:  # "nothing matches" waits for the full search to say so
                        self.app.call_from_thread(self.show_results, first, generation, False)
                ids = self.index.collapse(
                    reader, self.index.search(reader, query, sort, self.compile_kwargs())
                )
        except search.QueryError as exc:
            self.app.call_from_thread(self.show_query_error, query, exc)
            return
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, ids, generation, True)

    def show_query_error(self, query: str, exc: Exception) -> None:
        error = self.query_one("#search-error", Static)
        error.update(Text(f"✗ view {self.view.name!r}: {exc}", style="red"))
        error.add_class("shown")

    def show_results(self, ids: list[int], generation: int, complete: bool) -> None:
        if generation != self.generation:
            return
        listing = self.mission_list
        listing.set_empty_message(self.empty_message() if not ids else [])
        listing.set_ids(ids, keep=listing.current_id)
        self.shown_count = len(ids)
        self.shown_complete = complete
        self.update_topbar()

    def empty_message(self) -> list[str]:
        if self.total == 0:
            lines = ["No missions yet."]
            if self.session.demo:
                return [*lines, "The demo store is empty: the bundled recordings did not parse."]
            return [
                *lines,
                "",
                "Press F to fetch them now (the list stays usable meanwhile),",
                "or run `missionboard fetch` in a shell (a cron job keeps the store fresh).",
                "`missionboard demo` shows recorded missions without a network.",
            ]
        text = self.search_input.value.strip()
        lines = [
            "Nothing matches" + (f" “{one_line(text)}”" if text else "") + f" in {self.view.name}."
        ]
        lines.append("")
        if text:
            lines.append("Loosen the search: drop a word or a filter, or join words with OR.")
        if self.view_index != 0:
            lines.append("Press 1 for All: the view adds its own filter.")
        if not self.include_hidden:
            lines.append("Hidden and snoozed missions are not shown (search is:hidden).")
        return lines

    # --- top bar, views, counts ------------------------------------------------------------------

    def update_topbar(self) -> None:
        shown, complete = self.shown_count, self.shown_complete
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" missionboard", "bold")
        if self.session.demo:
            text.append(" demo", "bold magenta")
        text.append(f"  {shown:,}{'' if complete else '+'} of {self.total:,} missions", "")
        text.append(f"  · sort: {search.SORT_LABELS[self.sort]}", "dim")
        if self.new_waiting:
            text.append(f"  · {self.new_waiting} new: press R", "bold yellow")
        if self.has_class("show-detail"):
            text.append("  · esc: back to the list", "bold")
        self.query_one("#topbar", Static).update(text)
        views = Text(no_wrap=True, overflow="ellipsis")
        for index, view in enumerate(self.views):
            label = (
                f" {index + 1} {one_line(view.name)}" if index < 9 else f" {one_line(view.name)}"
            )
            count = self.unread.get(view.name)
            style = "bold reverse" if index == self.view_index else ""
            views.append(label, style)
            if count:
                views.append(f" {count}", "bold cyan" + (" reverse" if style else ""))
            views.append(" ", style)
            views.append(" ")
        self.query_one("#views", Static).update(views)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def count_unread(self) -> None:
        # A connection of its own: counting a million rows must never hold up a search.
        worker = get_current_worker()
        counts: dict[str, int] = {}
        kwargs = self.compile_kwargs()
        with Store(self.session.paths.db) as store:
            for view in self.views:
                if worker.is_cancelled:
                    return
                try:
                    query = search.combine(view.query, "is:unread")
                    counts[view.name] = search.count(store, query, groups=True, **kwargs)
                except (search.QueryError, StoreError):
                    continue
        self.app.call_from_thread(self._set_unread, counts)

    def _set_unread(self, counts: dict[str, int]) -> None:
        self.unread = counts
        self.update_topbar()

    def max_id(self) -> int:
        return self.session.store.execute("SELECT coalesce(max(id), 0) FROM missions").fetchone()[0]

    def check_for_new(self) -> None:
        """Cheap poll for missions a cron fetch wrote meanwhile; offer them, never force them."""
        newest = self.max_id()
        if newest <= self.shown_max_id:
            return
        waiting = self.session.store.execute(
            # A copy of a mission already listed adds no row: it is not news.
            "SELECT count(*) FROM missions WHERE id > ? AND (group_uid IS NULL OR group_uid = uid)",
            (self.shown_max_id,),
        ).fetchone()[0]
        if waiting != self.new_waiting:
            self.new_waiting = waiting
            self.update_topbar()
            self.notify(
                f"{waiting} new missions arrived. Press R to show them.", title="New missions"
            )

    # --- the current mission ---------------------------------------------------------------------

    def current(self):
        mission_id = self.mission_list.current_id
        if mission_id is None:
            return None
        row = self.rows.get(mission_id)
        if row is None:
            self.rows.load([mission_id])
            row = self.rows.get(mission_id)
        return row

    @on(MissionList.Highlighted)
    def show_detail(self, event: MissionList.Highlighted | None = None) -> None:
        detail = self.query_one(MissionDetail)
        row = self.current()
        if row is None:
            detail.show(Text("No mission selected.", style="dim"))
            return
        mission = self.session.store.get(row.uid)
        if mission is None:
            return
        store = self.session.store
        state = store.get_state(row.uid)
        also_on = []
        if hasattr(store, "group_members"):
            also_on = [(m["source"], m["url"]) for m in store.group_members(row.uid)]
        detail.show(mission_text(mission, state, self.profile, self.session.now(), also_on))

    def set_state(self, **changes) -> None:
        row = self.current()
        if row is None:
            self.notify("No mission here.", severity="warning")
            return
        self.session.store.set_state(row.uid, **changes)
        self.index.clear()
        self.mission_list.row_changed(row.id)
        if ("hidden" in changes and changes["hidden"] and not self.include_hidden) or (
            changes.get("snoozed_until") and not self.include_hidden
        ):
            self.mission_list.remove(row.id)
        self.show_detail()
        self.count_unread()

    def state(self):
        row = self.current()
        return self.session.store.get_state(row.uid) if row else None

    # --- actions ---------------------------------------------------------------------------------

    def action_next(self) -> None:
        self.mission_list.action_cursor_down()

    def action_previous(self) -> None:
        self.mission_list.action_cursor_up()

    def action_detail(self) -> None:
        row = self.current()
        if row is None:
            return
        if not row.read:
            self.set_state(read=True)
        if self.has_class("narrow"):
            self.add_class("show-detail")
            self.update_topbar()

    @on(MissionList.Selected)
    def list_selected(self) -> None:
        self.action_detail()

    def action_back(self) -> None:
        if self.has_class("show-detail"):
            self.remove_class("show-detail")
            self.update_topbar()
        self.mission_list.focus()

    def action_open_link(self) -> None:
        row = self.current()
        if row is None:
            return
        mission = self.session.store.get(row.uid)
        if mission and mission.url:
            self.app.open_url(mission.url)
            if not row.read:
                self.set_state(read=True)
            self.notify(f"Opened {one_line(mission.url)}", timeout=3)

    def action_copy_link(self) -> None:
        row = self.current()
        mission = self.session.store.get(row.uid) if row else None
        if mission and mission.url:
            self.app.copy_to_clipboard(mission.url)
            self.notify(f"Copied {one_line(mission.url)}", timeout=3)

    def action_toggle_read(self) -> None:
        state = self.state()
        if state is not None:
            self.set_state(read=not state.read)

    def action_toggle_star(self) -> None:
        state = self.state()
        if state is not None:
            self.set_state(starred=not state.starred)

    def action_toggle_hidden(self) -> None:
        state = self.state()
        if state is None:
            return
        self.set_state(hidden=not state.hidden)
        if not state.hidden:
            self.notify(
                "Hidden. Search is:hidden to see hidden missions, h again to unhide.", timeout=4
            )

    def action_pipeline(self) -> None:
        row = self.current()
        if row is None:
            return

        def chosen(value: object) -> None:
            if value is not None:
                self.set_state(pipeline=Pipeline(value))

        self.app.push_screen(pipeline_screen(row.title), chosen)

    def action_note(self) -> None:
        row = self.current()
        state = self.state()
        if row is None or state is None:
            return

        def written(value: str | None) -> None:
            if value is not None:
                self.set_state(note=value)

        self.app.push_screen(NoteScreen(row.title, state.note), written)

    def action_snooze(self) -> None:
        row = self.current()
        if row is None:
            return

        def chosen(value: object) -> None:
            if value is None:
                return
            until = snooze_until(int(value), self.session.now())  # type: ignore[arg-type]
            self.set_state(snoozed_until=until)
            if until:
                self.notify(f"Snoozed until {until:%Y-%m-%d}.", timeout=3)

        self.app.push_screen(snooze_screen(row.title), chosen)

    def action_focus_search(self) -> None:
        self.remove_class("show-detail")
        self.search_input.focus()

    def action_pick_view(self, index: int) -> None:
        if 0 <= index < len(self.views) and index != self.view_index:
            self.view_index = index
            self.update_topbar()
            self.run_search()

    def action_next_view(self) -> None:
        self.view_index = (self.view_index + 1) % len(self.views)
        self.update_topbar()
        self.run_search()

    def action_next_sort(self) -> None:
        self.sort = search.SORTS[(search.SORTS.index(self.sort) + 1) % len(search.SORTS)]
        if self.sort == "match" and not self.profile:
            self.notify(
                "Sorting by match needs your skills: [profile] skills = [...] in the config.",
                severity="warning",
                markup=False,
            )
        self.update_topbar()
        self.run_search()

    def action_refresh(self) -> None:
        """Re-read everything: new missions, changed ones, counts."""
        self.rows.invalidate()
        self.index.clear(orders=True)
        self.mission_list.clear_cache()
        self.shown_max_id = self.max_id()
        self.total = self.session.store.count_groups()
        self.new_waiting = 0
        self.run_search()
        self.count_unread()
        self.show_detail()

    def action_fetch(self) -> None:
        if self.session.demo:
            self.notify("The demo works on recorded missions; fetching is off.", severity="warning")
            return
        if self.fetching:
            self.notify("A fetch is already running.")
            return
        self.fetching = True
        self.set_status("fetch: starting…")
        self.fetch_worker()

    @work(thread=True, exclusive=True, group="fetch", exit_on_error=False)
    def fetch_worker(self) -> None:
        from missionboard.tui.services import run_fetch

        def progress(message: str) -> None:
            self.app.call_from_thread(self.set_status, f"fetch: {message}…")

        try:
            lines = run_fetch(self.session.paths, self.session.config, progress)
        except Exception as exc:  # noqa: BLE001 - a failed fetch is reported, the list stays
            lines = [f"fetch failed: {exc}"]
        self.app.call_from_thread(self.fetch_done, lines)

    def fetch_done(self, lines: list[str]) -> None:
        self.fetching = False
        self.set_status("fetch: " + " · ".join(lines))
        self.check_for_new()
        failed = any("error" in line or "failed" in line for line in lines)
        self.notify(
            "\n".join(lines),
            title="Fetch done",
            severity="warning" if failed else "information",
            markup=False,
        )

    def set_status(self, message: str) -> None:
        status = self.query_one("#status", Static)
        status.update(Text(message, no_wrap=True, overflow="ellipsis"))
        status.set_class(bool(message), "shown")

    def action_sources(self) -> None:
        from missionboard.tui.screens.sources import SourcesScreen

        self.app.push_screen(SourcesScreen(self.session))

    def action_stats(self) -> None:
        from missionboard.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.session))

    def action_help(self) -> None:
        from missionboard.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.app.keymap_in_use))
