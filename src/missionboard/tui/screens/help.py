"""The help screen: every key (as remapped by the config), what it does, and the search language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from missionboard.tui.keys import key_label, keys_in_use

SEARCH_HELP = [
    ("python remote", "missions mentioning both words (title, description, client, skills)"),
    ('"data entry"', "a phrase"),
    ("skill:python", "a skill from the taxonomy"),
    ("remote:remote", "remote, hybrid, onsite or unknown"),
    ("cat:admin  source:codeur", "category, source"),
    ("budget>=1000  rate>=400", "budget, daily rate"),
    ("age<3d", "posted in the last three days"),
    ("is:unread  is:starred", "your own marks (also is:applied, is:hidden)"),
    ("-stage  a OR b  ( )", "exclude, either, group"),
    ("python r", "a last one-letter word waits for its second letter (or space, or enter)"),
]


class HelpScreen(ModalScreen[None]):
    """Keys and the search language on one page."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss(None)", "Close"),
    ]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold cyan", no_wrap=True)
        keys.add_column()
        for _, keys_text, _, what in keys_in_use(self.keymap):
            keys.add_row(key_label(keys_text), what)
        keys.add_row("1-9", "pick a saved view (the bar above the search)")
        keys.add_row("esc", "back to the list (from the search bar or a screen)")
        search = Table.grid(padding=(0, 2))
        search.add_column(style="bold green", no_wrap=True)
        search.add_column()
        for example, meaning in SEARCH_HELP:
            search.add_row(example, meaning)
        with VerticalScroll(classes="dialog wide"):
            title = Text("Keys", style="bold underline")
            title.append("   esc closes · ↓ scrolls", style="dim not underline")
            yield Static(title)
            yield Static(keys)
            yield Static(Text("\nSearch", style="bold underline"))
            yield Static(search)
            yield Static(
                Text(
                    '\nRemap a key in the config: [tui.keys] star = "x"   ·   esc closes',
                    style="dim",
                )
            )
