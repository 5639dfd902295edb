"""Small dialogs: pipeline status, note, snooze."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from missionboard.tui.rows import one_line

PIPELINE_CHOICES = [
    ("n", "new", "new (no status)"),
    ("i", "interested", "interested"),
    ("a", "applied", "applied"),
    ("w", "won", "won"),
    ("l", "lost", "lost"),
]

SNOOZE_CHOICES = [
    ("1", 1, "until tomorrow"),
    ("3", 3, "for 3 days"),
    ("w", 7, "for a week"),
    ("m", 30, "for a month"),
    ("0", 0, "wake it up now (no snooze)"),
]


class ChoiceScreen(ModalScreen[object]):
    """A few choices, one key each; escape cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, subject: str, choices: list[tuple[str, object, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.subject = subject
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(one_line(self.subject), classes="dialog-subject", markup=False)
            for key, _, label in self.choices:
                yield Static(f" {key}  {label}", markup=False)
            yield Static(" esc  cancel", classes="dialog-hint", markup=False)

    def on_key(self, event) -> None:
        for key, value, _ in self.choices:
            if event.character == key:
                event.stop()
                self.dismiss(value)
                return


def pipeline_screen(subject: str) -> ChoiceScreen:
    return ChoiceScreen("Pipeline status", subject, PIPELINE_CHOICES)  # type: ignore[arg-type]


def snooze_screen(subject: str) -> ChoiceScreen:
    return ChoiceScreen("Snooze", subject, SNOOZE_CHOICES)  # type: ignore[arg-type]


def snooze_until(days: int, now: datetime) -> datetime | None:
    """The moment a snooze of ``days`` ends (the start of that day, UTC); None for no snooze."""
    if not days:
        return None
    return (now + timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)


class NoteScreen(ModalScreen[str | None]):
    """Write or change the note on a mission; enter saves, escape cancels, empty clears."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, subject: str, note: str) -> None:
        super().__init__()
        self.subject = subject
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Note", classes="dialog-title")
            yield Static(one_line(self.subject), classes="dialog-subject", markup=False)
            yield Input(self.note, placeholder="a note for yourself", id="note-input")
            yield Static(
                " enter  save   esc  cancel   (empty clears)", classes="dialog-hint", markup=False
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())
