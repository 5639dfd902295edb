"""The mission list: a Line-API ScrollView over an array of mission ids.

Only the visible lines are rendered; each is cached as a Strip keyed by (id, row version, cursor,
width, focus), so moving the cursor repaints two lines and a new search repaints one screen. This is
what keeps the list instant at a million missions, where a widget per row or a DataTable is not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from missionboard.tui.formatting import (
    PIPELINE_MARKS,
    REMOTE_LABELS,
    format_age,
    format_budget,
    match_bar,
)
from missionboard.tui.rows import ListRow, RowCache

_REMOTE_STYLES = {
    "remote": Style.parse("bold green"),
    "hybrid": Style.parse("yellow"),
    "onsite": Style.parse("red"),
    "unknown": Style.parse("dim"),
}
_BOLD = Style(bold=True)
_ITALIC = Style(italic=True)
_CYAN = Style(color="cyan")


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    padding = " " * (width - length)
    return padding + text if right else text + padding


def column_widths(width: int, show_fit: bool = True) -> dict[str, int]:
    """Widths of the list's columns for a given total width; the title takes what is left.

    ``show_fit`` is false when no skills are configured: the match column is left out.
    """
    columns = {"marks": 3, "age": 4, "source": 9, "budget": 12, "remote": 7, "match": 4}
    if width < 70:
        columns.update(source=0, budget=11)
    if not show_fit:
        columns["match"] = 0
    fixed = sum(columns.values()) + sum(1 for w in columns.values() if w)  # one space after each
    columns["title"] = max(10, width - fixed)
    return columns


def header_text(width: int, show_fit: bool = True) -> Text:
    """The column titles, aligned with the rows below them."""
    widths = column_widths(width, show_fit)
    text = Text(no_wrap=True, overflow="ellipsis")
    labels = {
        "marks": "",
        "age": "age",
        "source": "source",
        "title": "title",
        "budget": "budget",
        "remote": "remote",
        "match": "fit",
    }
    for name in ("marks", "age", "source", "title", "budget", "remote", "match"):
        if widths[name]:
            text.append(fit(labels[name], widths[name], right=name in {"age", "budget"}))
            text.append(" ")
    return text


class MissionList(ScrollView, can_focus=True):
    """Missions in the current search and sort order, one line each."""

    DEFAULT_CSS = """
    MissionList { overflow-x: hidden; }
    """
    COMPONENT_CLASSES = {
        "mission-list--cursor",
        "mission-list--unread",
        "mission-list--dim",
        "mission-list--star",
        "mission-list--empty",
    }
    BINDINGS = [
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another mission (or to none)."""

        def __init__(self, mission_id: int | None) -> None:
            super().__init__()
            self.mission_id = mission_id

    class Selected(Message):
        """Enter on a mission."""

        def __init__(self, mission_id: int) -> None:
            super().__init__()
            self.mission_id = mission_id

    def __init__(
        self,
        rows: RowCache,
        *,
        now: Callable[[], datetime],
        profile: frozenset[str] = frozenset(),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.rows = rows
        self.now = now
        self.profile = profile
        self.ids: Sequence[int] = []
        self.cursor = 0
        self.empty_message: list[str] = []
        self._strips: LRUCache[tuple, Strip] = LRUCache(2048)
        self._styles: dict[tuple[str, bool], Style] = {}
        self._last_highlighted: int | None = -1

    # --- content ---------------------------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    def set_ids(self, ids: Sequence[int], *, keep: int | None = None) -> None:
        """Show these missions; the cursor stays on ``keep`` when it is still there."""
        self.ids = ids
        cursor = 0
        if keep is not None:
            try:
                cursor = ids.index(keep)  # type: ignore[union-attr]
            except ValueError:
                cursor = min(self.cursor, max(0, len(ids) - 1))
        self.cursor = cursor
        self.virtual_size = Size(0, max(len(ids), len(self.empty_message) if not ids else 0))
        self._scroll_cursor_into_view()
        self.refresh()
        self._announce()

    def set_empty_message(self, lines: list[str]) -> None:
        self.empty_message = lines
        if not self.ids:
            self.virtual_size = Size(0, len(lines))
            self.refresh()

    def row_changed(self, mission_id: int) -> None:
        """A mission's state changed: re-read the visible rows (its duplicates share the marks)."""
        self.rows.invalidate()
        self.refresh()

    def remove(self, mission_id: int) -> None:
        """Take a mission out of the list (hidden, snoozed), the cursor moving to the next one."""
        ids = list(self.ids)
        try:
            index = ids.index(mission_id)
        except ValueError:
            return
        del ids[index]
        self.ids = ids
        self.cursor = min(index, max(0, len(ids) - 1))
        self.virtual_size = Size(0, len(ids) or len(self.empty_message))
        self.refresh()
        self._announce()

    # --- cursor ----------------------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        if not self.ids:
            return
        index = max(0, min(index, len(self.ids) - 1))
        if index == self.cursor:
            return
        old = self.cursor
        self.cursor = index
        self.refresh_line(old)
        self.refresh_line(index)
        self._scroll_cursor_into_view()
        self._announce()

    def _scroll_cursor_into_view(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _announce(self) -> None:
        current = self.current_id
        if current != self._last_highlighted:
            self._last_highlighted = current
            self.post_message(self.Highlighted(current))

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.ids) - 1)

    def action_select(self) -> None:
        if self.current_id is not None:
            self.post_message(self.Selected(self.current_id))

    def on_click(self, event) -> None:
        index = round(self.scroll_y) + event.y
        if 0 <= index < len(self.ids):
            self.move_cursor(index)

    def style_of(self, component: str) -> Style:
        """The widget's style ("") or a component's, cached: resolving CSS per line is slow."""
        key = (component, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self.get_component_rich_style(component) if component else self.rich_style
            self._styles[key] = style
        return style

    def notify_style_update(self) -> None:
        # The theme or the CSS changed: styles and the lines drawn with them are stale.
        super().notify_style_update()
        self._styles = {}
        self._strips.clear()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    # --- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self.style_of("")
        if not self.ids:
            if index < len(self.empty_message):
                style = self.style_of("mission-list--empty")
                text = Text(" " + self.empty_message[index], style=style, no_wrap=True)
                text.truncate(width, overflow="ellipsis", pad=True)
                return Strip(text.render(self.app.console), width).apply_style(base)
            return Strip.blank(width, base)
        if index >= len(self.ids):
            return Strip.blank(width, base)
        mission_id = self.ids[index]
        row = self.rows.get(mission_id)
        if row is None:
            # Read the whole visible window (and a little more) in one query.
            top = round(self.scroll_y)
            height = self.scrollable_content_region.height
            self.rows.load(self.ids[max(0, top - 10) : top + height + 40])
            row = self.rows.get(mission_id)
            if row is None:  # deleted meanwhile
                return Strip.blank(width, base)
        selected = index == self.cursor
        focused = selected and self.has_focus
        key = (mission_id, row.read, row.starred, row.pipeline, row.note, selected, focused, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, selected, width)
            self._strips[key] = strip
        return strip

    def _render_row(self, row: ListRow, selected: bool, width: int) -> Strip:
        # Segments are built directly: Rich Text does the same with ten times the work, and this
        # runs for every line that scrolls into view.
        widths = column_widths(width, bool(self.profile))
        base = self.style_of("")
        if selected:
            base = base + self.style_of("mission-list--cursor")
        unread = self.style_of("mission-list--unread")
        segments: list[Segment] = []

        def cell(value: str, name: str, style: Style | None = None, right: bool = False) -> None:
            size = widths[name]
            if size:
                segments.append(Segment(fit(value, size, right), base + style if style else base))
                segments.append(Segment(" ", base))

        # The marks: starred, unread, pipeline status (or a note), one cell each.
        segments.append(
            Segment("★" if row.starred else " ", base + self.style_of("mission-list--star"))
        )
        segments.append(Segment("•" if not row.read else " ", base + unread))
        pipeline = PIPELINE_MARKS.get(row.pipeline, "✎" if row.note else " ")
        segments.append(Segment(pipeline + " ", base + _BOLD))
        cell(format_age(row.posted, self.now()), "age", self.style_of("mission-list--dim"), True)
        # A duplicate group is one row: "+1" says the mission is also on another site.
        source = f"{row.source} +{row.others}" if row.others else row.source
        if row.others and len(source) > widths["source"]:
            keep = max(1, widths["source"] - len(f" +{row.others}") - 1)
            source = f"{row.source[:keep]}… +{row.others}"
        cell(source, "source", _ITALIC)
        cell(row.title, "title", None if row.read else unread)
        budget = format_budget(row.budget_kind, row.budget_min, row.budget_max, row.currency)
        cell(budget, "budget", None, True)
        cell(REMOTE_LABELS.get(row.remote, row.remote), "remote", _REMOTE_STYLES.get(row.remote))
        cell(match_bar(row.match(self.profile), bool(self.profile)), "match", _CYAN)
        return Strip(segments).crop_extend(0, width, base)

    def clear_cache(self) -> None:
        """Drop every rendered line (the clock moved, the profile changed)."""
        self._strips.clear()
        self.refresh()
