"""The key bar: every action and its key (as remapped), wrapping onto more lines when narrow.

Textual's Footer scrolls sideways off an 80-column terminal; this one wraps between entries, so
every key is on screen at any width.
"""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from missionboard.tui.keys import key_label, keys_in_use


def key_bar_text(keymap: dict[str, str], width: int) -> Text:
    """The entries packed into lines of ``width`` cells, never split inside an entry."""
    text = Text(end="")
    used = 0
    for _, keys, label, _ in keys_in_use(keymap):
        piece = Text(no_wrap=True, end="")
        piece.append(f" {key_label(keys)} ", "bold reverse")
        piece.append(f" {label} ")
        if used and used + piece.cell_len > width:
            text.append("\n")
            used = 0
        text.append_text(piece)
        used += piece.cell_len
    return text


class KeyBar(Static):
    """All main-screen keys, wrapped to the width."""

    def __init__(self, keymap: dict[str, str], **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.keymap = keymap

    def on_resize(self, event: Resize) -> None:
        self.update(key_bar_text(self.keymap, event.size.width))
