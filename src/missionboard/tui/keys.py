"""The key table: one list of actions, shown by the footer and the help screen, remappable.

Each binding's id is the name a user writes under ``[tui.keys]`` in the config
(``star = "x"``), applied with :meth:`textual.app.App.set_keymap`.
"""

from __future__ import annotations

from textual.binding import Binding

# (id, default keys, action, short label for the footer, what it does for the help screen)
MAIN_KEYS: list[tuple[str, str, str, str, str]] = [
    ("help", "question_mark,f1", "help", "Help", "all keys and the search language"),
    ("next", "j,down", "next", "Next", "move to the next mission"),
    ("previous", "k,up", "previous", "Prev", "move to the previous mission"),
    ("detail", "enter", "detail", "Open", "show the mission (and mark it read)"),
    ("open", "o", "open_link", "Web", "open the mission's page in the browser"),
    ("copy", "c", "copy_link", "Link", "copy the mission's link to the clipboard"),
    ("read", "r", "toggle_read", "Read", "mark read or unread"),
    ("star", "s", "toggle_star", "Star", "star or unstar"),
    ("hide", "h", "toggle_hidden", "Hide", "hide the mission (is:hidden shows hidden ones)"),
    ("status", "p", "pipeline", "Status", "pipeline status: interested, applied, won, lost"),
    ("note", "n", "note", "Note", "write a note on the mission"),
    ("snooze", "z", "snooze", "Snooze", "hide the mission for a while"),
    ("search", "slash", "focus_search", "Search", "jump to the search bar"),
    ("view", "v", "next_view", "View", "switch to the next saved view (1-9 pick one)"),
    ("sort", "S", "next_sort", "Sort", "sort by newest, budget, daily rate or match"),
    ("refresh", "R", "refresh", "Reload", "reload the list (shows missions fetched meanwhile)"),
    ("fetch", "F", "fetch", "Fetch", "fetch new missions now, in the background"),
    ("sources", "H", "sources", "Sources", "sources and their health"),
    ("stats", "T", "stats", "Stats", "pictures of the missions: per day, skills, budgets, remote"),
]

QUIT_KEY = ("quit", "ctrl+q", "quit", "Quit", "quit missionboard")


_KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "down": "↓",
    "up": "↑",
    "enter": "⏎",
    "escape": "esc",
    "space": "space",
}


def key_label(keys: str) -> str:
    """How a key (or keys, comma-separated) reads on screen: "j/↓", "?", "^q"."""
    names = []
    for key in keys.split(","):
        key = key.strip()
        if key.startswith("ctrl+"):
            names.append("^" + key[5:])
        else:
            names.append(_KEY_NAMES.get(key, key))
    return "/".join(names[:2])


def main_bindings() -> list[Binding]:
    """The main screen's bindings, built from :data:`MAIN_KEYS` (the key bar shows them)."""
    return [
        Binding(keys, action, label, id=binding_id, show=False)
        for binding_id, keys, action, label, _ in MAIN_KEYS
    ]


def keys_in_use(keymap: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(id, keys, footer label, help text) for every action, the config's remapping applied."""
    return [
        (binding_id, keymap.get(binding_id, keys), label, what)
        for binding_id, keys, _, label, what in [*MAIN_KEYS, QUIT_KEY]
    ]


def known_actions() -> list[str]:
    return [k[0] for k in MAIN_KEYS] + [QUIT_KEY[0]]


def keymap_from_config(keys: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keymap for :meth:`App.set_keymap` and a warning for each unknown action."""
    known = set(known_actions())
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for action, key in keys.items():
        if action not in known:
            warnings.append(
                f"config [tui.keys]: no action called {action!r}; known: {', '.join(known_actions())}"
            )
            continue
        keymap[action] = key
    return keymap, warnings
